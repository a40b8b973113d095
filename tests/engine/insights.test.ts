/**
 * The /owner insights' aggregates (server/owners/insights/): the rollup's numbers equal counts of the raw
 * rows, a second pass changes nothing, a rollup that dies midway leaves the hour as it was, refusals and
 * prices come out as counted and set. On SQLite and PostgreSQL (skipped without it, except in CI).
 */
import { afterEach, describe, expect, it } from "vitest";
import { countryOf } from "../../lib/phone.ts";
import type { Sql } from "../../server/store/sql.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();

/** Two US, two French, one British number: one each approved, one each left pending, one expired. */
const NUMBERS = ["+14155550101", "+14155550102", "+33612345671", "+33612345672", "+447400123456"];

async function seed(t: TestRuntime): Promise<void> {
  const { engine } = t.runtime;
  for (const [i, to] of NUMBERS.entries()) {
    const { verification } = await engine.create({ to, validFor: i === 4 ? 30 : 600 });
    if (i % 2 === 0 && i !== 4) {
      t.clock.advance(7);
      await engine.check({ id: verification.id }, await t.lastCode(to));
    }
  }
  // The British one expires.
  t.clock.advance(31);
  await t.runtime.scheduler.tick();
}

/** What the raw rows say, counted in SQL: started and approved per country, and messages sent. */
async function rawCounts(sql: Sql): Promise<{ byCountry: Record<string, { started: number; approved: number }>; sends: number }> {
  const rows = await sql.all<{ to: string; status: string }>(`SELECT "to", status FROM verifications WHERE test_number = ?`, [false]);
  const byCountry: Record<string, { started: number; approved: number }> = {};
  for (const row of rows) {
    const entry = (byCountry[countryOf(row.to)] ??= { started: 0, approved: 0 });
    entry.started++;
    if (row.status === "approved") entry.approved++;
  }
  const sends = await sql.get<{ n: unknown }>(`SELECT COUNT(*) AS n FROM deliveries WHERE sent_at IS NOT NULL`);
  return { byCountry, sends: Number(sends?.n) };
}

/** A Sql whose transactions fail at the `failAt`-th statement: a rollup killed midway. */
function failingAfter(sql: Sql, failAt: number): Sql {
  return {
    dialect: sql.dialect,
    all: (s, p) => sql.all(s, p),
    get: (s, p) => sql.get(s, p),
    run: (s, p) => sql.run(s, p),
    runAll: (statements) => sql.runAll(statements),
    close: () => sql.close(),
    transaction: (fn) =>
      sql.transaction((tx) => {
        let statements = 0;
        const dying: Sql = {
          ...tx,
          dialect: tx.dialect,
          all: (s, p) => tx.all(s, p),
          get: (s, p) => tx.get(s, p),
          run: async (s, p) => {
            if (++statements === failAt) throw new Error("killed mid-rollup");
            return tx.run(s, p);
          },
          runAll: (list) => tx.runAll(list),
          transaction: (inner) => tx.transaction(inner),
        };
        return fn(dying);
      }),
  };
}

