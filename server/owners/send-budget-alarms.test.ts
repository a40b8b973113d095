import { describe, expect, it } from "vitest";
import { EventBus } from "../events/bus.ts";
import type { TextgateEvent } from "../events/types.ts";
import { createLogger } from "../logger.ts";
import { sendBudgetAlarms } from "./send-budget-alarms.ts";
import { noticeFor } from "../verification/notices.ts";
import { BUDGET_WINDOW_MS } from "../verification/send-budget.ts";

function setup(owners: string[]) {
  let now = Date.parse("2026-11-22T10:00:00.000Z");
  const lines: { level: number; msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger("info", { write: (line: string) => void lines.push(JSON.parse(line)) });
  const events = new EventBus();
  const published: TextgateEvent[] = [];
  events.subscribe("*", (e) => published.push(e));
  const texts: { to: string; body: string }[] = [];
  const alarms = sendBudgetAlarms({
    perHour: 1000,
    logger,
    events,
    owners,
    textOwner: async (to, body) => {
      texts.push({ to, body });
      return true;
    },
    notice: (to, key, values) => noticeFor({ brand: "textgate", defaultLocale: "en" }, to, key, values),
    clock: () => new Date(now),
  });
  return { alarms, lines, published, texts, advance: (ms: number) => (now += ms) };
}

describe("sendBudgetAlarms", () => {
  it("logs an error, publishes send_budget.exhausted and texts every owner when the budget trips", () => {
    const { alarms, lines, published, texts } = setup(["+12125550100", "+14155550123", "+33612345678"]);
    alarms.tripped(1_500_000);
    expect(lines).toEqual([expect.objectContaining({ level: 50, budgetPerHour: 1000, retryAfterSeconds: 1500, msg: expect.stringMatching(/^send budget exhausted/) })]);
    expect(published.map((e) => [e.type, e.data])).toEqual([["send_budget.exhausted", { budgetPerHour: 1000, retryAfterSeconds: 1500 }]]);
    expect(texts.map((t) => t.to)).toEqual(["+12125550100", "+14155550123", "+33612345678"]);
    expect(texts[0]?.body).toMatch(/^textgate: the send budget \(1000\/hour\) is spent; no codes go out for about 25 min/);
    // Each owner in the language of their number.
    expect(texts[2]?.body).toMatch(/^textgate : le budget d'envoi \(1000\/heure\) est épuisé ; aucun code pendant environ 25 min/);
  });

  it("logs and publishes the recovery", () => {
    const { alarms, lines, published, texts } = setup(["+12125550100"]);
    alarms.recovered();
    expect(lines).toEqual([expect.objectContaining({ level: 30, msg: "send budget recovered: sending resumed" })]);
    expect(published.map((e) => e.type)).toEqual(["send_budget.recovered"]);
    expect(texts).toEqual([]);
  });

  it("texts the owners at most once per budget window, however often the breaker trips", () => {
    const { alarms, published, texts, advance } = setup(["+12125550100"]);
    alarms.tripped(60_000);
    alarms.recovered();
    advance(120_000);
    alarms.tripped(60_000);
    expect(published.filter((e) => e.type === "send_budget.exhausted")).toHaveLength(2);
    expect(texts).toHaveLength(1);
    advance(BUDGET_WINDOW_MS);
    alarms.tripped(60_000);
    expect(texts).toHaveLength(2);
  });
});
