/**
 * An API key per e2e server, for the sandbox: in production the sandbox answers only API keys and owners
 * (server/sandbox-access.ts), and specs read codes from it. global-setup.ts creates one key in each server's
 * database (with scripts/keys-create.ts, as an operator would) and hands it to the workers in the
 * environment, which Playwright passes on from global setup.
 */
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The SQLite file of the e2e server `name` on `port` (emptied by serve.ts when Playwright starts it). */
export function e2eDatabasePath(name: string, port: number): string {
  return path.join(root, "tmp", "e2e", `${name}-${port}.db`);
}

const envName = (project: string) => `E2E_API_KEY_${project.toUpperCase()}`;

/** Creates a key in the database of `project`'s server and publishes it for the workers. */
export function createE2eApiKey(project: string, port: number): void {
  // The secret only satisfies the configuration check: creating a key does not use it.
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/keys-create.ts", "--name", `e2e ${project}`], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"), DATABASE_URL: `file:${e2eDatabasePath(project, port)}`, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  const key = /tg_[A-Za-z0-9_-]+/.exec(out)?.[0];
  if (!key) throw new Error(`e2e: keys-create printed no key for project "${project}": ${out}`);
  process.env[envName(project)] = key;
}

/** `Authorization: Bearer <key>` for `project`'s server. */
export function e2eApiKeyHeader(project: string): { authorization: string } {
  const key = process.env[envName(project)];
  if (!key) throw new Error(`e2e: no API key for project "${project}" (global-setup.ts creates one per server).`);
  return { authorization: `Bearer ${key}` };
}
