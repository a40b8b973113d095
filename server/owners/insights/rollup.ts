/**
 * The insights rollup: turns the raw verifications and messages of each hour into a few rows
 * (insight_buckets per country, carrier, channel and surface; insight_latency; insight_hours), so the
 * /owner insights page reads hundreds of rows for 30 days however many millions of verifications there
 * are (docs/benchmarks.md, "Insights").
 *
 * An hour is always recomputed from the raw rows and written in one transaction that replaces the
 * hour's rows and its day's (insight_days, summed from the day's hours); nothing is ever incremented.
 * A process killed midway (SIGKILL included) rolls the transaction back and leaves the hour as it was; two nodes computing the same hour write the same
 * numbers. Buckets are by the verification's creation hour: a verification and the messages sent for
 * it count in the hour it started, so an hour can still change while something in it is pending.
 *
 * Each pass computes, oldest first and at most `hoursPerPass`: the current and the previous hour; hours
 * not final (something still pending when last computed) once they are `staleMs` old; and hours never
 * computed since the oldest verification (the backfill after this table first appears).
 */
import { countryOf } from "../../../lib/phone.ts";
import type { Sql } from "../../store/sql.ts";
import { toDate } from "../../store/sql.ts";
import type { SentMessage, StartedVerification } from "../../verification/repository.ts";
import { DAY_MS, HOUR_MS, floorDay, floorHour } from "./hours.ts";
import { latencyBucket } from "./latency.ts";

/** Where the rollup reads raw rows: the engine's repository (the owner of verifications and deliveries). */
export interface RollupSource {
  startedBetween(from: Date, to: Date): Promise<{ verifications: StartedVerification[]; sends: SentMessage[] }>;
  oldestCreatedAt(): Promise<Date | null>;
}

export interface RollupOptions {
  sql: Sql;
  source: RollupSource;
  clock: () => Date;
  /** Hours computed by one pass at most (default 24). */
  hoursPerPass?: number;
  /** How old a computation of a not-final hour may get before it is redone (default 15 min). */
  staleMs?: number;
}

/** One row of insight_buckets: what the verifications started in `hour` came to, for one set of dimensions. */
export interface BucketRow {
  country: string;
  carrier: string;
  channel: string;
  surface: string;
  started: number;
  approved: number;
  pending: number;
  sends: number;
}

export interface HourRollup {
  buckets: BucketRow[];
  /** Approved verifications per latency bucket (latency.ts). */
  latency: Map<number, number>;
  /** Nothing in the hour can change any more. */
  final: boolean;
}

/** After an hour ends, how long before nothing sent for it can still land (a send in flight at approval). */
const SETTLE_MS = 5 * 60_000;

/** Countries of number prefixes seen: countryOf is about 10 µs, and an hour repeats its prefixes. */
const COUNTRY_CACHE = 50_000;

/** Computes one hour from its raw rows (pure, for tests and the bench). */
export function rollUpHour(hour: Date, rows: { verifications: StartedVerification[]; sends: SentMessage[] }, now: Date, country: (to: string) => string = countryOf): HourRollup {
  const firstSend = new Map<string, SentMessage>();
  for (const send of rows.sends) {
    const earlier = firstSend.get(send.verificationId);
    if (!earlier || send.sentAt < earlier.sentAt) firstSend.set(send.verificationId, send);
  }
  const buckets = new Map<string, BucketRow>();
  const bucket = (dims: Pick<BucketRow, "country" | "carrier" | "channel" | "surface">): BucketRow => {
    const key = `${dims.country}\u0000${dims.carrier}\u0000${dims.channel}\u0000${dims.surface}`;
    let row = buckets.get(key);
    if (!row) buckets.set(key, (row = { ...dims, started: 0, approved: 0, pending: 0, sends: 0 }));
    return row;
  };
  const latency = new Map<number, number>();
  const byId = new Map<string, { country: string; surface: string }>();
  let pending = 0;
  for (const v of rows.verifications) {
    const first = firstSend.get(v.id);
    const dims = { country: country(v.to), carrier: first?.carrier ?? "none", channel: first?.channel ?? "none", surface: v.surface };
    byId.set(v.id, dims);
    const row = bucket(dims);
    row.started++;
    if (v.status === "approved") {
      row.approved++;
      if (first && v.finishedAt) {
        const b = latencyBucket(Math.max(0, (v.finishedAt.getTime() - first.sentAt.getTime()) / 1000));
        latency.set(b, (latency.get(b) ?? 0) + 1);
      }
    } else if (v.status === "pending") {
      row.pending++;
      pending++;
    }
  }
  for (const send of rows.sends) {
    const of = byId.get(send.verificationId);
    if (!of) continue;
    bucket({ country: of.country, carrier: send.carrier ?? "unknown", channel: send.channel, surface: of.surface }).sends++;
  }
  return { buckets: [...buckets.values()], latency, final: pending === 0 && hour.getTime() + HOUR_MS + SETTLE_MS <= now.getTime() };
}

export class InsightsRollup {
  private readonly countries = new Map<string, string>();

  constructor(private readonly options: RollupOptions) {}

