/**
 * Steps after a crash, and leases, in process with a fake clock. A step that was claimed but never
 * handed to a carrier is sent without a lookup. Two steps of one verification on the same channel are
 * not mistaken for each other by the lookup: Twilio, through its stateful fake, lists the first step's
 * identical text, or its call, inside the second step's window. A sender whose lease ran out, or was
 * taken over, never calls a carrier, not even a second one when failing over. @see issue 10, items 1 and 2
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import type { StatefulFake } from "../../server/carriers/fakes/stateful.ts";
import { type Carrier, CarrierError, type OutboundMessage } from "../../server/carriers/types.ts";
import { LEASE_MS } from "../../server/verification/delivery.ts";
import type { VerificationEngine } from "../../server/verification/engine.ts";
import type { Channel } from "../../server/verification/types.ts";
import { CARRIERS, fakedAdapter } from "../helpers/carrier-fakes.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { claimAndDie, engineWithCarriers, startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const TO = "+14155550123";
const LEASE_SECONDS = LEASE_MS / 1000;

/** A carrier that accepts everything and counts sends and lookups; its lookups find nothing. */
function countingCarrier(id = "counting", options: { onSend?: () => void; fail?: boolean } = {}) {
  const sent: OutboundMessage[] = [];
  const lookups: Date[] = [];
  const carrier: Carrier = {
    id,
    channels: ["sms", "voice"],
    async send(message) {
      options.onSend?.();
      if (options.fail) throw new CarrierError(id, "carrier_unavailable", "503", true);
      sent.push(message);
      return { carrierMessageId: `${id}-${sent.length}`, status: "sent" };
    },
    async findSent(_message, since) {
      lookups.push(since);
      return null;
    },
  };
  return { carrier, sent, lookups };
}

