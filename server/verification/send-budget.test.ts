import crypto from "node:crypto";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { isTextgateError } from "../../lib/errors.ts";
import { useRedis } from "../../tests/helpers/services.ts";
import {
  BUDGET_WINDOW_MS,
  CircuitBreaker,
  type BudgetAlarms,
  type BudgetWindow,
  createSendBudget,
  MemoryBudgetWindow,
  RedisBudgetWindow,
  takeOrRefuse,
  UNLIMITED_BUDGET,
} from "./send-budget.ts";

const START = Date.parse("2026-11-22T10:00:30.000Z");
const MINUTE = 60_000;

/** The same behaviour asked of both windows. */
function describeWindow(name: string, makeWindow: (perHour: number) => BudgetWindow, enabled: () => boolean) {
  describe(name, () => {
    it("counts up to the budget, then refuses until the oldest minute leaves the hour", async (ctx) => {
      if (!enabled()) return ctx.skip();
      const window = makeWindow(3);
      expect(await window.take(START)).toEqual({ taken: true });
      expect(await window.take(START + 5 * MINUTE)).toEqual({ taken: true });
      expect(await window.take(START + 5 * MINUTE)).toEqual({ taken: true });
      // The first message was counted in the bucket of 10:00; it leaves the window at 11:00.
      const refused = await window.take(START + 10 * MINUTE);
      expect(refused).toEqual({ taken: false, retryAfterMs: BUDGET_WINDOW_MS - 30_000 - 10 * MINUTE });
      expect(await window.take(START + BUDGET_WINDOW_MS - 31_000)).toMatchObject({ taken: false });
      expect(await window.take(START + BUDGET_WINDOW_MS - 30_000)).toEqual({ taken: true });
      // Two left with 10:05; both must leave before another fits.
      expect(await window.take(START + BUDGET_WINDOW_MS)).toEqual({ taken: false, retryAfterMs: 5 * MINUTE - 30_000 });
    });

    it("claims a trip and its recovery once each", async (ctx) => {
      if (!enabled()) return ctx.skip();
      const window = makeWindow(1);
      expect(await window.claimRecovery()).toBe(false);
      expect(await window.claimTrip()).toBe(true);
      expect(await window.claimTrip()).toBe(false);
      expect(await window.claimRecovery()).toBe(true);
      expect(await window.claimRecovery()).toBe(false);
    });
  });
}

describeWindow("MemoryBudgetWindow", (perHour) => new MemoryBudgetWindow(perHour), () => true);

const redis = useRedis();
describeWindow("RedisBudgetWindow", (perHour) => new RedisBudgetWindow(redis() as Redis, perHour, `test:${crypto.randomUUID()}:`), () => redis() !== null);

describe("the circuit breaker", () => {
  function recorder(): BudgetAlarms & { calls: string[] } {
    const calls: string[] = [];
    return { calls, tripped: (ms) => calls.push(`tripped ${ms}`), recovered: () => calls.push("recovered") };
  }

  it("raises the alarm once per trip, and reports the recovery once", async () => {
    let now = START;
    const alarms = recorder();
    const budget = createSendBudget({ perHour: 2, alarms, clock: () => new Date(now) });
    expect((await budget.take()).taken).toBe(true);
    expect((await budget.take()).taken).toBe(true);
    for (let i = 0; i < 5; i++) expect((await budget.take()).taken).toBe(false);
    expect(alarms.calls).toEqual([`tripped ${BUDGET_WINDOW_MS - 30_000}`]);
    now = START + BUDGET_WINDOW_MS;
    expect((await budget.take()).taken).toBe(true);
    expect((await budget.take()).taken).toBe(true);
    expect(alarms.calls).toEqual([`tripped ${BUDGET_WINDOW_MS - 30_000}`, "recovered"]);
    expect((await budget.take()).taken).toBe(false);
    expect(alarms.calls).toHaveLength(3);
  });

  it("alarms once for all nodes sharing Redis", async (ctx) => {
    if (!redis()) return ctx.skip();
    const prefix = `test:${crypto.randomUUID()}:`;
    const alarms = recorder();
    const clock = () => new Date(START);
    // Two nodes: two breakers over one shared window.
    const nodes = [0, 1].map(() => new RedisBudgetWindow(redis() as Redis, 1, prefix));
    const [a, b] = nodes.map((window) => new CircuitBreaker(window, alarms, clock));
    expect((await a!.take()).taken).toBe(true);
    expect((await b!.take()).taken).toBe(false);
    expect((await a!.take()).taken).toBe(false);
    expect(alarms.calls).toHaveLength(1);
  });

  it("refuses with send_budget_exhausted and Retry-After in whole seconds; 0 means no budget", async () => {
    const budget = createSendBudget({ perHour: 1, alarms: recorder(), clock: () => new Date(START) });
    await takeOrRefuse(budget);
    const error = await takeOrRefuse(budget).catch((e: unknown) => e);
    expect(isTextgateError(error) && { code: error.code, status: error.status, retryAfter: error.retryAfter }).toEqual({
      code: "send_budget_exhausted",
      status: 503,
      retryAfter: (BUDGET_WINDOW_MS - 30_000) / 1000,
    });
    expect(createSendBudget({ perHour: 0, alarms: recorder() })).toBe(UNLIMITED_BUDGET);
  });
});
