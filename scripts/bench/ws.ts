/**
 * npm run bench:ws — N authenticated idle sockets on one textgate node (default 10,000; BENCH_SOCKETS),
 * then the same N on a bare `ws` server without authentication, in the same run. Sessions are created
 * directly (users + auth_sessions rows through Prisma, cookies minted with next-auth's `encode`), and
 * each socket opens /ws/echo (no connect units) and waits for `admitted`. Reports admissions per second
 * and, from the server process, heap (process.memoryUsage after a full GC, printed on SIGUSR2) and RSS
 * (/proc/<pid>/status VmRSS) per socket. Prints one JSON line. Mind the open-files limit (20,000 here):
 * each side holds N descriptors.
 */
import { type ChildProcess, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { encode } from "next-auth/jwt";
import WebSocket from "ws";
import { uuidv7 } from "../../lib/ids.ts";
import { createDb } from "../../server/db/client.ts";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { freePort, ROOT } from "./server-process.ts";

const N = Number(process.env.BENCH_SOCKETS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const ORIGIN = "http://bench.local";

interface Memory {
  heapUsed: number;
  rss: number;
}

function lines(child: ChildProcess): (pattern: RegExp) => Promise<string> {
  let buffer = "";
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const i = waiting.findIndex((w) => w.pattern.test(line));
      if (i >= 0) waiting.splice(i, 1)[0]?.resolve(line);
      else if (!line.startsWith("{\"memory\"")) process.stderr.write(`${line}\n`);
      nl = buffer.indexOf("\n");
    }
  });
  return (pattern) => new Promise((resolve) => waiting.push({ pattern, resolve }));
}

async function memoryOf(child: ChildProcess, nextLine: (pattern: RegExp) => Promise<string>): Promise<Memory> {
  const line = nextLine(/"memory"/);
  child.kill("SIGUSR2");
  const { memory } = JSON.parse(await line) as { memory: NodeJS.MemoryUsage };
  const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { heapUsed: memory.heapUsed, rss: rssKb * 1024 };
}

/** Opens one socket per header set, CONCURRENCY at a time, each until its `admitted`; returns the sockets and the seconds it took. */
async function openAll(url: string, headerSets: Record<string, string>[]): Promise<{ sockets: WebSocket[]; seconds: number }> {
  const sockets: WebSocket[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < headerSets.length) {
      const headers = headerSets[next++] as Record<string, string>;
      const ws = new WebSocket(url, { headers, perMessageDeflate: false });
      await new Promise<void>((resolve, reject) => {
        ws.once("message", (raw) => ((JSON.parse(raw.toString()) as { type: string }).type === "admitted" ? resolve() : reject(new Error(raw.toString()))));
        ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
        ws.once("error", reject);
      });
      sockets.push(ws);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { sockets, seconds: (performance.now() - started) / 1000 };
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(sockets.map((ws) => new Promise<void>((resolve) => (ws.once("close", () => resolve()), ws.terminate()))));
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error("server did not start within 60 s");
    await new Promise((r) => setTimeout(r, 200));
  }
}

function figures(before: Memory, after: Memory, seconds: number) {
  return {
    sockets: N,
    admissionsPerSecond: Math.round(N / seconds),
    heapBytesPerSocket: Math.round((after.heapUsed - before.heapUsed) / N),
    rssBytesPerSocket: Math.round((after.rss - before.rss) / N),
    heapMB: Number((after.heapUsed / 1048576).toFixed(1)),
    rssMB: Number((after.rss / 1048576).toFixed(1)),
  };
}

async function benchTextgate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-bench-ws-"));
  const port = await freePort();
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  const nextauthSecret = crypto.randomBytes(32).toString("base64url");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    SERVE_PAGES: "false",
    SANDBOX_IN_PRODUCTION: "true",
    SMS_CARRIERS: "sandbox",
    DATABASE_URL: databaseUrl,
    TEXTGATE_SECRET: crypto.randomBytes(32).toString("base64url"),
    NEXTAUTH_SECRET: nextauthSecret,
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    PUBLIC_URL: ORIGIN,
    WS_MAX_CONNECTIONS_PER_USER: "10000",
  };
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "server.ts"], { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  const nextLine = lines(child);
  try {
    await waitForHealth(`http://127.0.0.1:${port}`, child);
    const prisma = createDb(resolveDatabaseTarget(databaseUrl));
    const headerSets: Record<string, string>[] = [];
    try {
      const now = new Date();
      const expiresAt = new Date(now.getTime() + 86_400_000);
      for (let i = 0; i < N; i += 1000) {
        const users = Array.from({ length: Math.min(1000, N - i) }, (_, k) => ({
          id: uuidv7(),
          phone: `+1415${String(2_000_000 + i + k).padStart(7, "0")}`,
          phoneVerifiedAt: now,
        }));
        const sessions = users.map((u) => ({ id: uuidv7(), userId: u.id, createdAt: now, lastSeenAt: now, expiresAt }));
        await prisma.user.createMany({ data: users });
        await prisma.authSession.createMany({ data: sessions });
        for (const s of sessions) {
          const token = await encode({ token: { sid: s.id, sub: s.userId }, secret: nextauthSecret });
          headerSets.push({ origin: ORIGIN, cookie: `next-auth.session-token=${token}` });
        }
      }
    } finally {
      await prisma.$disconnect();
    }
    // Warm up the paths (JIT, session lookups), then measure from a settled heap.
    await closeAll((await openAll(`ws://127.0.0.1:${port}/ws/echo`, headerSets.slice(0, Math.min(200, N)))).sockets);
    await new Promise((r) => setTimeout(r, 300));
    const before = await memoryOf(child, nextLine);
    const { sockets, seconds } = await openAll(`ws://127.0.0.1:${port}/ws/echo`, headerSets);
    await new Promise((r) => setTimeout(r, 500));
    const after = await memoryOf(child, nextLine);
    await closeAll(sockets);
    return figures(before, after, seconds);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBare() {
  const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "scripts/bench/ws-bare.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  const nextLine = lines(child);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.setEncoding("utf8").once("data", (chunk: string) => resolve(Number(/listening (\d+)/.exec(chunk)?.[1])));
      child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    const headerSets = Array.from({ length: N }, () => ({ origin: ORIGIN }));
    await closeAll((await openAll(`ws://127.0.0.1:${port}/`, headerSets.slice(0, Math.min(200, N)))).sockets);
    await new Promise((r) => setTimeout(r, 300));
    const before = await memoryOf(child, nextLine);
    const { sockets, seconds } = await openAll(`ws://127.0.0.1:${port}/`, headerSets);
    await new Promise((r) => setTimeout(r, 500));
    const after = await memoryOf(child, nextLine);
    await closeAll(sockets);
    return figures(before, after, seconds);
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
  }
}

const textgate = await benchTextgate();
const bare = await benchBare();
console.log(JSON.stringify({ bench: "ws", node: process.version, textgate, bareWs: bare }));
