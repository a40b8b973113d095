/** Starts textgate as a child process on a free port and a fresh SQLite file, for benchmarks. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface BenchServer {
  url: string;
  key: string;
  /** The server's DATABASE_URL. */
  databaseUrl: string;
  child: ChildProcess;
  /** User + system CPU seconds the server process has used so far (Linux /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-bench-"));
  const port = await freePort();
  const fullEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    SANDBOX_IN_PRODUCTION: "true",
    SMS_CARRIERS: "sandbox",
    VOICE_CARRIERS: "sandbox",
    // BENCH_DATABASE_URL runs the loop on another database (it should be empty), e.g. PostgreSQL.
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, "bench.db")}`,
    TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"),
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    SEND_LIMIT_PER_NUMBER: "1000000",
    // Counted like in production, but never spent during a run.
    SEND_BUDGET_PER_HOUR: "1000000000",
    ...env,
  };
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server under load.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server.ts"], { cwd: ROOT, env: fullEnv, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error("server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/keys-create.ts", "--name", "bench"], { cwd: ROOT, env: fullEnv, encoding: "utf8" });
  const key = /tg_[A-Za-z0-9_-]+/.exec(out)?.[0];
  if (!key) throw new Error(`no key in keys:create output: ${out}`);
  const ticks = 100; // USER_HZ on Linux
  return {
    url,
    key,
    databaseUrl: fullEnv.DATABASE_URL as string,
    child,
    cpuSeconds() {
      const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return (Number(fields[11]) + Number(fields[12])) / ticks;
    },
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
