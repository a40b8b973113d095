/**
 * npm run bench:webhooks — what events out cost and how fast they go, on one database (SQLite, or
 * PostgreSQL with BENCH_POSTGRES_URL: a fresh database per run, see bench-database.ts):
 * 1. `bench:api`'s loop with the outbox triggers dropped (the API as it was before issue 11);
 * 2. the same loop with the outbox rows written and no endpoint;
 * 3. the same loop with one endpoint subscribed to every event, answered 204 by a receiver in this
 *    process (so it shares the client's CPU), then the wait until every event has been delivered:
 *    deliveries per second from the first to the last, and how long the backlog took to drain after the
 *    load stopped. Server CPU per pair in each run shows the added cost per verification.
 * 4. the same as 3, but the API node runs with WEBHOOKS_DELIVER=false and a second server process on the
 *    same database delivers (its CPU per pair is reported as otherServersCpuSecondsPerPair). It learns
 *    of new events by polling every WEBHOOKS_INTERVAL_MS (no Redis here).
 * 5. deliveries alone: the outbox filled by run 1's loop with delivery off, then drained by a node of
 *    its own: deliveries per second and CPU per delivery without API work beside them (backlog()).
 * Issue 11's goal: run 3 (or 4, the deployment for it) within 10% of run 1's pairs per second. Prints
 * one JSON line.
 * Env: BENCH_WORKERS (32), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_RUNS (all five:
 * withoutOutbox,outboxOnly,oneEndpoint,deliveryNode,backlog), BENCH_POSTGRES_URL. Pages are not served.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiLoopResult, runApiLoop } from "./api-loop.ts";
import { BENCH_POSTGRES_URL, dropOutboxTriggers, openBenchSql, runDatabase } from "./bench-database.ts";
import { type BenchServer, startBenchServer } from "./server-process.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const loop = { workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP };
const ENV = { SERVE_PAGES: "false", WEBHOOKS_ALLOW_PRIVATE_URLS: "true" };

async function withoutOutbox() {
  const db = await runDatabase();
  const server = await startBenchServer({ ...ENV, ...db.env });
  // The server installed its triggers at start; dropping them here gives the engine's cost alone.
  const sql = openBenchSql(server.databaseUrl);
  await dropOutboxTriggers(sql);
  await sql.close();
  const result = await runApiLoop(server, loop);
  await server.stop();
  await db.drop();
  return result;
}

async function outboxOnly() {
  const db = await runDatabase();
  const server = await startBenchServer({ ...ENV, ...db.env });
  const result = await runApiLoop(server, loop);
  await server.stop();
  await db.drop();
  return result;
}

/** A receiver answering 204 to every delivery, counting them and when the first and the last came. */
async function startReceiver() {
  const counts = { delivered: 0, first: 0, last: 0 };
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      counts.delivered++;
      const now = performance.now();
      counts.first ||= now;
      counts.last = now;
      res.statusCode = 204;
      res.end();
    });
  });
  receiver.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  return {
    counts,
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((resolve) => receiver.close(() => resolve())),
  };
}

/**
 * bench:api's loop with one endpoint subscribed to everything, delivered by `deliverer` (the API node
 * itself, or a node of its own on the same database), then the wait until every event has arrived.
 */
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

async function addEndpoint(api: BenchServer, receiver: Receiver): Promise<void> {
  const created = await fetch(`${api.url}/api/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${api.key}`, "content-type": "application/json" },
    body: JSON.stringify({ url: receiver.url }),
  });
  if (created.status !== 201) throw new Error(`could not add the endpoint: ${created.status} ${await created.text()}`);
}

/** Waits until the receiver has every event in the outbox (5 minutes at most); returns how many there are. */
async function untilAllDelivered(databaseUrl: string, receiver: Receiver, poll = () => {}): Promise<number> {
  const sql = openBenchSql(databaseUrl);
  // PostgreSQL's triggers write pending_events, which the dispatcher numbers into events as it reads (outbox.ts, sequence).
  const total = async () => Number((await sql.get<{ n: unknown }>(`SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM pending_events) AS n`))?.n);
  const deadline = Date.now() + 300_000;
  while (receiver.counts.delivered < (await total()) && Date.now() < deadline) {
    poll();
    await new Promise((r) => setTimeout(r, 20));
  }
  const events = await total();
  await sql.close();
  return events;
}

async function loopWithEndpoint(api: BenchServer, deliverer: BenchServer, receiver: Receiver) {
  await addEndpoint(api, receiver);
  const result = await runApiLoop(api, { ...loop, others: deliverer === api ? [] : [deliverer] });
  const loadEnded = performance.now();
  // Every event of the run (and the warm-up) is in the outbox: wait until the receiver has them all.
  const events = await untilAllDelivered(api.databaseUrl, receiver);
  const { counts } = receiver;
  return {
    ...result,
    events,
    delivered: counts.delivered,
    deliveriesPerSecond: Number((counts.delivered / ((counts.last - counts.first) / 1000)).toFixed(1)),
    backlogDrainSeconds: Number(((counts.last - loadEnded) / 1000).toFixed(2)),
  };
}