describe.each(providers)("insights on %s", (provider) => {
  let t: TestRuntime | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it("counts started, approved, sends and approval times as the raw rows say, and a second pass changes nothing", async () => {
    t = await startTestRuntime(provider);
    await seed(t);
    const { insights, sql } = t.runtime;
    expect(await insights.rollup.pass()).toBeGreaterThan(0);
    const report = await insights.report("24h");
    const raw = await rawCounts(sql);
    const shown = Object.fromEntries(report.byCountry.map((c) => [c.key, { started: c.started, approved: c.approved }]));
    expect(shown).toEqual(raw.byCountry);
    // The 7-day view reads the daily rows, summed from the hours: the same numbers.
    const week = await insights.report("7d");
    expect(Object.fromEntries(week.byCountry.map((c) => [c.key, { started: c.started, approved: c.approved }]))).toEqual(raw.byCountry);
    expect(week.byChannel).toEqual(report.byChannel);
    expect(raw.byCountry).toEqual({ US: { started: 2, approved: 1 }, FR: { started: 2, approved: 1 }, GB: { started: 1, approved: 0 } });
    expect(report.totals).toMatchObject({ started: 5, approved: 2, sends: raw.sends, pending: 2 });
    expect(report.totals.conversion).toBeCloseTo(0.4);
    expect(report.byCarrier.map((c) => c.key)).toEqual(["sandbox"]);
    expect(report.byChannel).toEqual([{ key: "sms", started: 5, approved: 2, sends: 5, conversion: 0.4 }]);
    // Both approvals came 7 s after their code was sent: bucket "≤ 10 s".
    expect(report.latency).toMatchObject({ approvals: 2, medianAtMostSeconds: 10, p95AtMostSeconds: 10 });
    expect(report.series.reduce((n, s) => n + s.started, 0)).toBe(5);
    expect(report.budget.peak?.sends).toBe(raw.sends);

    const before = await sql.all(`SELECT * FROM insight_buckets ORDER BY country, carrier, channel, surface`);
    await insights.rollup.pass();
    await insights.rollup.pass();
    expect(await sql.all(`SELECT * FROM insight_buckets ORDER BY country, carrier, channel, surface`)).toEqual(before);
  });

  it("a rollup that dies midway leaves the hour as it was, and the next pass counts it once", async () => {
    t = await startTestRuntime(provider);
    await seed(t);
    const { insights, sql, engine } = t.runtime;
    await insights.rollup.pass();
    const before = await sql.all(`SELECT * FROM insight_buckets ORDER BY country, carrier, channel, surface`);
    // More verifications in the same hour, then a recount that dies after its DELETE and one INSERT.
    await engine.create({ to: "+14155550103" });
    const { InsightsRollup } = await import("../../server/owners/insights/rollup.ts");
    const dying = new InsightsRollup({ sql: failingAfter(sql, 3), source: engine.repo, clock: t.clock.now });
    await expect(dying.pass()).rejects.toThrow("killed mid-rollup");
    expect(await sql.all(`SELECT * FROM insight_buckets ORDER BY country, carrier, channel, surface`)).toEqual(before);
    await insights.rollup.pass();
    const report = await insights.report("24h");
    expect(report.byCountry.find((c) => c.key === "US")).toMatchObject({ started: 3, approved: 1 });
    expect(report.totals.started).toBe(6);
  });

  it("backfills hours it never computed, and marks an hour final once nothing in it is pending", async () => {
    t = await startTestRuntime(provider);
    await seed(t);
    const { insights, sql } = t.runtime;
    // Two days later: the seeded hour is behind the two the rollup always recounts.
    t.clock.advance(2 * 86_400);
    await t.runtime.scheduler.tick();
    // At most 24 hours a pass: the backfill takes a few.
    let passes = 0;
    while (!(await insights.rollup.caughtUp())) {
      await insights.rollup.pass();
      passes++;
    }
    expect(passes).toBeGreaterThan(1);
    const hours = await sql.all<{ final: unknown }>(`SELECT final FROM insight_hours WHERE hour < ?`, [new Date(t.clock.now().getTime() - 7_200_000)]);
    expect(hours.length).toBeGreaterThan(40);
    expect(hours.every((h) => h.final === true || h.final === 1)).toBe(true);
    expect((await insights.report("7d")).totals).toMatchObject({ started: 5, approved: 2, pending: 0 });
    expect((await insights.report("24h")).totals.started).toBe(0);
  });

  it("counts fraud refusals by reason, and prices sends per carrier and country", async () => {
    t = await startTestRuntime(provider, { ALLOWED_COUNTRIES: "US,FR,GB" });
    await seed(t);
    const { insights, engine } = t.runtime;
    await expect(engine.create({ to: "+4915112345678" })).rejects.toMatchObject({ code: "country_not_allowed" });
    await expect(engine.create({ to: "+4915112345679" })).rejects.toMatchObject({ code: "country_not_allowed" });
    await insights.costs.set({ carrier: "sandbox", country: "US", currency: "USD", pricePerMessage: "0.0100" });
    await insights.costs.set({ carrier: "sandbox", country: "*", currency: "USD", pricePerMessage: "0.002" });
    await insights.rollup.pass();
    const report = await insights.report("30d");
    expect(report.refusals).toEqual([{ reason: "country_not_allowed", count: 2 }]);
    // Two US sends at 0.01, three elsewhere at 0.002.
    expect(report.cost.totals).toEqual({ USD: "0.026" });
    expect(report.cost.unpriced).toBe(0);
    expect(await insights.costs.list()).toMatchObject([
      { carrier: "sandbox", country: "*", pricePerMessage: "0.002" },
      { carrier: "sandbox", country: "US", pricePerMessage: "0.01" },
    ]);
    expect(await insights.costs.remove({ carrier: "sandbox", country: "*" })).toBe(true);
    expect(await insights.costs.remove({ carrier: "sandbox", country: "*" })).toBe(false);
    expect((await insights.report("30d")).cost).toMatchObject({ totals: { USD: "0.02" }, unpriced: 3 });
  });
});