  /** The country of a number, remembered by its first seven digits (which place every country code). */
  private countryOf = (to: string): string => {
    const prefix = to.slice(0, 8);
    let country = this.countries.get(prefix);
    if (country === undefined) {
      country = countryOf(to);
      if (this.countries.size >= COUNTRY_CACHE) this.countries.clear();
      this.countries.set(prefix, country);
    }
    return country;
  };

  /** The hours this pass should compute, oldest first. */
  async dueHours(now: Date): Promise<Date[]> {
    const { sql, source } = this.options;
    const limit = this.options.hoursPerPass ?? 24;
    const staleMs = this.options.staleMs ?? 15 * 60_000;
    const current = floorHour(now).getTime();
    const due = new Set<number>([current - HOUR_MS, current]);
    const stale = await sql.all<{ hour: unknown }>(
      `SELECT hour FROM insight_hours WHERE final = ? AND hour < ? AND computed_at < ? ORDER BY hour LIMIT ?`,
      [false, new Date(current - HOUR_MS), new Date(now.getTime() - staleMs), limit],
    );
    for (const row of stale) due.add(toDate(row.hour).getTime());
    const oldest = await source.oldestCreatedAt();
    if (oldest) {
      const from = floorHour(oldest);
      const known = new Set(
        (await sql.all<{ hour: unknown }>(`SELECT hour FROM insight_hours WHERE hour >= ?`, [from])).map((row) => toDate(row.hour).getTime()),
      );
      for (let hour = from.getTime(); hour < current - HOUR_MS && due.size < limit + 2; hour += HOUR_MS) {
        if (!known.has(hour)) due.add(hour);
      }
    }
    return [...due].sort((a, b) => a - b).map((ms) => new Date(ms));
  }

  /** Recomputes one hour and replaces its rows, in one transaction. */
  async computeHour(hour: Date, now = this.options.clock()): Promise<HourRollup> {
    const rows = await this.options.source.startedBetween(hour, new Date(hour.getTime() + HOUR_MS));
    const result = rollUpHour(hour, rows, now, this.countryOf);
    await this.options.sql.transaction(async (tx) => {
      await tx.run(`DELETE FROM insight_buckets WHERE hour = ?`, [hour]);
      for (const b of result.buckets) {
        // ON CONFLICT: another node may have written this hour since the DELETE; both wrote the same recount.
        await tx.run(
          `INSERT INTO insight_buckets (hour, country, carrier, channel, surface, started, approved, pending, sends) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (hour, country, carrier, channel, surface) DO UPDATE SET started = excluded.started, approved = excluded.approved,
           pending = excluded.pending, sends = excluded.sends`,
          [hour, b.country, b.carrier, b.channel, b.surface, b.started, b.approved, b.pending, b.sends],
        );
      }
      await tx.run(`DELETE FROM insight_latency WHERE hour = ?`, [hour]);
      for (const [bucket, count] of result.latency) {
        await tx.run(`INSERT INTO insight_latency (hour, bucket, count) VALUES (?, ?, ?) ON CONFLICT (hour, bucket) DO UPDATE SET count = excluded.count`, [
          hour,
          bucket,
          count,
        ]);
      }
      const t = result.buckets.reduce((sum, b) => ({ started: sum.started + b.started, approved: sum.approved + b.approved, pending: sum.pending + b.pending, sends: sum.sends + b.sends }), {
        started: 0,
        approved: 0,
        pending: 0,
        sends: 0,
      });
      await tx.run(
        `INSERT INTO insight_hours (hour, computed_at, final, started, approved, pending, sends) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (hour) DO UPDATE SET computed_at = excluded.computed_at, final = excluded.final, started = excluded.started,
         approved = excluded.approved, pending = excluded.pending, sends = excluded.sends`,
        [hour, now, result.final, t.started, t.approved, t.pending, t.sends],
      );
      // The day's rows, summed again from its hours (as recomputed, never incremented).
      const day = floorDay(hour);
      await tx.run(`DELETE FROM insight_days WHERE day = ?`, [day]);
      await tx.run(
        `INSERT INTO insight_days (day, country, carrier, channel, surface, started, approved, pending, sends)
         SELECT ?, country, carrier, channel, surface, SUM(started), SUM(approved), SUM(pending), SUM(sends) FROM insight_buckets
         WHERE hour >= ? AND hour < ? GROUP BY country, carrier, channel, surface
         ON CONFLICT (day, country, carrier, channel, surface) DO UPDATE SET started = excluded.started, approved = excluded.approved,
         pending = excluded.pending, sends = excluded.sends`,
        [day, day, new Date(day.getTime() + DAY_MS)],
      );
    });
    return result;
  }

  /** One pass: computes the due hours; resolves to how many it computed. */
  async pass(now = this.options.clock()): Promise<number> {
    const hours = await this.dueHours(now);
    for (const hour of hours) await this.computeHour(hour, now);
    return hours.length;
  }

  /** Whether every hour since the oldest verification has been computed (the backfill is done). */
  async caughtUp(now = this.options.clock()): Promise<boolean> {
    const due = await this.dueHours(now);
    return due.length <= 2;
  }

  /** When the rollup last computed an hour, or null (the page says how fresh its numbers are). */
  async lastComputedAt(): Promise<Date | null> {
    const row = await this.options.sql.get<{ at: unknown }>(`SELECT MAX(computed_at) AS at FROM insight_hours`);
    return row?.at == null ? null : toDate(row.at);
  }
}
