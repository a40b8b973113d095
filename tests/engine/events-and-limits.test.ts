/** Published events, per-number send limits (in memory, and shared through Redis between nodes). */
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { createSendLimiter } from "../../server/verification/send-limits.ts";
import type { TextgateEvent } from "../../server/events/types.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";
import { REDIS_URL, redisAvailable, requireService } from "../helpers/services.ts";

const TO = "+14155550123";

describe("events", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("publishes every state change with a typed payload, and the audit log keeps them", async () => {
    t = await startTestRuntime("sqlite");
    const seen: TextgateEvent[] = [];
    t.runtime.events.subscribe("*", (e) => seen.push(e));
    const { verification } = await t.runtime.engine.create({ to: TO, workflow: 5, maxAttempts: 2 });
    await t.runtime.engine.check({ id: verification.id }, "000000" === (await t.lastCode(TO)) ? "111111" : "000000");
    await t.runtime.engine.check({ id: verification.id }, "000000" === (await t.lastCode(TO)) ? "111111" : "000000");
    const second = await t.runtime.engine.create({ to: TO });
    await t.runtime.engine.check({ id: second.verification.id }, await t.lastCode(TO));
    const third = await t.runtime.engine.create({ to: TO, validFor: 10 });
    t.clock.advance(11);
    await t.runtime.scheduler.tick();
    expect(seen.map((e) => e.type)).toEqual([
      "verification.created",
      "verification.step_sent",
      "verification.attempt_failed",
      "verification.attempt_failed",
      "verification.max_attempts_reached",
      "verification.created",
      "verification.step_sent",
      "verification.approved",
      "verification.created",
      "verification.step_sent",
      "verification.expired",
    ]);
    expect(seen[0]?.data).toMatchObject({ verificationId: verification.id, to: TO, purpose: "verify", surface: "native", channel: "sms" });
    expect(seen[4]?.data).toMatchObject({ attempts: 2 });
    expect(seen.at(-1)?.data).toMatchObject({ verificationId: third.verification.id });
    await t.runtime.audit.flush();
    const rows = await t.runtime.sql.all<{ type: string }>(`SELECT type FROM audit_events ORDER BY id`);
    expect(rows.map((r) => r.type)).toEqual(seen.map((e) => e.type));
  });

  it("publishes inbound texts", async () => {
    t = await startTestRuntime("sqlite");
    const seen: TextgateEvent<"inbound.received">[] = [];
    t.runtime.events.subscribe("inbound.received", (e) => seen.push(e));
    const first = await t.runtime.inbound.receive({ carrier: "sandbox", from: TO, body: "YES", carrierMessageId: "m1" });
    const replay = await t.runtime.inbound.receive({ carrier: "sandbox", from: TO, body: "YES", carrierMessageId: "m1" });
    expect(replay).toEqual({ id: first.id, duplicate: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.data).toMatchObject({ from: TO, body: "YES", carrier: "sandbox" });
  });
});

describe("send limits", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("refuses more sends to one number than the window allows, with Retry-After, and sends nothing", async () => {
    t = await startTestRuntime("sqlite", { SEND_LIMIT_PER_NUMBER: "2", SEND_LIMIT_WINDOW_SECONDS: "600" });
    await t.runtime.engine.create({ to: TO });
    await t.runtime.engine.create({ to: "(415) 555-0123", country: "US" }); // the same number, spelled another way
    const refusal = t.runtime.engine.create({ to: TO });
    await expect(refusal).rejects.toMatchObject({ code: "send_limit_reached", status: 429 });
    await refusal.catch((e: { retryAfter: number }) => expect(e.retryAfter).toBeGreaterThan(500));
    expect(await t.sent(TO)).toHaveLength(2);
    await t.runtime.engine.create({ to: "+14155550124" }); // another number is not affected
  });

  it("enforces the resend cooldown", async () => {
    t = await startTestRuntime("sqlite", { RESEND_COOLDOWN_SECONDS: "30" });
    const { verification } = await t.runtime.engine.create({ to: TO });
    t.clock.advance(10);
    await expect(t.runtime.engine.resend(verification.id)).rejects.toMatchObject({ code: "rate_limited", retryAfter: 20 });
    t.clock.advance(20);
    expect((await t.runtime.engine.resend(verification.id)).sends).toBe(2);
  });
});

const redisUp = await requireService("Redis", redisAvailable());

describe.skipIf(!redisUp)("send limits across nodes (Redis)", () => {
  it("counts sends from two nodes against one limit", async () => {
    const a = new Redis(REDIS_URL);
    const b = new Redis(REDIS_URL);
    const number = `+1415555${String(Date.now() % 10_000).padStart(4, "0")}-${Math.random()}`;
    try {
      const nodeA = createSendLimiter({ points: 3, windowSeconds: 60, redis: a });
      const nodeB = createSendLimiter({ points: 3, windowSeconds: 60, redis: b });
      await nodeA.consume(number);
      await nodeB.consume(number);
      await nodeA.consume(number);
      await expect(nodeB.consume(number)).rejects.toMatchObject({ code: "send_limit_reached" });
    } finally {
      a.disconnect();
      b.disconnect();
    }
  });
});
