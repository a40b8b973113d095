/**
 * The closed loop of `npm run bench:api` (create a verification, read its code from the sandbox, check
 * it), as a function so that `npm run bench:webhooks` measures the same loop with webhooks on.
 */
import http from "node:http";
import type { BenchServer } from "./server-process.ts";

export interface ApiLoopResult {
  seconds: number;
  pairs: number;
  pairsPerSecond: number;
  failures: number;
  createMs: { p50: number; p95: number; p99: number };
  checkMs: { p50: number; p95: number; p99: number };
  serverCpuSecondsPerPair: number | null;
  clientCpuSecondsPerPair: number | null;
  /** CPU of the other server processes of the run (options.others), e.g. a delivery node. */
  otherServersCpuSecondsPerPair?: number | null;
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]?.toFixed(2));
}

let sequence = 0;
/** A distinct valid US number per pair (area code 415, exchange 200–999), distinct across loops of one process. */
export function nextNumber(): string {
  const n = sequence++;
  return `+1415${200 + (Math.floor(n / 10_000) % 800)}${String(n % 10_000).padStart(4, "0")}`;
}

export async function runApiLoop(
  server: BenchServer,
  options: { workers: number; seconds: number; warmupSeconds: number; others?: readonly BenchServer[] },
): Promise<ApiLoopResult> {
  const target = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.workers });

  function request(method: string, pathname: string, body?: unknown): Promise<{ status: number; json: any }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method,
          path: pathname,
          agent,
          headers: {
            authorization: `Bearer ${server.key}`,
            ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  const createMs: number[] = [];
  const checkMs: number[] = [];
  let pairs = 0;
  let failures = 0;
  let measuring = false;

  async function pair(): Promise<void> {
    const to = nextNumber();
    let t = performance.now();
    const created = await request("POST", "/api/v1/verifications", { to });
    const createTook = performance.now() - t;
    if (created.status !== 201) throw new Error(`create ${created.status} ${JSON.stringify(created.json)}`);
    const inbox = await request("GET", `/api/v1/sandbox/messages?to=${encodeURIComponent(to)}&limit=1`);
    const code = /([0-9]{6})$/.exec(inbox.json?.messages?.[0]?.body ?? "")?.[1];
    if (!code) throw new Error(`no code for ${to}: ${JSON.stringify(inbox.json)}`);
    t = performance.now();
    const checked = await request("POST", `/api/v1/verifications/${created.json.id}/check`, { code });
    const checkTook = performance.now() - t;
    if (checked.status !== 200 || checked.json.valid !== true) throw new Error(`check ${checked.status} ${JSON.stringify(checked.json)}`);
    if (measuring) {
      createMs.push(createTook);
      checkMs.push(checkTook);
      pairs++;
    }
  }

  async function worker(until: () => boolean): Promise<void> {
    while (!until()) {
      try {
        await pair();
      } catch (error) {
        if (measuring) failures++;
        if (failures <= 3 && measuring) console.error(String(error));
      }
    }
  }

  let stopAt = Date.now() + (options.warmupSeconds + options.seconds) * 1000;
  const workers = Array.from({ length: options.workers }, () => worker(() => Date.now() >= stopAt));
  await new Promise((r) => setTimeout(r, options.warmupSeconds * 1000));
  measuring = true;
  const cpuStart = server.cpuSeconds();
  const othersCpu = () => (options.others ?? []).reduce((sum, other) => sum + other.cpuSeconds(), 0);
  const othersCpuStart = othersCpu();
  const clientCpuStart = process.cpuUsage();
  const started = performance.now();
  stopAt = Date.now() + options.seconds * 1000;
  await Promise.all(workers);
  const elapsed = (performance.now() - started) / 1000;
  measuring = false;
  const cpu = server.cpuSeconds() - cpuStart;
  const otherCpu = othersCpu() - othersCpuStart;
  const clientCpu = process.cpuUsage(clientCpuStart);
  agent.destroy();
  return {
    seconds: Number(elapsed.toFixed(2)),
    pairs,
    pairsPerSecond: Number((pairs / elapsed).toFixed(1)),
    failures,
    createMs: { p50: percentile(createMs, 50), p95: percentile(createMs, 95), p99: percentile(createMs, 99) },
    checkMs: { p50: percentile(checkMs, 50), p95: percentile(checkMs, 95), p99: percentile(checkMs, 99) },
    serverCpuSecondsPerPair: pairs ? Number((cpu / pairs).toFixed(6)) : null,
    clientCpuSecondsPerPair: pairs ? Number(((clientCpu.user + clientCpu.system) / 1e6 / pairs).toFixed(6)) : null,
    ...(options.others?.length ? { otherServersCpuSecondsPerPair: pairs ? Number((otherCpu / pairs).toFixed(6)) : null } : {}),
  };
}
