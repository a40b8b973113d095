/** `npm run keys:create`: prints a working key once; refuses bad arguments with exit code 2; revokes by prefix. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { errorCode } from "../helpers/phones.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase } from "../helpers/services.ts";

const variants = await databaseVariants();

function runScript(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/keys-create.ts", ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describeEachDatabase(variants, "keys:create", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  it("prints a key once, with a warning, that the running server accepts", async () => {
    const result = await runScript(["--name", "ci runner"], server.env);
    expect(result.code, result.stderr).toBe(0);
    const match = /\b(tg_([0-9a-f]{8})_[A-Za-z0-9_-]{43})\b/.exec(result.stdout);
    expect(match).not.toBeNull();
    expect(result.stdout).toMatch(/will not be shown again/);
    const key = (match as RegExpExecArray)[1] as string;
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key });
    expect(res.status).toBe(200);

    const revoked = await runScript(["--revoke", (match as RegExpExecArray)[2] as string], server.env);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked 1 key/);
  });

  it("refuses to run without --name, exit code 2 and a usage line", async () => {
    for (const args of [[], ["--name"], ["--name", " "], ["--revoke", "nothex!"], ["--bogus", "x"]]) {
      const result = await runScript(args, server.env);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(/usage: npm run keys:create -- --name <label>/);
      expect(result.stdout).not.toMatch(/tg_/);
    }
  });

  it("a revoked key is refused (the server had not cached it)", async () => {
    const created = await runScript(["--name", "short-lived"], server.env);
    const match = /\b(tg_([0-9a-f]{8})_[A-Za-z0-9_-]{43})\b/.exec(created.stdout) as RegExpExecArray;
    expect((await runScript(["--revoke", match[2] as string], server.env)).code).toBe(0);
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: match[1] as string });
    expect(res.status).toBe(401);
    expect((await runScript(["--revoke", match[2] as string], server.env)).code).toBe(1);
  });

  it("a key that was never issued stays refused", async () => {
    const res = await server.request("GET", "/api/v1/sandbox/messages?to=%2B12125550100", { key: `tg_00000000_${"A".repeat(43)}` });
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("unauthorized");
  });
});
