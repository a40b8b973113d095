/**
 * The better-auth phoneNumber peer (../shared/bench-peer, or BENCH_PEER_DIR): its send-otp → verify loop
 * with the same workers and seconds, run after textgate's own loop for `--peer` (bench:api, bench:signin).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./server-process.ts";

const PEER_DIR = process.env.BENCH_PEER_DIR ?? path.resolve(ROOT, "../shared/bench-peer");

/** Exits with a clear message when `--peer` was asked for and the peer is not there. */
export function wantsPeer(): boolean {
  const wanted = process.argv.includes("--peer");
  if (wanted && !fs.existsSync(path.join(PEER_DIR, "run.sh"))) {
    console.error(`--peer: no run.sh in ${PEER_DIR} (set BENCH_PEER_DIR)`);
    process.exit(2);
  }
  return wanted;
}

/** Runs the peer's loop and returns its JSON line (`pairs_per_sec`, latencies, its server's CPU). */
export function runPeer(options: { workers: number; seconds: number; warmupSeconds: number }): Record<string, unknown> {
  const out = execFileSync("bash", [path.join(PEER_DIR, "run.sh")], {
    cwd: PEER_DIR,
    env: { ...process.env, CONC: String(options.workers), DURATION: String(options.seconds), WARMUP: String(options.warmupSeconds) },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
}

/** How many times the peer's pairs per second `perSecond` is, or null when the peer did nothing. */
export function ratioToPeer(perSecond: number, peer: Record<string, unknown>): number | null {
  return typeof peer.pairs_per_sec === "number" && peer.pairs_per_sec > 0 ? Number((perSecond / peer.pairs_per_sec).toFixed(2)) : null;
}
