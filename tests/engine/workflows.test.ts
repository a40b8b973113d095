/** Durable workflow steps: each preset with a fake clock, approval stopping later steps, expiry, failover. */
import { afterEach, describe, expect, it } from "vitest";
import { CarrierError, type Carrier, type OutboundMessage } from "../../server/carriers/types.ts";
import { LOOKUP_SKEW_MS } from "../../server/verification/delivery.ts";
import type { VerificationEngine } from "../../server/verification/engine.ts";
import { WORKFLOW_PRESETS } from "../../server/verification/workflows.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { claimAndDie, engineWithCarriers, startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const providers = await providersUnderTest();
const TO = "+14155550123";

describe.each(providers)("workflows on %s", (provider) => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  it.each(Object.entries(WORKFLOW_PRESETS))("preset %s sends its steps 60 s apart and expires after 300 s", async (preset, steps) => {
    t = await startTestRuntime(provider);
    const { verification } = await t.runtime.engine.create({ to: TO, workflow: Number(preset) });
    expect(verification.validFor).toBe(300);
    expect(verification.workflow).toEqual(steps);
    const channels = () => t.sent(TO).then((m) => m.map((x) => x.channel));
    expect(await channels()).toEqual([steps[0]?.channel]);
    for (let i = 1; i < steps.length; i++) {
      t.clock.advance(59);
      await t.runtime.scheduler.tick();
      expect(await channels()).toHaveLength(i); // not yet
      t.clock.advance(1);
      await t.runtime.scheduler.tick();
      expect(await channels()).toEqual(steps.slice(0, i + 1).map((s) => s.channel));
    }
    // Every step carries the same code.
    const bodies = (await t.sent(TO)).map((m) => m.body.replaceAll(", ", ""));
    const code = /[0-9]{6}/.exec(bodies[0] ?? "")?.[0];
    for (const body of bodies) expect(body).toContain(code);
    t.clock.advance(300 - 60 * (steps.length - 1));
    await t.runtime.scheduler.tick();
    expect((await t.runtime.engine.get(verification.id)).status).toBe("expired");
  });

  it("drops the remaining steps once the code is approved", async () => {
    t = await startTestRuntime(provider);
    const { verification } = await t.runtime.engine.create({ to: TO, workflow: 1 });
    await t.runtime.engine.check({ id: verification.id }, await t.lastCode(TO));
    t.clock.advance(200);
    await t.runtime.scheduler.tick();
    expect(await t.sent(TO)).toHaveLength(1);
    const view = await t.runtime.engine.get(verification.id);
    expect(view.deliveries.map((d) => d.status)).toEqual(["delivered", "dropped", "dropped"]);
  });

  it("replaces a pending verification in one step: cancels only the newest unexpired one of that purpose, drops its later steps, names its successor", async () => {
    t = await startTestRuntime(provider);
    const canceled: string[] = [];
    t.runtime.events.subscribe("verification.canceled", (event) => void canceled.push(event.data.verificationId));
    const expired = await t.runtime.engine.create({ to: TO, workflow: 1, validFor: 60 });
    t.clock.advance(61); // past its expiry, not yet swept: still "pending" in its row
    const other = await t.runtime.engine.create({ to: TO, purpose: "login" });
    const old = await t.runtime.engine.create({ to: TO, workflow: 1 });
    const replacing = await t.runtime.engine.create({ to: TO });
    expect((await t.runtime.engine.get(old.verification.id)).deliveries.map((d) => d.status)).toEqual(["delivered", "dropped", "dropped"]);
    const row = await t.runtime.sql.get<{ status: string; replaced_by: string | null }>(`SELECT status, replaced_by FROM verifications WHERE id = ?`, [old.verification.id]);
    expect(row).toEqual({ status: "canceled", replaced_by: replacing.verification.id });
    expect((await t.runtime.engine.get(other.verification.id)).status).toBe("pending");
    expect((await t.runtime.engine.get(expired.verification.id)).status).toBe("expired");
    expect(canceled).toEqual([old.verification.id]);
    // Nothing pending to replace: created all the same, nothing canceled.
    await t.runtime.engine.create({ to: "+14155550124" });
    expect(canceled).toEqual([old.verification.id]);
  });

  it("runs a custom workflow and sends the next step early on request", async () => {
    t = await startTestRuntime(provider);
    const { verification } = await t.runtime.engine.create({
      to: TO,
      workflow: [
        { channel: "voice", afterSeconds: 0 },
        { channel: "sms", afterSeconds: 120 },
      ],
    });
    expect((await t.sent(TO))[0]?.body).toMatch(/^Your textgate verification code is (\d, ){5}\d\. Once again/);
    t.clock.advance(5);
    await t.runtime.engine.nextStep(verification.id);
    expect((await t.sent(TO)).map((m) => m.channel)).toEqual(["voice", "sms"]);
    await expect(t.runtime.engine.nextStep(verification.id)).rejects.toMatchObject({ status: 409 });
    t.clock.advance(125);
    await t.runtime.scheduler.tick();
    expect(await t.sent(TO)).toHaveLength(2);
  });

  it("refuses a custom workflow whose first step waits", async () => {
    t = await startTestRuntime(provider);
    await expect(t.runtime.engine.create({ to: TO, workflow: [{ channel: "sms", afterSeconds: 5 }] })).rejects.toMatchObject({
      code: "invalid_request",
    });
  });

  it("re-sends a step left half-sent by a dead process once its lease ends, through the same idempotency key", async () => {
    t = await startTestRuntime(provider);
    const { verification } = await t.runtime.engine.create({ to: TO, workflow: 4 });
    // Simulate a process that claimed step 1 and died after the carrier accepted it.
    t.clock.advance(60);
    const [claimed] = await claimAndDie(t.runtime.engine, t.clock.now(), { handedOver: true });
    expect(claimed?.stepIndex).toBe(1);
    await t.runtime.sandbox!.send({ channel: "sms", to: TO, body: "accepted before the crash", idempotencyKey: claimed!.id });
    await t.runtime.scheduler.tick();
    expect(await t.sent(TO)).toHaveLength(2); // still leased: nobody re-sends
    t.clock.advance(31);
    await t.runtime.scheduler.tick();
    expect(await t.sent(TO)).toHaveLength(2); // re-claimed, sent with the same key: stored once
    const view = await t.runtime.engine.get(verification.id);
    expect(view.deliveries.map((d) => d.status)).toEqual(["delivered", "delivered"]);
  });
});

