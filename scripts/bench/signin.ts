/**
 * npm run bench:signin — the full sign-in of the login page, as a closed loop (issue 14): per iteration a
 * fresh number, `POST /api/auth/sms/start`, the code read from the sandbox, then next-auth's
 * `POST /api/auth/callback/sms` (which creates the user and a server-side session). Each worker is a browser
 * tab: it fetched next-auth's CSRF cookie and token once and sends them with every sign-in; it keeps no
 * session cookie between sign-ins. Prints one JSON line: sign-ins per second, failures, p50/p95/p99 per
 * request and the server's CPU per sign-in.
 *
 *   npm run build && npm run bench:signin              # textgate alone
 *   npm run bench:signin -- --peer                     # and the better-auth peer in the same run, after it
 *
 * `--peer` runs ../shared/bench-peer/run.sh (BENCH_PEER_DIR) with the same workers and seconds and adds
 * its JSON line and the ratio. Env: BENCH_WORKERS (32), BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (3),
 * BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": a CPU profile of the server).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { nextNumber, percentile } from "./api-loop.ts";
import { ratioToPeer, runPeer, wantsPeer } from "./peer.ts";
import { ROOT, startBenchServer } from "./server-process.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const withPeer = wantsPeer();

if (!fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(2);
}

// Every request comes from 127.0.0.1: the per-IP limits would stop the loop, not measure it.
const server = await startBenchServer({ AUTH_START_LIMIT_PER_IP: "1000000", AUTH_START_LIMIT_PER_NUMBER: "1000", RESEND_COOLDOWN_SECONDS: "0" });
const target = new URL(server.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS * 2 });

interface Answer {
  status: number;
  text: string;
  cookies: string[];
}

function request(method: string, pathname: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method, path: pathname, agent, headers: { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), cookies: res.headers["set-cookie"] ?? [] }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const cookiePair = (setCookie: string) => setCookie.split(";")[0]!;

/** A browser tab: next-auth's CSRF cookie and token, fetched once. */
async function openTab(): Promise<{ cookie: string; csrfToken: string }> {
  const csrf = await request("GET", "/api/auth/csrf", {});
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  return { cookie: csrf.cookies.map(cookiePair).join("; "), csrfToken };
}

const startMs: number[] = [];
const codeMs: number[] = [];
const callbackMs: number[] = [];
let signIns = 0;
let failures = 0;
const failureSamples: string[] = [];
let measuring = false;

async function signIn(tab: { cookie: string; csrfToken: string }): Promise<void> {
  const phone = nextNumber();
  let t = performance.now();
  const started = await request("POST", "/api/auth/sms/start", { "content-type": "application/json", cookie: tab.cookie }, JSON.stringify({ phone }));
  const startTook = performance.now() - t;
  if (started.status !== 200) throw new Error(`start ${started.status} ${started.text.slice(0, 200)}`);
  const { verificationId } = JSON.parse(started.text) as { verificationId: string };
  t = performance.now();
  const inbox = await request("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(phone)}&limit=1`, { authorization: `Bearer ${server.key}` });
  const codeTook = performance.now() - t;
  const code = /#([0-9]{6})\s*$/.exec((JSON.parse(inbox.text) as { messages: { body: string }[] }).messages[0]?.body ?? "")?.[1];
  if (!code) throw new Error(`no code for ${phone}: ${inbox.text.slice(0, 200)}`);
  const form = new URLSearchParams({ verificationId, code, csrfToken: tab.csrfToken, callbackUrl: "/account", json: "true" }).toString();
  t = performance.now();
  const callback = await request("POST", "/api/auth/callback/sms", { "content-type": "application/x-www-form-urlencoded", cookie: tab.cookie }, form);
  const callbackTook = performance.now() - t;
  const url = callback.status === 200 ? ((JSON.parse(callback.text) as { url?: string }).url ?? "") : "";
  const session = callback.cookies.some((c) => /^(__Secure-)?next-auth\.session-token=/.test(c));
  if (!session || url.includes("error=")) throw new Error(`callback ${callback.status} ${callback.text.slice(0, 200)}`);
  if (measuring) {
    startMs.push(startTook);
    codeMs.push(codeTook);
    callbackMs.push(callbackTook);
    signIns++;
  }
}

async function worker(until: () => boolean): Promise<void> {
  const tab = await openTab();
  while (!until()) {
    try {
      await signIn(tab);
    } catch (error) {
      if (!measuring) continue;
      failures++;
      if (failureSamples.length < 3) failureSamples.push(String(error));
    }
  }
}

let stopAt = Date.now() + (WARMUP + SECONDS) * 1000;
const workers = Array.from({ length: WORKERS }, () => worker(() => Date.now() >= stopAt));
await new Promise((r) => setTimeout(r, WARMUP * 1000));
measuring = true;
const cpuStart = server.cpuSeconds();
const began = performance.now();
stopAt = Date.now() + SECONDS * 1000;
await Promise.all(workers);
const elapsed = (performance.now() - began) / 1000;
measuring = false;
const cpu = server.cpuSeconds() - cpuStart;
agent.destroy();
await server.stop();

const ms = (values: number[]) => ({ p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) });
const textgate = {
  signInsPerSecond: Number((signIns / elapsed).toFixed(1)),
  signIns,
  failures,
  ...(failureSamples.length ? { failureSamples } : {}),
  startMs: ms(startMs),
  readCodeMs: ms(codeMs),
  callbackMs: ms(callbackMs),
  serverCpuMsPerSignIn: signIns ? Number(((cpu * 1000) / signIns).toFixed(2)) : null,
  seconds: Number(elapsed.toFixed(2)),
};

const peer = withPeer ? runPeer({ workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP }) : null;

console.log(
  JSON.stringify({
    bench: "signin",
    workers: WORKERS,
    textgate,
    ...(peer
      ? { peer, ratio: ratioToPeer(textgate.signInsPerSecond, peer) }
      : {}),
  }),
);
