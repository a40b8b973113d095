/**
 * An API key per e2e server, for the sandbox: in production the sandbox answers only API keys and owners
 * (server/sandbox-access.ts), and specs read codes from it. global-setup.ts creates one key in each server's
 * database (with scripts/keys-create.ts, as an operator would) and hands it to the workers in the
 * environment, which Playwright passes on from global setup.
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The SQLite file of the e2e server `name` on `port` (emptied by serve.ts when Playwright starts it). */
export function e2eDatabasePath(name: string, port: number): string {
  return path.join(root, "tmp", "e2e", `${name}-${port}.db`);
}

const envName = (server: string) => `E2E_API_KEY_${server.toUpperCase()}`;

/** The e2e server a project runs against: its `metadata.server` (the "phone" project reuses "main"), else its name. */
export function e2eServerOf(project: { name: string; metadata?: Record<string, unknown> }): string {
  return typeof project.metadata?.server === "string" ? project.metadata.server : project.name;
}

/**
 * Creates a key in the database of the e2e server `server` and publishes it for the workers. Call it once per
 * server (several projects may share one); calls for different servers may run at once.
 */
export async function createE2eApiKey(server: string, port: number): Promise<void> {
  if (process.env[envName(server)]) return;
  // The secret only satisfies the configuration check: creating a key does not use it.
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "scripts/keys-create.ts", "--name", `e2e ${server}`],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"), DATABASE_URL: `file:${e2eDatabasePath(server, port)}`, LOG_LEVEL: "warn" },
        encoding: "utf8",
      },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    ),
  );
  const key = /tg_[A-Za-z0-9_-]+/.exec(out)?.[0];
  if (!key) throw new Error(`e2e: keys-create printed no key for server "${server}": ${out}`);
  process.env[envName(server)] = key;
}

/** `Authorization: Bearer <key>` for the server of `project` (a test's `testInfo.project`). */
export function e2eApiKeyHeader(project: { name: string; metadata?: Record<string, unknown> }): { authorization: string } {
  const server = e2eServerOf(project);
  const key = process.env[envName(server)];
  if (!key) throw new Error(`e2e: no API key for server "${server}" (global-setup.ts creates one per server).`);
  return { authorization: `Bearer ${key}` };
}