describe("carrier failover", () => {
  let t: TestRuntime;
  afterEach(async () => {
    await t?.stop();
  });

  function flaky(id: string, failures: CarrierError[]): Carrier & { sent: OutboundMessage[] } {
    const sent: OutboundMessage[] = [];
    return {
      id,
      channels: ["sms", "voice"],
      sent,
      async send(message) {
        const failure = failures.shift();
        if (failure) throw failure;
        sent.push(message);
        return { carrierMessageId: `${id}-${sent.length}`, status: "sent" };
      },
    };
  }

  async function engineWith(carriers: Carrier[]): Promise<VerificationEngine> {
    t = await startTestRuntime("sqlite");
    return engineWithCarriers(t, carriers);
  }

  it("moves to the next carrier when the first fails in a retryable way", async () => {
    const primary = flaky("primary", [new CarrierError("primary", "timeout", "timed out", true)]);
    const backup = flaky("backup", []);
    const engine = await engineWith([primary, backup]);
    const { verification } = await engine.create({ to: TO });
    expect(primary.sent).toHaveLength(0);
    expect(backup.sent).toHaveLength(1);
    expect(verification.deliveries[0]).toMatchObject({ status: "sent", carrier: "backup" });
  });

  it("does not fail over on a permanent failure and fails the verification", async () => {
    const primary = flaky("primary", [new CarrierError("primary", "invalid_number", "not a mobile number", false)]);
    const backup = flaky("backup", []);
    const engine = await engineWith([primary, backup]);
    const { verification } = await engine.create({ to: TO });
    expect(backup.sent).toHaveLength(0);
    expect(verification.status).toBe("failed");
    expect(verification.deliveries[0]).toMatchObject({ status: "failed", errorCode: "invalid_number" });
  });

  it("retries with backoff when every carrier is down, and never fails open", async () => {
    const down = () => new CarrierError("only", "unavailable", "503", true);
    const only = flaky("only", [down(), down()]);
    const engine = await engineWith([only]);
    const { verification } = await engine.create({ to: TO });
    expect(verification.status).toBe("pending");
    expect(verification.deliveries[0]).toMatchObject({ status: "scheduled", errorCode: "unavailable" });
    t.clock.advance(1);
    await engine.runDueDeliveries();
    expect(only.sent).toHaveLength(0);
    t.clock.advance(2);
    await engine.runDueDeliveries();
    expect(only.sent).toHaveLength(1);
    const view = await engine.get(verification.id);
    expect(view.deliveries[0]).toMatchObject({ status: "sent", errorCode: null });
    expect(view.status).toBe("pending");
  });

  describe("a delivery a dead process left half-sent, on a carrier without idempotency", () => {
    function lookupCarrier(found: "yes" | "no" | "fails") {
      const sent: OutboundMessage[] = [];
      const lookups: Date[] = [];
      let failing = found === "fails";
      const carrier: Carrier = {
        id: "nokey",
        channels: ["sms", "voice"],
        async send(message) {
          sent.push(message);
          return { carrierMessageId: `nokey-${sent.length}`, status: "sent" };
        },
        async findSent(_message, since) {
          lookups.push(since);
          if (failing) {
            failing = false;
            throw new CarrierError("nokey", "carrier_unavailable", "lookup 503", true);
          }
          return found === "yes" ? { carrierMessageId: "already-there", status: "sent" } : null;
        },
      };
      return { carrier, sent, lookups };
    }

    async function crashedStep(engine: VerificationEngine) {
      const { verification } = await engine.create({ to: TO, workflow: 4 });
      t.clock.advance(60);
      // A process claims step 1, hands it to the carrier and dies before recording anything.
      await claimAndDie(engine, t.clock.now(), { handedOver: true });
      t.clock.advance(31);
      return verification.id;
    }

    it("asks the carrier and records the earlier send instead of texting again", async () => {
      const c = lookupCarrier("yes");
      const engine = await engineWith([c.carrier]);
      const id = await crashedStep(engine);
      await engine.runDueDeliveries();
      expect(c.sent).toHaveLength(1); // step 0 only
      expect(c.lookups).toHaveLength(1);
      const view = await engine.get(id);
      expect(view.deliveries[1]).toMatchObject({ status: "sent", carrierMessageId: "already-there" });
    });

    it("sends when the carrier has no such message", async () => {
      const c = lookupCarrier("no");
      const engine = await engineWith([c.carrier]);
      const id = await crashedStep(engine);
      await engine.runDueDeliveries();
      expect(c.sent).toHaveLength(2);
      expect((await engine.get(id)).deliveries[1]).toMatchObject({ status: "sent", carrierMessageId: "nokey-2" });
    });

    it("does not send while the lookup fails, and asks again later", async () => {
      const c = lookupCarrier("fails");
      const engine = await engineWith([c.carrier]);
      const id = await crashedStep(engine);
      await engine.runDueDeliveries();
      expect(c.sent).toHaveLength(1);
      // Its outcome is unknown, so it stays "sending" until the lookup can be asked again.
      expect((await engine.get(id)).deliveries[1]).toMatchObject({ status: "sending", errorCode: "lookup_failed" });
      t.clock.advance(5);
      await engine.runDueDeliveries();
      expect(c.lookups).toHaveLength(2);
      // The window of the second lookup still starts at the hand-over (less the clock skew allowed), not at the retry.
      // (handed over 31 + 5 s ago)
      expect(c.lookups[0]).toEqual(new Date(t.clock.now().getTime() - (31 + 5) * 1000 - LOOKUP_SKEW_MS));
      expect(c.lookups[1]).toEqual(c.lookups[0]);
      expect(c.sent).toHaveLength(2);
    });

    it("looks up a step re-claimed after a crash even when an earlier try had failed", async () => {
      const c = lookupCarrier("yes");
      let failNext = true;
      const carrier: Carrier = {
        ...c.carrier,
        async send(message) {
          if (failNext && c.sent.length === 1) {
            failNext = false;
            throw new CarrierError("nokey", "carrier_unavailable", "503", true);
          }
          return c.carrier.send(message);
        },
      };
      const engine = await engineWith([carrier]);
      const { verification } = await engine.create({ to: TO, workflow: 4 });
      t.clock.advance(60);
      await engine.runDueDeliveries(); // step 1: 503, retried later with that error recorded
      expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "scheduled", errorCode: "carrier_unavailable" });
      t.clock.advance(1);
      // The retry is claimed by a process that dies mid-send.
      await claimAndDie(engine, t.clock.now(), { handedOver: true });
      t.clock.advance(31);
      await engine.runDueDeliveries();
      expect(c.lookups).toHaveLength(1);
      expect(c.sent).toHaveLength(1); // step 0 only
      expect((await engine.get(verification.id)).deliveries[1]).toMatchObject({ status: "sent", carrierMessageId: "already-there" });
    });

    it("does not look up a first send or a retry after a recorded failure", async () => {
      const c = lookupCarrier("yes");
      const engine = await engineWith([c.carrier]);
      await engine.create({ to: TO });
      expect(c.lookups).toHaveLength(0);
      expect(c.sent).toHaveLength(1);
    });
  });
});
