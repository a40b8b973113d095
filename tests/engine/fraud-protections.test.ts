/**
 * Security checklist items 20 and 21 in the engine: blocked line types and countries are refused before
 * anything is stored or sent; the global send budget refuses new verifications up front, postpones steps
 * that come due while it is spent (never marking them sent), alarms once, and resumes when the window frees.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { TextgateEvent } from "../../server/events/types.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const PREMIUM_RATE = "+19005550100";
const OWNER = "+14155550199";

describe("where codes may go", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("refuses premium-rate, VoIP and non-allow-listed numbers before storing or sending anything", async () => {
    t = await startTestRuntime("sqlite", { ALLOWED_COUNTRIES: "US,GB" });
    const refusals = [
      { to: PREMIUM_RATE, code: "line_type_not_allowed" },
      { to: "+445612345678", code: "line_type_not_allowed" },
      { to: "+4915112345678", code: "country_not_allowed" },
    ];
    for (const { to, code } of refusals) {
      await expect(t.runtime.engine.create({ to }), to).rejects.toMatchObject({ code, status: 403 });
      expect(await t.sent(to)).toEqual([]);
    }
    const { n } = (await t.runtime.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM verifications`)) ?? { n: -1 };
    expect(Number(n)).toBe(0);
    await t.runtime.engine.create({ to: "+12125550100" });
    expect(await t.sent("+12125550100")).toHaveLength(1);
  });
});

describe("the global send budget", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("refuses new sends once spent, postpones due steps unsent, alarms once, and resumes when the hour frees", async () => {
    t = await startTestRuntime("sqlite", { SEND_BUDGET_PER_HOUR: "2", OWNER_PHONES: OWNER });
    const budgetEvents: TextgateEvent[] = [];
    t.runtime.events.subscribe("*", (e) => {
      if (e.type.startsWith("send_budget.")) budgetEvents.push(e);
    });
    const twoSteps = { workflow: [{ channel: "sms" as const, afterSeconds: 0 }, { channel: "sms" as const, afterSeconds: 60 }], validFor: 7200 };
    const { verification: a } = await t.runtime.engine.create({ to: "+12125550101", ...twoSteps });
    await t.runtime.engine.create({ to: "+12125550102" });

    await expect(t.runtime.engine.create({ to: "+12125550103" })).rejects.toMatchObject({ code: "send_budget_exhausted", status: 503, retryAfter: 3600 });
    expect(await t.sent("+12125550103")).toEqual([]);
    expect(await t.runtime.engine.findPending("+12125550103")).toBeNull();
    await expect(t.runtime.engine.resend(a.id)).rejects.toMatchObject({ code: "send_budget_exhausted" });
    expect(budgetEvents.map((e) => [e.type, e.data])).toEqual([["send_budget.exhausted", { budgetPerHour: 2, retryAfterSeconds: 3600 }]]);
    // The owner's alert went out although the budget is spent, once.
    expect((await t.sent(OWNER)).map((m) => m.body)).toEqual([expect.stringMatching(/send budget \(2\/hour\) is spent/)]);

    t.clock.advance(61);
    await t.runtime.scheduler.tick();
    const postponed = await t.runtime.engine.get(a.id);
    expect(postponed).toMatchObject({ status: "pending", sends: 1 });
    expect(postponed.deliveries[1]).toMatchObject({ status: "scheduled", sentAt: null, errorCode: "send_budget_exhausted" });
    expect(postponed.deliveries[1]?.dueAt).toEqual(new Date(a.createdAt.getTime() + 3_600_000));
    expect(await t.sent("+12125550101")).toHaveLength(1);
    await expect(t.runtime.engine.create({ to: "+12125550104" })).rejects.toMatchObject({ code: "send_budget_exhausted", retryAfter: 3539 });
    expect(await t.sent(OWNER)).toHaveLength(1);

    t.clock.advance(3600 - 61);
    await t.runtime.scheduler.tick();
    expect(await t.sent("+12125550101")).toHaveLength(2);
    expect(await t.runtime.engine.get(a.id)).toMatchObject({ sends: 2 });
    expect(budgetEvents.map((e) => e.type)).toEqual(["send_budget.exhausted", "send_budget.recovered"]);
    await t.runtime.engine.create({ to: "+12125550103" });
    expect(await t.sent("+12125550103")).toHaveLength(1);
  });
});
