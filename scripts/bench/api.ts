/**
 * npm run bench:api — the API's throughput on one node.
 * Starts the production server on a fresh SQLite file with the sandbox carrier, then runs a closed loop
 * of WORKERS concurrent workers for SECONDS: create a verification, read its code from the sandbox
 * endpoint, check it. Prints one JSON line. Target (issue 2): ≥ 1,500 pairs/s, check p99 < 20 ms.
 * Env: BENCH_WORKERS (32), BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (2), BENCH_DATABASE_URL (another,
 * empty database instead of a fresh SQLite file), SERVE_PAGES=false (API only).
 * `-- --peer` then runs the better-auth phoneNumber peer (scripts/bench/peer.ts) with the same workers and
 * seconds and prints the ratio (issue 14: ≥ 3×).
 */
import fs from "node:fs";
import path from "node:path";
import { runApiLoop } from "./api-loop.ts";
import { ratioToPeer, runPeer, wantsPeer } from "./peer.ts";
import { ROOT, startBenchServer } from "./server-process.ts";

const WORKERS = Number(process.env.BENCH_WORKERS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);

if (process.env.SERVE_PAGES !== "false" && !fs.existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
  console.error("No production build: run `npm run build` first.");
  process.exit(2);
}

const withPeer = wantsPeer();
const server = await startBenchServer();
const result = await runApiLoop(server, { workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP });
await server.stop();
const peer = withPeer ? runPeer({ workers: WORKERS, seconds: SECONDS, warmupSeconds: WARMUP }) : null;

console.log(
  JSON.stringify({
    bench: "api",
    database: process.env.BENCH_DATABASE_URL?.startsWith("postgres") ? "postgresql" : "sqlite",
    workers: WORKERS,
    ...result,
    ...(peer ? { peer, ratio: ratioToPeer(result.pairsPerSecond, peer) } : {}),
  }),
);
