/** `npm run keys:create`: prints a working key once; refuses bad arguments with exit code 2; revokes by prefix. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { errorCode } from "../helpers/phones.ts";
import { runScript } from "../helpers/scripts.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase, itOnSqliteOnly } from "../helpers/services.ts";

const variants = await databaseVariants();

const run = (args: string[], env: Record<string, string>) => runScript("scripts/keys-create.ts", args, env);

describeEachDatabase(variants, "keys:create", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  it("prints a key once, with a warning, that the running server accepts", async () => {
    const result = await run(["--name", "ci runner"], server.env);
    expect(result.code, result.stderr).toBe(0);
    const match = /\b(tg_([0-9a-f]{8})_[A-Za-z0-9_-]{43})\b/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(result.stdout).toMatch(/will not be shown again/);
    const key = (match as RegExpExecArray)[1] as string;
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key });
    expect(res.status).toBe(200);

    const revoked = await run(["--revoke", (match as RegExpExecArray)[2] as string], server.env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked 1 key/);
  });

  // Arguments are refused before the database is opened, so one database is enough.
  itOnSqliteOnly(database)("refuses to run without --name, exit code 2 and a usage line", async () => {
    const cases = [[], ["--name"], ["--name", " "], ["--revoke", "nothex!"], ["--bogus", "x"]];
    const results = await Promise.all(cases.map((args) => run(args, server.env)));
    results.forEach((result, i) => {
      expect(result.code, cases[i]?.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/usage: npm run keys:create -- --name <label>/);
      expect(result.stdout).not.toMatch(/tg_/);
    });
  });

  it("a revoked key is refused (the server had not cached it)", async () => {
    const created = await run(["--name", "short-lived"], server.env);
    const match = /\b(tg_([0-9a-f]{8})_[A-Za-z0-9_-]{43})\b/.exec(created.stdout) as RegExpExecArray;
    expect((await run(["--revoke", match[2] as string], server.env)).code).toBe(0);
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: match[1] as string });
    expect(res.status).toBe(401);
    expect((await run(["--revoke", match[2] as string], server.env)).code).toBe(1);
  });

  it("a key that was never issued stays refused", async () => {
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: `tg_00000000_${"A".repeat(43)}` });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthorized");
  });
});
