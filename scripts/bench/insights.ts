/**
 * How fast the /owner insights stay with many verifications (docs/benchmarks.md, "Insights"):
 *
 *   npm run bench:insights                          # 1,000,000 verifications over 30 days, SQLite
 *   INSIGHTS_BENCH_N=10000000 npm run bench:insights
 *
 * Seeds N verifications (one message each, 70 % approved) spread evenly over 30 days into a fresh SQLite
 * file (tmp/bench-insights.db), plus one hour at the density 10 million over 30 days would give
 * (13,889 verifications), then times: a count straight from the raw rows (what the page would cost
 * without the rollup, on the created_at index), the rollup's backfill of every hour, one steady pass (the
 * current and previous hour, the dense one included), and the page's report for each range (median of 5).
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { migrateIfNeeded } from "../../server/db/migrations.ts";
import { CostTable } from "../../server/owners/insights/costs.ts";
import { HOUR_MS, floorHour } from "../../server/owners/insights/hours.ts";
import { InsightsRollup } from "../../server/owners/insights/rollup.ts";
import { INSIGHT_RANGES, InsightsQueries, insightsReport } from "../../server/owners/insights/report.ts";
import { openSql } from "../../server/store/sql.ts";
import { VerificationRepository } from "../../server/verification/repository.ts";

const N = Number(process.env.INSIGHTS_BENCH_N ?? 1_000_000);
const DAYS = 30;
/** Verifications in one hour at 10 million over 30 days. */
const DENSE_HOUR = Math.round(10_000_000 / (DAYS * 24));
const file = path.resolve("tmp/bench-insights.db");

/** Mobile prefixes that libphonenumber places, with how often each is drawn. */
const PREFIXES: [string, number, number][] = [
  ["+1415", 7, 40], // US: +1 415 555 xxxx style, 7 more digits
  ["+447400", 6, 15], // GB
  ["+33612", 6, 12], // FR
  ["+4915112", 6, 10], // DE
  ["+9198", 8, 10], // IN
  ["+5511987", 6, 8], // BR
  ["+23480", 8, 5], // NG
];
const CARRIERS = ["twilio", "vonage", "sandbox"];
const SURFACES = ["native", "auth", "twilio"];

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length]!;
}

function numberFor(i: number): string {
  const total = PREFIXES.reduce((n, [, , w]) => n + w, 0);
  let r = (i * 7919) % total;
  for (const [prefix, digits, weight] of PREFIXES) {
    if (r < weight) return prefix + String((i * 104_729) % 10 ** digits).padStart(digits, "0");
    r -= weight;
  }
  return "+14155550100";
}

function seed(db: Database.Database, count: number, from: number, spanMs: number, idPrefix: string): void {
  const v = db.prepare(
    `INSERT INTO verifications (id, "to", purpose, status, workflow, code_hash, code_sealed, code_length, locale, attempts, max_attempts, valid_for,
     expires_at, surface, test_number, created_at, updated_at, finished_at) VALUES (?, ?, 'verify', ?, '[{"channel":"sms","afterSeconds":0}]', 'h', 's', 6, 'en', 0, 5, 600, ?, ?, 0, ?, ?, ?)`,
  );
  const d = db.prepare(
    `INSERT INTO deliveries (id, verification_id, step_index, kind, channel, carrier, status, due_at, tries, created_at, updated_at, sent_at)
     VALUES (?, ?, 0, 'workflow', ?, ?, 'sent', ?, 1, ?, ?, ?)`,
  );
  const BATCH = 50_000;
  for (let start = 0; start < count; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(count, start + BATCH); i++) {
        const created = from + Math.floor((i / count) * spanMs);
        const at = new Date(created).toISOString();
        const status = i % 10 < 7 ? "approved" : i % 10 < 9 ? "expired" : "canceled";
        const finished = new Date(created + (status === "approved" ? 5_000 + (i % 120) * 1_000 : 600_000)).toISOString();
        const id = `${idPrefix}${String(i).padStart(12, "0")}`;
        v.run(id, numberFor(i), status, new Date(created + 600_000).toISOString(), pick(SURFACES, i >> 2), at, at, finished);
        d.run(`d${id}`, id, i % 10 === 3 ? "voice" : "sms", pick(CARRIERS, i >> 1), at, at, at, new Date(created + 1_000).toISOString());
      }
    })();
  }
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, value };
}

async function median(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(fn)).ms);
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(1)} ms`);

fs.mkdirSync(path.dirname(file), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
const target = resolveDatabaseTarget(`file:${file}`);
await migrateIfNeeded(target);

const now = new Date();
const current = floorHour(now).getTime();
const db = new Database(file);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
const seeding = await time(() => {
  // N over the 30 days before the previous hour, then the dense hour as the previous one.
  seed(db, N, current - DAYS * 24 * HOUR_MS, (DAYS * 24 - 1) * HOUR_MS, "0190");
  seed(db, DENSE_HOUR, current - HOUR_MS, HOUR_MS - 1, "0191");
});
db.close();
console.log(`seeded ${N.toLocaleString("en")} + ${DENSE_HOUR.toLocaleString("en")} verifications (one message each) in ${fmt(seeding.ms)}`);

const sql = openSql(target);
const repo = new VerificationRepository(sql);
const clock = () => now;
const rollup = new InsightsRollup({ sql, source: repo, clock, hoursPerPass: 48 });
const since30 = new Date(current - DAYS * 24 * HOUR_MS);

const raw = await median(
  () => sql.all(`SELECT surface, status, COUNT(*) AS n FROM verifications WHERE created_at >= ? GROUP BY surface, status`, [since30]),
  3,
);
console.log(`raw: one GROUP BY over 30 days of verifications (created_at index): ${fmt(raw)}`);

let hours = 0;
const backfill = await time(async () => {
  while (!(await rollup.caughtUp(now))) hours += await rollup.pass(now);
});
console.log(`rollup backfill: ${hours} hours in ${fmt(backfill.ms)} (${fmt(backfill.ms / Math.max(1, hours))} per hour)`);
const steady = await median(() => rollup.pass(now), 3);
console.log(`rollup steady pass (current hour + the previous, ${DENSE_HOUR.toLocaleString("en")} verifications): ${fmt(steady)}`);

const buckets = await sql.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM insight_buckets`);
console.log(`insight_buckets rows: ${Number(buckets?.n).toLocaleString("en")}`);
const queries = new InsightsQueries(sql);
const costs = new CostTable(sql, clock);
await costs.set({ carrier: "twilio", country: "*", currency: "USD", pricePerMessage: "0.0079" });
for (const range of INSIGHT_RANGES) {
  const ms = await median(async () =>
    insightsReport({ queries, range, now, prices: await costs.priceBook(), refusals: [], budgetPerHour: 1000, computedAt: await rollup.lastComputedAt() }),
  );
  console.log(`report ${range}: ${fmt(ms)} (median of 5)`);
}
const report = await insightsReport({ queries, range: "30d", now, prices: await costs.priceBook(), refusals: [], budgetPerHour: 1000, computedAt: null });
console.log(`check: 30 d started ${report.totals.started.toLocaleString("en")}, approved ${report.totals.approved.toLocaleString("en")}`);
await sql.close();