describe.each(providers)("hand-over and leases on %s", (provider) => {
  let t: TestRuntime;
  let http: FakeCarrier | undefined;
  afterEach(async () => {
    await t?.stop();
    await http?.close();
    http = undefined;
  });

  async function engineWith(carriers: Carrier[]): Promise<VerificationEngine> {
    t = await startTestRuntime(provider);
    return engineWithCarriers(t, carriers);
  }

  it("a step claimed but never handed to a carrier is sent after its lease, without a lookup", async () => {
    const c = countingCarrier();
    const engine = await engineWith([c.carrier]);
    const { verification } = await engine.create({ to: TO, workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "sms", afterSeconds: 60 }] });
    t.clock.advance(60);
    await claimAndDie(engine, t.clock.now(), { handedOver: false });
    t.clock.advance(LEASE_SECONDS + 1);
    await engine.runDueDeliveries();
    expect(c.lookups, "nothing to look up: no carrier ever had it").toEqual([]);
    expect(c.sent).toHaveLength(2);
    expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "sent", carrierMessageId: "counting-2", errorCode: null });
  });

  it("a step handed over before the crash is looked up from its hand-over time", async () => {
    const c = countingCarrier();
    const engine = await engineWith([c.carrier]);
    await engine.create({ to: TO, workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "sms", afterSeconds: 60 }] });
    t.clock.advance(90); // due 30 s ago, handed over now
    const handedAt = t.clock.now();
    await claimAndDie(engine, handedAt, { handedOver: true });
    t.clock.advance(LEASE_SECONDS + 1);
    await engine.runDueDeliveries();
    expect(c.lookups).toEqual([new Date(handedAt.getTime() - 5000)]);
    expect(c.sent).toHaveLength(2);
  });

  describe.each<Channel>(["sms", "voice"])("two %s steps of one verification, Twilio (no client reference)", (channel) => {
    /** Step 0 sent and recorded; step 1, due 2 s later, handed over by a process that then died. */
    async function secondStepInterrupted() {
      t = await startTestRuntime(provider);
      const fake: StatefulFake = (CARRIERS.twilio as (typeof CARRIERS)[string]).fake(t.clock.now);
      http = await startFakeCarrier(fake.handle);
      const adapter = fakedAdapter("twilio", [channel], http.url, t.clock.now);
      const handed: OutboundMessage[] = [];
      const carrier: Carrier = { ...adapter, send: (message) => (handed.push(message), adapter.send(message)) };
      const engine = engineWithCarriers(t, [carrier], { sms: channel === "sms" ? ["twilio"] : [], voice: channel === "voice" ? ["twilio"] : [] });
      const { verification } = await engine.create({ to: TO, workflow: [{ channel, afterSeconds: 0 }, { channel, afterSeconds: 2 }] });
      t.clock.advance(2);
      const [step1] = await claimAndDie(engine, t.clock.now(), { handedOver: true });
      expect(step1?.stepIndex).toBe(1);
      return { engine, fake, adapter, handed, verificationId: verification.id, step1Id: step1?.id as string };
    }

    it("the carrier never got step 1: step 0's send inside its window is not taken for it, and step 1 goes out", async () => {
      const { engine, fake, verificationId } = await secondStepInterrupted();
      t.clock.advance(LEASE_SECONDS + 1);
      await engine.runDueDeliveries();
      expect(fake.problems).toEqual([]);
      expect(fake.sends.map((s) => s.channel)).toEqual([channel, channel]);
      const [step0, step1] = (await engine.get(verificationId)).deliveries;
      expect(step0?.carrierMessageId).toBe(fake.sends[0]?.id);
      expect(step1).toMatchObject({ status: "sent", carrierMessageId: fake.sends[1]?.id });
    });

    it("the carrier got step 1 before the crash: found and recorded, not sent again", async () => {
      const { engine, fake, adapter, handed, verificationId, step1Id } = await secondStepInterrupted();
      // The dead process's send of step 1, accepted by the carrier: the same text or call as step 0's.
      await adapter.send({ ...(handed[0] as OutboundMessage), idempotencyKey: step1Id });
      t.clock.advance(LEASE_SECONDS + 1);
      await engine.runDueDeliveries();
      expect(fake.problems).toEqual([]);
      expect(fake.sends).toHaveLength(2);
      const [step0, step1] = (await engine.get(verificationId)).deliveries;
      expect(step0?.carrierMessageId).toBe(fake.sends[0]?.id);
      expect(step1).toMatchObject({ status: "sent", carrierMessageId: fake.sends[1]?.id });
    });
  });

  it("a sender whose lease ran out never calls the carrier, before or after another node took the step over", async () => {
    const c = countingCarrier();
    const engine = await engineWith([c.carrier]);
    const { verification } = await engine.create({ to: TO, workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "sms", afterSeconds: 60 }] });
    t.clock.advance(60);
    // Node A claims step 1 and stalls past its lease.
    const [stalled] = await engine.repo.claimDue(t.clock.now(), new Date(t.clock.now().getTime() + LEASE_MS), 10, "node-a");
    const record = await engine.repo.findById(verification.id);
    t.clock.advance(LEASE_SECONDS + 1);
    expect((await engine.deliverer.deliver(stalled!, record!)).outcome).toBe("lost");
    expect(c.sent).toHaveLength(1);
    // Node B takes it over and sends it; node A, awake again, still sends nothing.
    await engine.runDueDeliveries();
    expect(c.sent).toHaveLength(2);
    expect((await engine.deliverer.deliver(stalled!, record!)).outcome).toBe("lost");
    expect(c.sent).toHaveLength(2);
    expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "sent", carrierMessageId: "counting-2" });
  });

  it("failing over after the lease ran out calls no second carrier; the step is then looked up, not lost", async () => {
    let slow = false;
    // The first carrier takes longer than a lease, then fails in a way failover would try to fix.
    const first = countingCarrier("first", { onSend: () => slow && t.clock.advance(LEASE_SECONDS + 1), fail: true });
    const second = countingCarrier("second");
    const engine = await engineWith([first.carrier, second.carrier]);
    const { verification } = await engine.create({ to: TO, workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "sms", afterSeconds: 60 }] });
    expect(second.sent).toHaveLength(1); // step 0: the first carrier failed at once, the second sent it
    t.clock.advance(60);
    slow = true;
    await engine.runDueDeliveries();
    expect(second.sent, "no call to the second carrier without the lease").toHaveLength(1);
    expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "sending" });
    // Re-claimed once the lease has run out: handed over before, so looked up first, then sent.
    slow = false;
    t.clock.advance(1);
    await engine.runDueDeliveries();
    expect(first.lookups).toHaveLength(1);
    expect(second.sent).toHaveLength(2);
    expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "sent", carrier: "second" });
  });
});