async function oneEndpoint() {
  const db = await runDatabase();
  const receiver = await startReceiver();
  const server = await startBenchServer({ ...ENV, ...db.env });
  const result = await loopWithEndpoint(server, server, receiver);
  await server.stop();
  await receiver.close();
  await db.drop();
  return result;
}

/**
 * An API node with WEBHOOKS_DELIVER=false and, once `fn` starts it, a delivering node on the same
 * database (same TEXTGATE_SECRET: it opens the endpoints' sealed secrets); all stopped after `fn`.
 */
async function withDeliveryElsewhere<T>(fn: (api: BenchServer, receiver: Receiver, startDeliverer: () => Promise<BenchServer>) => Promise<T>): Promise<T> {
  const db = await runDatabase();
  const receiver = await startReceiver();
  const secret = crypto.randomBytes(32).toString("base64url");
  const api = await startBenchServer({ ...ENV, ...db.env, TEXTGATE_SECRET: secret, WEBHOOKS_DELIVER: "false" });
  const deliverers: BenchServer[] = [];
  const startDeliverer = async () => {
    const deliverer = await startBenchServer({ ...ENV, TEXTGATE_SECRET: secret, DATABASE_URL: api.databaseUrl });
    deliverers.push(deliverer);
    return deliverer;
  };
  try {
    return await fn(api, receiver, startDeliverer);
  } finally {
    for (const deliverer of deliverers) await deliverer.stop();
    await api.stop();
    await receiver.close();
    await db.drop();
  }
}

/** Run 4: the API node does not deliver; a second server process on the same database does. */
const deliveryNode = () => withDeliveryElsewhere(async (api, receiver, startDeliverer) => loopWithEndpoint(api, await startDeliverer(), receiver));

/**
 * Deliveries alone (run 5): the loop fills the outbox of an API node with WEBHOOKS_DELIVER=false, then a
 * delivering node started on the same database drains it, with no API work beside it: deliveries per
 * second and that node's CPU per delivery, counted from its first delivery to its last.
 */
const backlog = () =>
  withDeliveryElsewhere(async (api, receiver, startDeliverer) => {
    await addEndpoint(api, receiver);
    const { pairs } = await runApiLoop(api, loop);
    const deliverer = await startDeliverer();
    let start: { cpu: number; delivered: number; at: number } | null = null;
    const { counts } = receiver;
    const events = await untilAllDelivered(api.databaseUrl, receiver, () => {
      if (!start && counts.delivered > 0) start = { cpu: deliverer.cpuSeconds(), delivered: counts.delivered, at: performance.now() };
    });
    const cpu = deliverer.cpuSeconds();
    return drainFigures(pairs, events, counts, cpu, start);
  });

/** Deliveries per second and CPU per delivery from the first delivery `start` saw to the last. */
function drainFigures(pairs: number, events: number, counts: Receiver["counts"], cpu: number, start: { cpu: number; delivered: number; at: number } | null) {
  const from = start ?? { cpu, delivered: counts.delivered, at: counts.last };
  const measured = counts.delivered - from.delivered;
  return {
    pairs,
    events,
    delivered: counts.delivered,
    measuredDeliveries: measured,
    deliveriesPerSecond: Number((measured / ((counts.last - from.at) / 1000)).toFixed(1)),
    serverCpuMsPerDelivery: measured ? Number((((cpu - from.cpu) * 1000) / measured).toFixed(3)) : null,
  };
}

const RUNS = { withoutOutbox, outboxOnly, oneEndpoint, deliveryNode, backlog } as const;
// BENCH_RUNS picks some, e.g. "withoutOutbox,deliveryNode" (to interleave runs on a shared machine).
const names = (process.env.BENCH_RUNS ?? Object.keys(RUNS).join(",")).split(",") as (keyof typeof RUNS)[];
const results: Record<string, Partial<ApiLoopResult> & object> = {};
for (const name of names) {
  if (!RUNS[name]) throw new Error(`unknown run ${name}; runs: ${Object.keys(RUNS).join(", ")}`);
  results[name] = await RUNS[name]();
}
const reference = results.withoutOutbox?.pairsPerSecond;
const change = (name: string) => Number((((results[name]?.pairsPerSecond ?? 0) / (reference ?? 1) - 1) * 100).toFixed(1));
console.log(
  JSON.stringify({
    bench: "webhooks",
    database: BENCH_POSTGRES_URL ? "postgresql" : "sqlite",
    workers: WORKERS,
    ...results,
    pairsPerSecondChange: reference
      ? Object.fromEntries(names.filter((n) => n !== "withoutOutbox" && n !== "backlog").map((n) => [n, change(n)]))
      : undefined,
  }),
);
