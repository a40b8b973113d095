/** The engine's side of carrier webhooks: delivery receipts move a delivery forward once, and 60202's question. */
import { afterEach, describe, expect, it } from "vitest";
import type { Carrier } from "../../server/carriers/types.ts";
import type { TextgateEvent } from "../../server/events/types.ts";
import { engineWithCarriers, startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TO = "+14155550123";

/** An engine whose one SMS carrier, "acme", accepts every text as `carrierMessageId`; the receipts it publishes. */
function sendingAs(t: TestRuntime, carrierMessageId: string) {
  const carrier: Carrier = { id: "acme", channels: ["sms"], send: async () => ({ carrierMessageId, status: "sent" }) };
  const updates: TextgateEvent<"verification.delivery_updated">[] = [];
  t.runtime.events.subscribe("verification.delivery_updated", (e) => updates.push(e));
  return { engine: engineWithCarriers(t, [carrier], { sms: ["acme"], voice: [] }), updates };
}

describe("the engine's side of carrier webhooks", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it("applyCarrierReceipt marks a sent delivery delivered once, publishing delivery_updated; a replay or a late receipt changes nothing", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, updates } = sendingAs(t, "acme-1");
    const { verification } = await engine.create({ to: TO });

    expect(await engine.applyCarrierReceipt("other", { carrierMessageId: "acme-1", status: "delivered" })).toBe(false);
    expect(await engine.applyCarrierReceipt("acme", { carrierMessageId: "acme-1", status: "delivered" })).toBe(true);
    expect(await engine.applyCarrierReceipt("acme", { carrierMessageId: "acme-1", status: "delivered" })).toBe(false);
    expect(await engine.applyCarrierReceipt("acme", { carrierMessageId: "acme-1", status: "failed", carrierError: "30003" })).toBe(false);
    expect(updates.map((e) => e.data)).toEqual([expect.objectContaining({ verificationId: verification.id, to: TO, status: "delivered" })]);
  });

  it("applyCarrierReceipt records a failed receipt with the carrier's error", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, updates } = sendingAs(t, "acme-2");
    const { verification } = await engine.create({ to: TO });
    expect(await engine.applyCarrierReceipt("acme", { carrierMessageId: "acme-2", status: "failed", carrierError: "30003" })).toBe(true);
    expect(updates.map((e) => e.data)).toEqual([expect.objectContaining({ status: "failed", errorCode: "carrier_undelivered" })]);
    const [delivery] = await engine.repo.deliveriesOf(verification.id);
    expect(delivery).toMatchObject({ status: "failed", errorCode: "carrier_undelivered", error: "acme reported the message undelivered (30003)" });
  });

  it("isOutOfAttempts is true only for an unexpired verification whose attempts ran out, by id or by number", async () => {
    t = await startTestRuntime("sqlite");
    const engine = t.runtime.engine;
    const { verification } = await engine.create({ to: TO, maxAttempts: 1, validFor: 60 });
    expect(await engine.isOutOfAttempts({ id: verification.id })).toBe(false);
    await engine.check({ id: verification.id }, "000000").catch(() => undefined);
    expect(await engine.isOutOfAttempts({ id: verification.id })).toBe(true);
    expect(await engine.isOutOfAttempts({ to: TO })).toBe(true);
    expect(await engine.isOutOfAttempts({ to: TO, purpose: "login" })).toBe(false);
    t.clock.advance(61);
    expect(await engine.isOutOfAttempts({ id: verification.id })).toBe(false);
    expect(await engine.isOutOfAttempts({ id: "no-such-id" })).toBe(false);
  });
});
