/**
 * Starts the real server (`node --import tsx server.ts`) as a child process on a free port, with its
 * own fresh database (a SQLite file in a temp folder, or a new PostgreSQL database), waits until
 * /healthz answers, and creates an API key in that database.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApiKey } from "../../server/api-keys.ts";
import { createDb } from "../../server/db/client.ts";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { type Client, createClient } from "./http.ts";
import { createPostgresDatabase, type DatabaseKind } from "./services.ts";
import { copySqliteTemplate } from "./database-templates.ts";
import { SERVER_BUNDLE_ENV } from "./server-bundle.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A production server with its pages and the sandbox carrier (where the tests read codes). */
export const PRODUCTION_WITH_SANDBOX = { NODE_ENV: "production", SERVE_PAGES: "true", SANDBOX_IN_PRODUCTION: "true" } as const;

/**
 * Whether the production build is there (sign-in, /owner and the other Next routes need it); suites skip
 * without it on a laptop and fail in CI, where `npm test` builds it first.
 */
export function productionBuilt(): boolean {
  const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
  if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");
  return built;
}
/** TEST_SERVER_START_TIMEOUT_MS raises it for long runs on a busy machine (KILL_LOOP_KILLS=20, say). */
const START_TIMEOUT_MS = Number(process.env.TEST_SERVER_START_TIMEOUT_MS ?? 30_000);
const OUTPUT_LIMIT = 64 * 1024;

export interface TestServer {
  url: string;
  /** An API key of this server's database. */
  key: string;
  /** A JSON client with `key` as the default Authorization. */
  request: Client;
  env: Record<string, string>;
  database: DatabaseKind;
  /** What the child wrote to stderr (last 64 KB). */
  stderr(): string;
  /** What the child wrote to stdout, where its pino logs go (last 64 KB). */
  stdout(): string;
  /** Sends a signal and waits for the process to exit; the database stays (for restarts). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /**
   * After `kill`: starts the server again on the same database, port and environment (so the same
   * TEXTGATE_SECRET, `url`, `key` and `request`), with `env` overriding variables for this start
   * only, and waits until /healthz answers.
   */
  restart(env?: Record<string, string>): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and removes its database (unless it was given as `databaseUrl`). */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  database?: DatabaseKind;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /**
   * Use this existing database instead of creating one (a second node on the same database): it is
   * neither created nor dropped by this server, and `database` should name its kind.
   */
  databaseUrl?: string;
  /** Start on an empty database, which the server migrates (default: a copy of the run's migrated template). */
  emptyDatabase?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Whether `child` holds the listening socket of `port` (Linux: /proc/net/tcp* and the child's fds). A port
 * from freePort() can be taken by another test's server before this child binds it; then that server
 * answers /healthz while this one is failing, and the test would run against the wrong process.
 * Elsewhere (no /proc) it cannot tell and answers true.
 */
function listensOn(child: ChildProcess, port: number): boolean {
  if (!child.pid || !fs.existsSync("/proc/net/tcp")) return true;
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") inodes.add(fields[9] ?? "");
    }
  }
  try {
    return fs.readdirSync(`/proc/${child.pid}/fd`).some((fd) => {
      const target = fs.readlinkSync(`/proc/${child.pid}/fd/${fd}`, { encoding: "utf8" }) as string;
      return inodes.has(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? "");
    });
  } catch {
    return false; // the child is gone
  }
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`The server exited (${child.exitCode ?? child.signalCode}) before /healthz answered.\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200 && listensOn(child, Number(new URL(url).port))) return;
      last = res.status === 200 ? "another process answered on this port" : `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`The server did not answer GET /healthz with 200 within ${START_TIMEOUT_MS / 1000} s (last: ${last}).\n${output()}`);
}

async function createKey(databaseUrl: string): Promise<string> {
  const prisma = createDb(resolveDatabaseTarget(databaseUrl));
  try {
    return (await createApiKey(prisma, "integration tests")).key;
  } finally {
    await prisma.$disconnect();
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? "sqlite";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-it-"));
  const postgres = database === "postgresql" && !options.databaseUrl ? await createPostgresDatabase({ empty: options.emptyDatabase }) : null;
  if (database === "sqlite" && !options.databaseUrl && !options.emptyDatabase) copySqliteTemplate(path.join(dir, "t.db"));
  const databaseUrl = options.databaseUrl ?? (postgres ? postgres.url : `file:${path.join(dir, "t.db")}`);
  const cleanup = async () => {
    await postgres?.drop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    NODE_ENV: "test",
    PORT: String(port),
    HOST: "127.0.0.1",
    // The origin the tests reach it at: the CSRF guard (server/http/same-origin.ts) compares Origin with it.
    PUBLIC_URL: url,
    SERVE_PAGES: "false",
    DATABASE_URL: databaseUrl,
    TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    RESEND_COOLDOWN_SECONDS: "0",
    SEND_LIMIT_PER_NUMBER: "1000",
    // The budget key in Redis is shared by every server on it (as in production); tests that need a
    // small budget set one without REDIS_URL.
    SEND_BUDGET_PER_HOUR: "1000000",
    ...options.env,
  };
  // Only the basics of the parent environment: a developer's DATABASE_URL or carrier settings must not leak in.
  const inherited = Object.fromEntries(["PATH", "HOME", "TMPDIR", "LANG"].flatMap((k) => (process.env[k] ? [[k, process.env[k] as string]] : [])));
  let stderrText = "";
  let stdoutText = "";
  const stderr = () => stderrText;
  const stdout = () => stdoutText;
  const output = () => `stderr:\n${stderrText || "(empty)"}\nstdout:\n${stdoutText || "(empty)"}`;
  const launch = (overrides: Record<string, string> = {}): ChildProcess => {
    // The bundle of tests/helpers/server-bundle.ts when global setup built one, else the source through tsx.
    const bundle = process.env[SERVER_BUNDLE_ENV];
    const spawned = spawn(process.execPath, bundle ? ["--enable-source-maps", bundle] : ["--import", "tsx", "server.ts"], {
      cwd: REPO_ROOT,
      env: { ...inherited, ...env, ...overrides } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    spawned.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
      stderrText = (stderrText + chunk).slice(-OUTPUT_LIMIT);
    });
    spawned.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      stdoutText = (stdoutText + chunk).slice(-OUTPUT_LIMIT);
    });
    return spawned;
  };
  let child = launch();

  let key: string;
  try {
    await waitForHealth(url, child, output);
    key = await createKey(databaseUrl);
  } catch (error) {
    child.kill("SIGKILL");
    await exited(child);
    await cleanup();
    throw error;
  }

  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited(child);
  };

  return {
    url,
    key,
    request: createClient(url, key),
    env,
    database,
    stderr,
    stdout,
    kill,
    async restart(overrides = {}) {
      if (child.exitCode === null && child.signalCode === null) throw new Error("restart() needs the server stopped first: call kill()");
      child = launch(overrides);
      try {
        await waitForHealth(url, child, output);
      } catch (error) {
        child.kill("SIGKILL");
        await exited(child);
        throw error;
      }
    },
    async stop() {
      const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await kill("SIGTERM");
      clearTimeout(force);
      await cleanup();
    },
  };
}
