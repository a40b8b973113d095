/**
 * The /owner insights (issue 15): conversion, sends, cost, approval times, fraud refusals and budget use,
 * from rollup rows the rollup (rollup.ts) writes every `rollupIntervalMs`, the fraud refusals this node
 * counts (refusals.ts) and the owner's prices (costs.ts). Built by createTextgate (server/textgate.ts); the
 * /api/owner/insights routes serve it, owners only. This folder owns the insight_* tables.
 */
import type { Logger } from "pino";
import type { EventBus } from "../../events/bus.ts";
import type { Sql } from "../../store/sql.ts";
import type { EngineObserver } from "../../verification/observer.ts";
import { CostTable } from "./costs.ts";
import { InsightsRollup, type RollupSource } from "./rollup.ts";
import { RefusalCounter } from "./refusals.ts";
import { type InsightRange, type InsightsReport, InsightsQueries, insightsReport } from "./report.ts";

/** How often counted refusals are written (a crash loses at most this much of them). */
const REFUSALS_FLUSH_MS = 5_000;

export interface InsightsSettings {
  /** SEND_BUDGET_PER_HOUR, drawn against the hourly sends. */
  budgetPerHour: number;
  /** INSIGHTS_ROLLUP_INTERVAL_MS. */
  rollupIntervalMs: number;
}

export interface Insights {
  rollup: InsightsRollup;
  refusals: RefusalCounter;
  costs: CostTable;
  report(range: InsightRange): Promise<InsightsReport>;
  /** Starts the rollup's and the refusal counter's timers (not in tests that drive them). */
  start(): void;
  close(): Promise<void>;
}

/** The refusal counter comes first: the engine, built before this, reports refusals to it (observerWith). */
export function createRefusalCounter(deps: { sql: Sql; clock: () => Date; logger: Logger }): RefusalCounter {
  return new RefusalCounter(deps.sql, deps.clock, deps.logger);
}

/** An engine observer that also counts fraud refusals for the insights. */
export function observerWith(refusals: RefusalCounter, observer: EngineObserver | null): EngineObserver {
  return {
    checked: (outcome) => observer?.checked(outcome),
    delivered: (carrier, channel, seconds) => observer?.delivered(carrier, channel, seconds),
    refused(reason) {
      refusals.refused(reason);
      observer?.refused(reason);
    },
  };
}

export function createInsights(deps: {
  sql: Sql;
  source: RollupSource;
  refusals: RefusalCounter;
  events: EventBus;
  clock: () => Date;
  logger: Logger;
  settings: InsightsSettings;
}): Insights {
  const { sql, clock, logger, settings, refusals } = deps;
  const rollup = new InsightsRollup({ sql, source: deps.source, clock });
  const costs = new CostTable(sql, clock);
  const queries = new InsightsQueries(sql);
  // Sign-ins past AUTH_COUNTRIES_PER_IP are answered as usual and publish this instead of throwing.
  const unsubscribe = deps.events.subscribe("auth.start_blocked", (event, meta) => {
    if (!meta.remote) refusals.refused(event.data.reason);
  });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const pass = () => {
    running ??= rollup
      .pass()
      .then(() => undefined)
      .catch((error: unknown) => logger.warn({ err: error }, "insights rollup pass failed"))
      .finally(() => {
        running = null;
      });
    return running;
  };
  return {
    rollup,
    refusals,
    costs,
    async report(range) {
      await refusals.flush();
      return insightsReport({
        queries,
        range,
        now: clock(),
        prices: await costs.priceBook(),
        refusals: (since) => refusals.byReason(since),
        budgetPerHour: settings.budgetPerHour,
        computedAt: await rollup.lastComputedAt(),
      });
    },
    start() {
      refusals.start(REFUSALS_FLUSH_MS);
      if (timer) return;
      timer = setInterval(() => void pass(), settings.rollupIntervalMs);
      timer.unref();
      void pass();
    },
    async close() {
      unsubscribe();
      if (timer) clearInterval(timer);
      timer = null;
      await running;
      await refusals.close();
    },
  };
}
