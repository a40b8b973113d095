/**
 * npm run bench:webhooks — what events out cost and how fast they go, on one node and SQLite:
 * 1. `bench:api`'s loop with the outbox triggers dropped (the API as it was before issue 11);
 * 2. the same loop with the outbox rows written and no endpoint;
 * 3. the same loop with one endpoint subscribed to every event, answered 204 by a receiver in this
 *    process (so it shares the client's CPU), then the wait until every event has been delivered:
 *    deliveries per second from the first to the last, and how long the backlog took to drain after the
 *    load stopped. Server CPU per pair in each run shows the added cost per verification.
 * Issue 11's goal: run 3 within 10% of run 1's pairs per second. Prints one JSON line.
 * Env: BENCH_WORKERS (32), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2). Pages are not served.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { runApiLoop } from "./api-loop.ts";
import { startBenchServer } from "./server-process.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const loop = { workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP };
const ENV = { SERVE_PAGES: "false", WEBHOOKS_ALLOW_PRIVATE_URLS: "true" };

async function withoutOutbox() {
  const server = await startBenchServer(ENV);
  // The server installed its triggers at start; dropping them here gives the engine's cost alone.
  const db = new Database(resolveDatabaseTarget(server.databaseUrl).url);
  const triggers = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'textgate_outbox_%'`).all() as { name: string }[];
  for (const { name } of triggers) db.exec(`DROP TRIGGER ${name}`);
  db.close();
  const result = await runApiLoop(server, loop);
  await server.stop();
  return result;
}

async function outboxOnly() {
  const server = await startBenchServer(ENV);
  const result = await runApiLoop(server, loop);
  await server.stop();
  return result;
}

async function withEndpoint() {
  let delivered = 0;
  let first = 0;
  let last = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      delivered++;
      const now = performance.now();
      first ||= now;
      last = now;
      res.statusCode = 204;
      res.end();
    });
  });
  receiver.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const server = await startBenchServer(ENV);
  const created = await fetch(`${server.url}/api/v1/webhooks`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.key}`, "content-type": "application/json" },
    body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` }),
  });
  if (created.status !== 201) throw new Error(`could not add the endpoint: ${created.status} ${await created.text()}`);
  const result = await runApiLoop(server, loop);
  const loadEnded = performance.now();
  // Every event of the run (and the warm-up) is in the outbox: wait until the receiver has them all.
  const db = new Database(resolveDatabaseTarget(server.databaseUrl).url, { readonly: true });
  const total = () => Number((db.prepare(`SELECT COUNT(*) AS n FROM events`).get() as { n: number }).n);
  const deadline = Date.now() + 300_000;
  while (delivered < total() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const events = total();
  db.close();
  await server.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  return {
    ...result,
    events,
    delivered,
    deliveriesPerSecond: Number((delivered / ((last - first) / 1000)).toFixed(1)),
    backlogDrainSeconds: Number(((last - loadEnded) / 1000).toFixed(2)),
  };
}

const before = await withoutOutbox();
const rows = await outboxOnly();
const endpoint = await withEndpoint();
console.log(
  JSON.stringify({
    bench: "webhooks",
    database: "sqlite",
    workers: WORKERS,
    withoutOutbox: before,
    outboxOnly: rows,
    oneEndpoint: endpoint,
    pairsPerSecondChange: {
      outboxOnly: Number(((rows.pairsPerSecond / before.pairsPerSecond - 1) * 100).toFixed(1)),
      oneEndpoint: Number(((endpoint.pairsPerSecond / before.pairsPerSecond - 1) * 100).toFixed(1)),
    },
  }),
);
