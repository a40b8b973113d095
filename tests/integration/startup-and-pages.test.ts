/**
 * The production process: pages served beside the API from one port, and the refusals at boot
 * (bad configuration, sandbox in production, pending migrations) with messages that say what to do.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");
if (!built) console.warn("[textgate tests] no production build (.next/BUILD_ID): page tests are skipped; `npm test` builds first.");

describe.skipIf(!built)("production server with pages", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { NODE_ENV: "production", SERVE_PAGES: "true", SANDBOX_IN_PRODUCTION: "true" } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it.each([
    ["/", "textgate"],
    ["/embed", "Embed"],
    ["/docs/api", "API"],
  ])("serves %s", async (pathname, title) => {
    const res = await fetch(`${server.url}${pathname}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(new RegExp(`<title>[^<]*${title}`));
    expect(html).not.toMatch(/fonts\.googleapis|fonts\.gstatic/);
  });

  it("serves the API beside the pages on the same port", async () => {
    const res = await fetch(`${server.url}/api/sandbox/numbers`, { headers: { authorization: `Bearer ${server.key}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ numbers: [] });
  });

  it("answers an unknown page with Next's 404", async () => {
    expect((await fetch(`${server.url}/no-such-page`)).status).toBe(404);
  });
});

describe("refusals at boot", () => {
  function boot(env: Record<string, string>): { status: number | null; stderr: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-boot-"));
    const childEnv: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: `file:${path.join(dir, "t.db")}`,
      PORT: "0",
      SERVE_PAGES: "false",
      ...env,
    };
    const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: REPO_ROOT,
      env: childEnv as unknown as NodeJS.ProcessEnv,
      encoding: "utf8",
      timeout: 30_000,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, stderr: result.stderr };
  }

  it("refuses production without a secret or with the sandbox, naming the variables", () => {
    const result = boot({ NODE_ENV: "production", SMS_CARRIERS: "sandbox", VOICE_CARRIERS: "sandbox" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("TEXTGATE_SECRET: required in production");
    expect(result.stderr).toContain("SANDBOX_IN_PRODUCTION=true");
  });

  it("refuses invalid values with the variable and the rule", () => {
    const result = boot({ NODE_ENV: "test", DEFAULT_CODE_LENGTH: "3", DATABASE_URL: "mysql://x" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("DEFAULT_CODE_LENGTH");
    expect(result.stderr).toContain("see .env.example".replace("see", "See"));
  });

  it("refuses to start with pending migrations when AUTO_MIGRATE=false, saying what to run", () => {
    const result = boot({ NODE_ENV: "test", AUTO_MIGRATE: "false", TEXTGATE_SECRET: "x".repeat(40) });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/pending migration\(s\).*npm run db:migrate/s);
  });
});
