/**
 * What /owner/insights shows for a range (24 h, 7 d, 30 d), read from the rollup's rows (rollup.ts:
 * insight_hours, insight_buckets for 24 h, insight_days for 7 and 30 d, insight_latency) and
 * insight_refusals: a few GROUP BY over at most 720 hours or 30 days of rows, whatever the number of
 * verifications. Hours and days are UTC.
 */
import { z } from "zod";
import type { Sql } from "../../store/sql.ts";
import { toDate } from "../../store/sql.ts";
import { fromMicros, type PriceBook } from "./costs.ts";
import { DAY_MS, HOUR_MS, floorDay, floorHour } from "./hours.ts";
import { LATENCY_BOUNDS_SECONDS, latencyQuantile } from "./latency.ts";

export const INSIGHT_RANGES = ["24h", "7d", "30d"] as const;
export type InsightRange = (typeof INSIGHT_RANGES)[number];

export const insightsQuerySchema = z.strictObject({
  range: z.enum(INSIGHT_RANGES).default("7d").describe("How far back: the last 24 hours (by hour), 7 or 30 days (by day)."),
});

export interface Counts {
  started: number;
  approved: number;
  sends: number;
  /** approved ÷ started, or null when nothing started. */
  conversion: number | null;
}

export interface InsightsReport {
  range: InsightRange;
  granularity: "hour" | "day";
  since: string;
  until: string;
  /** When the rollup last computed an hour (the numbers are as of then), or null before its first pass. */
  computedAt: string | null;
  totals: Counts & { pending: number };
  series: (Counts & { at: string })[];
  byCountry: (Counts & { key: string })[];
  byCarrier: (Counts & { key: string })[];
  byChannel: (Counts & { key: string })[];
  bySurface: (Counts & { key: string })[];
  cost: {
    /** Per slot of the series: sends, their cost per currency (decimal strings) and sends without a price. */
    series: { at: string; sends: number; cost: Record<string, string>; unpriced: number }[];
    totals: Record<string, string>;
    unpriced: number;
  };
  latency: {
    approvals: number;
    medianAtMostSeconds: number | null;
    p95AtMostSeconds: number | null;
    buckets: { atMostSeconds: number | null; count: number }[];
  };
  refusals: { reason: string; count: number }[];
  budget: {
    perHour: number;
    peak: { at: string; sends: number } | null;
    hourly: { at: string; sends: number }[];
  };
}

export function rangeStart(range: InsightRange, now: Date): { since: Date; granularity: "hour" | "day"; slots: number } {
  if (range === "24h") return { since: new Date(floorHour(now).getTime() - 23 * HOUR_MS), granularity: "hour", slots: 24 };
  const days = range === "7d" ? 7 : 30;
  return { since: new Date(floorDay(now).getTime() - (days - 1) * DAY_MS), granularity: "day", slots: days };
}

const rate = (approved: number, started: number) => (started > 0 ? approved / started : null);
const counts = (r: Record<string, unknown>): Counts => {
  const started = Number(r.started ?? 0);
  const approved = Number(r.approved ?? 0);
  return { started, approved, sends: Number(r.sends ?? 0), conversion: rate(approved, started) };
};

type Dimension = "country" | "carrier" | "channel" | "surface";

/**
 * The rows a range reads: hourly buckets for the last 24 hours, daily ones (insight_days) for 7 and 30
 * days, whose ranges start at midnight UTC; totals per hour (insight_hours) for the series either way.
 */
export interface Slice {
  table: "insight_buckets" | "insight_days";
  column: "hour" | "day";
  since: Date;
}

export function sliceOf(granularity: "hour" | "day", since: Date): Slice {
  return granularity === "hour" ? { table: "insight_buckets", column: "hour", since } : { table: "insight_days", column: "day", since };
}

export class InsightsQueries {
  constructor(private readonly sql: Sql) {}

  async totals(since: Date): Promise<Counts & { pending: number }> {
    const row = await this.sql.get<Record<string, unknown>>(
      `SELECT SUM(started) AS started, SUM(approved) AS approved, SUM(sends) AS sends, SUM(pending) AS pending FROM insight_hours WHERE hour >= ?`,
      [since],
    );
    return { ...counts(row ?? {}), pending: Number(row?.pending ?? 0) };
  }

  async perHour(since: Date): Promise<(Counts & { hour: Date })[]> {
    const rows = await this.sql.all<Record<string, unknown>>(`SELECT hour, started, approved, sends FROM insight_hours WHERE hour >= ? ORDER BY hour`, [since]);
    return rows.map((r) => ({ hour: toDate(r.hour), ...counts(r) }));
  }

