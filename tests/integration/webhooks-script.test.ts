/** `npm run webhooks -- add|list|remove`: the same endpoints as the API, the secret printed once, bad arguments refused with exit code 2. */
import { afterAll, beforeAll, expect, it } from "vitest";
import { runScript } from "../helpers/scripts.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { databaseVariants, describeEachDatabase, itOnSqliteOnly } from "../helpers/services.ts";

const variants = await databaseVariants();
const run = (args: string[], env: Record<string, string>) => runScript("scripts/webhooks.ts", args, env);

describeEachDatabase(variants, "npm run webhooks", (database) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ database });
  });
  afterAll(() => server?.stop());

  it("adds an endpoint the server signs for, lists it and removes it", async () => {
    const added = await run(["add", "--url", "https://app.example.com/hook", "--events", "inbound.message,verification.approved", "--description", "app"], server.env);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/whsec_[A-Za-z0-9+/=]{32}/);
    expect(added.stdout).toMatch(/will not be shown again/);
    const id = /endpoint ([0-9a-f-]{36})/.exec(added.stdout)?.[1] as string;
    const read = await server.request("GET", `/api/v1/webhooks/${id}`);
    expect(read.body).toMatchObject({ url: "https://app.example.com/hook", events: ["inbound.message", "verification.approved"], description: "app" });
    const listed = await run(["list"], server.env);
    expect(listed.stdout).toContain(id);
    expect((await run(["remove", id], server.env)).code).toBe(0);
    expect((await server.request("GET", `/api/v1/webhooks/${id}`)).status).toBe(404);
    const again = await run(["remove", id], server.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("No webhook endpoint has this id");
  });

  // Arguments are refused before the database is opened, so one database is enough.
  itOnSqliteOnly(database)("refuses bad arguments with exit code 2, naming the option", async () => {
    const cases = [
      [["add", "--url", "not a url"], "--url"],
      [["add", "--url", "https://u:p@example.com/"], "--url"],
      [["add", "--url", "https://example.com/", "--events", "verification.nope"], "--events"],
      [["frobnicate"], "usage"],
      [["remove"], "usage"],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => run([...args], server.env)));
    results.forEach((result, i) => {
      const [args, option] = cases[i] as (typeof cases)[number];
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toContain(option);
    });
  });
});
