/**
 * No second text or call after a crash, for every carrier and channel: the real adapters against
 * stateful fakes of the carriers' HTTP APIs (server/carriers/fakes), which answer "was this already
 * sent?" the way the adapters assume. A process claims a step, the carrier accepts it, and the process
 * dies before the database records it; when the step is re-claimed, the lookup finds that send, the
 * step is recorded as sent with its id, and the fake holds exactly one send for it. A process that died
 * before the carrier saw the step is followed by exactly one send. @see issue #5
 */
import { afterEach, describe, expect, it } from "vitest";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import type { Carrier, OutboundMessage } from "../../server/carriers/types.ts";
import { LEASE_MS } from "../../server/verification/delivery.ts";
import { CARRIERS, fakedAdapter } from "../helpers/carrier-fakes.ts";
import { claimAndDie, engineWithCarriers, startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TO = "+14155550123";
/** Steps this far apart, so the first step's identical text is outside the second step's lookup window. */
const STEP_GAP_SECONDS = 300;

const cases = Object.entries(CARRIERS).flatMap(([id, c]) => c.channels.map((channel) => ({ id, channel, c })));

describe.each(cases)("no double send after a crash: $id $channel", ({ id, channel, c }) => {
  let t: TestRuntime;
  let http: FakeCarrier;
  afterEach(async () => {
    await t?.stop();
    await http?.close();
  });

  /** The engine with only this carrier, every message it was handed kept, against the stateful fake. */
  async function setUp() {
    t = await startTestRuntime("sqlite");
    const fake = c.fake(t.clock.now);
    http = await startFakeCarrier(fake.handle);
    const adapter = fakedAdapter(id, [channel], http.url, t.clock.now);
    const handed: OutboundMessage[] = [];
    const carrier: Carrier = { ...adapter, send: (message) => (handed.push(message), adapter.send(message)) };
    const engine = engineWithCarriers(t, [carrier], { sms: channel === "sms" ? [id] : [], voice: channel === "voice" ? [id] : [] });
    const { verification } = await engine.create({
      to: TO,
      workflow: [
        { channel, afterSeconds: 0 },
        { channel, afterSeconds: STEP_GAP_SECONDS },
      ],
    });
    expect(fake.sends, "step 0 went out").toHaveLength(1);
    // A process claims step 1 when it is due and hands it to the carrier.
    t.clock.advance(STEP_GAP_SECONDS);
    const [claimed] = await claimAndDie(engine, t.clock.now(), { handedOver: true });
    expect(claimed?.stepIndex).toBe(1);
    return { engine, fake, adapter, handed, verificationId: verification.id, stepId: claimed?.id as string };
  }

  it("the carrier accepted it and the process died before recording it: recorded as sent, not sent again", async () => {
    const { engine, fake, adapter, handed, verificationId, stepId } = await setUp();
    // The dead process's send: the message it would have sent for step 1, accepted by the carrier.
    const accepted = await adapter.send({ ...(handed[0] as OutboundMessage), idempotencyKey: stepId });
    t.clock.advance(LEASE_MS / 1000 + 1);
    await engine.runDueDeliveries();
    expect(fake.problems).toEqual([]);
    expect(fake.sends, "step 0 and the dead process's send, nothing more").toHaveLength(2);
    const step = (await engine.get(verificationId)).deliveries[1];
    expect(step).toMatchObject({ status: "sent", carrier: id, carrierMessageId: accepted.carrierMessageId, errorCode: null });
    await engine.runDueDeliveries();
    expect(fake.sends).toHaveLength(2);
  });

  it("the process died before the carrier saw it: sent exactly once after the lookup", async () => {
    const { engine, fake, verificationId } = await setUp();
    t.clock.advance(LEASE_MS / 1000 + 1);
    await engine.runDueDeliveries();
    expect(fake.problems).toEqual([]);
    expect(fake.sends).toHaveLength(2);
    const step = (await engine.get(verificationId)).deliveries[1];
    expect(step).toMatchObject({ status: "sent", carrier: id, carrierMessageId: fake.sends[1]?.id });
  });
});