  async by(dimension: Dimension, slice: Slice): Promise<(Counts & { key: string })[]> {
    // `dimension` and the slice's table and column are fixed names (their types), never input.
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT ${dimension} AS k, SUM(started) AS started, SUM(approved) AS approved, SUM(sends) AS sends FROM ${slice.table} WHERE ${slice.column} >= ?
       GROUP BY ${dimension} ORDER BY SUM(started) DESC, SUM(sends) DESC, ${dimension}`,
      [slice.since],
    );
    return rows.map((r) => ({ key: String(r.k), ...counts(r) }));
  }

  async sendsByPrice(slice: Slice): Promise<{ at: Date; carrier: string; country: string; sends: number }[]> {
    const rows = await this.sql.all<Record<string, unknown>>(
      `SELECT ${slice.column} AS at, carrier, country, SUM(sends) AS sends FROM ${slice.table} WHERE ${slice.column} >= ? AND sends > 0
       GROUP BY ${slice.column}, carrier, country`,
      [slice.since],
    );
    return rows.map((r) => ({ at: toDate(r.at), carrier: String(r.carrier), country: String(r.country), sends: Number(r.sends) }));
  }

  async latency(since: Date): Promise<Map<number, number>> {
    const rows = await this.sql.all<Record<string, unknown>>(`SELECT bucket, SUM(count) AS count FROM insight_latency WHERE hour >= ? GROUP BY bucket`, [since]);
    return new Map(rows.map((r) => [Number(r.bucket), Number(r.count)]));
  }
}

function addMoney(into: Map<string, number>, currency: string, micros: number): void {
  into.set(currency, (into.get(currency) ?? 0) + micros);
}

const money = (sums: Map<string, number>): Record<string, string> => Object.fromEntries([...sums].sort().map(([c, m]) => [c, fromMicros(m)]));

/** The whole report for a range, from the queries above. */
export async function insightsReport(input: {
  queries: InsightsQueries;
  range: InsightRange;
  now: Date;
  prices: PriceBook;
  refusals: { reason: string; count: number }[] | ((since: Date) => Promise<{ reason: string; count: number }[]>);
  budgetPerHour: number;
  computedAt: Date | null;
}): Promise<InsightsReport> {
  const { queries, range, now, prices } = input;
  const { since, granularity, slots } = rangeStart(range, now);
  const slotMs = granularity === "hour" ? HOUR_MS : DAY_MS;
  const slotOf = (at: Date) => Math.floor((at.getTime() - since.getTime()) / slotMs);
  const slice = sliceOf(granularity, since);
  const [totals, hours, byCountry, byCarrier, byChannel, bySurface, priced, latency, refusals] = await Promise.all([
    queries.totals(since),
    queries.perHour(since),
    queries.by("country", slice),
    queries.by("carrier", slice),
    queries.by("channel", slice),
    queries.by("surface", slice),
    queries.sendsByPrice(slice),
    queries.latency(since),
    typeof input.refusals === "function" ? input.refusals(since) : input.refusals,
  ]);

  const series = Array.from({ length: slots }, (_, i) => ({ at: new Date(since.getTime() + i * slotMs).toISOString(), started: 0, approved: 0, sends: 0, conversion: null as number | null }));
  for (const h of hours) {
    const slot = series[slotOf(h.hour)];
    if (!slot) continue;
    slot.started += h.started;
    slot.approved += h.approved;
    slot.sends += h.sends;
  }
  for (const slot of series) slot.conversion = rate(slot.approved, slot.started);

  const costSlots = series.map((s) => ({ at: s.at, sends: s.sends, sums: new Map<string, number>(), unpriced: 0 }));
  const costTotals = new Map<string, number>();
  let unpriced = 0;
  for (const row of priced) {
    const slot = costSlots[slotOf(row.at)];
    if (!slot) continue;
    const price = prices.priceOf(row.carrier, row.country);
    if (!price) {
      slot.unpriced += row.sends;
      unpriced += row.sends;
      continue;
    }
    addMoney(slot.sums, price.currency, price.micros * row.sends);
    addMoney(costTotals, price.currency, price.micros * row.sends);
  }

  const hourlySlots = granularity === "hour" ? slots : slots * 24;
  const hourly = Array.from({ length: hourlySlots }, (_, i) => ({ at: new Date(since.getTime() + i * HOUR_MS).toISOString(), sends: 0 }));
  for (const h of hours) {
    const slot = hourly[Math.floor((h.hour.getTime() - since.getTime()) / HOUR_MS)];
    if (slot) slot.sends += h.sends;
  }
  const peak = hourly.reduce<{ at: string; sends: number } | null>((best, h) => (h.sends > 0 && (!best || h.sends > best.sends) ? h : best), null);
  // Hours after now cannot have sends: leave them off the chart.
  const pastHours = hourly.filter((h) => Date.parse(h.at) <= now.getTime());

  const median = latencyQuantile(latency, 0.5);
  const p95 = latencyQuantile(latency, 0.95);
  return {
    range,
    granularity,
    since: since.toISOString(),
    until: now.toISOString(),
    computedAt: input.computedAt?.toISOString() ?? null,
    totals,
    series,
    byCountry,
    byCarrier,
    byChannel,
    bySurface,
    cost: {
      series: costSlots.map((s) => ({ at: s.at, sends: s.sends, cost: money(s.sums), unpriced: s.unpriced })),
      totals: money(costTotals),
      unpriced,
    },
    latency: {
      approvals: median?.count ?? 0,
      medianAtMostSeconds: median?.atMostSeconds ?? null,
      p95AtMostSeconds: p95?.atMostSeconds ?? null,
      buckets: [...LATENCY_BOUNDS_SECONDS, null].map((atMostSeconds, bucket) => ({ atMostSeconds, count: latency.get(bucket) ?? 0 })),
    },
    refusals,
    budget: { perHour: input.budgetPerHour, peak, hourly: pastHours },
  };
}
