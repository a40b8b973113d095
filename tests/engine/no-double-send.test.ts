/**
 * No second text or call after a crash, for every carrier and channel: the real adapters against
 * stateful fakes of the carriers' HTTP APIs (server/carriers/fakes), which answer "was this already
 * sent?" the way the adapters assume. A process claims a step, the carrier accepts it, and the process
 * dies before the database records it; when the step is re-claimed, the lookup finds that send, the
 * step is recorded as sent with its id, and the fake holds exactly one send for it. A process that died
 * before the carrier saw the step is followed by exactly one send. @see issue #5
 */
import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { CarrierDefinition, CarrierDeps } from "../../server/carriers/definition.ts";
import { parseCarrierEnv } from "../../server/carriers/definition.ts";
import { type FakeCarrier, startFakeCarrier } from "../../server/carriers/fake-server.ts";
import { lamlFake } from "../../server/carriers/fakes/laml.ts";
import type { StatefulFake } from "../../server/carriers/fakes/stateful.ts";
import { textlocalFake } from "../../server/carriers/fakes/textlocal.ts";
import { textmagicFake } from "../../server/carriers/fakes/textmagic.ts";
import { vonageFake } from "../../server/carriers/fakes/vonage.ts";
import { signalwireDefinition } from "../../server/carriers/signalwire.ts";
import { textlocalDefinition } from "../../server/carriers/textlocal.ts";
import { textmagicDefinition } from "../../server/carriers/textmagic.ts";
import { twilioDefinition } from "../../server/carriers/twilio.ts";
import type { Carrier, OutboundMessage } from "../../server/carriers/types.ts";
import { vonageDefinition } from "../../server/carriers/vonage.ts";
import { LEASE_MS } from "../../server/verification/delivery.ts";
import type { Channel } from "../../server/verification/types.ts";
import { claimAndDie, engineWithCarriers, startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TO = "+14155550123";
/** Steps this far apart, so the first step's identical text is outside the second step's lookup window. */
const STEP_GAP_SECONDS = 300;

const TWILIO_SID = `AC${"0a".repeat(16)}`;
const SW_PROJECT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const VONAGE_KEY = { apiKey: "abcd1234", apiSecret: "Secret0123456789" };
const TEXTLOCAL_KEY = "NmE0ZTk2NzYxMjM0NTY3OA";
const TEXTMAGIC = { username: "acme", apiKey: "tmkey0123456789abcdef" };
const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

interface CarrierCase {
  definition: CarrierDefinition<never>;
  channels: Channel[];
  env(url: string): Record<string, string>;
  fake(clock: () => Date): StatefulFake;
}

const CARRIERS: Record<string, CarrierCase> = {
  twilio: {
    definition: twilioDefinition as CarrierDefinition<never>,
    channels: ["sms", "voice"],
    env: (url) => ({ TWILIO_ACCOUNT_SID: TWILIO_SID, TWILIO_AUTH_TOKEN: "f3c1b2a4d5e6f7089a1b2c3d4e5f6a7b", TWILIO_FROM: "+14155550100", TWILIO_API_BASE_URL: url }),
    fake: (clock) =>
      lamlFake({ accountPath: `/2010-04-01/Accounts/${TWILIO_SID}`, messagesResource: "Messages.json", callsResource: "Calls.json", username: TWILIO_SID, password: "f3c1b2a4d5e6f7089a1b2c3d4e5f6a7b", clock }),
  },
  signalwire: {
    definition: signalwireDefinition as CarrierDefinition<never>,
    channels: ["sms", "voice"],
    env: (url) => ({ SIGNALWIRE_PROJECT_ID: SW_PROJECT, SIGNALWIRE_API_TOKEN: "PT0123456789abcdef", SIGNALWIRE_SPACE_URL: url, SIGNALWIRE_FROM: "+14155550100", SIGNALWIRE_SIGNING_KEY: "PSKabcdef0123456789" }),
    fake: (clock) =>
      lamlFake({ accountPath: `/api/laml/2010-04-01/Accounts/${SW_PROJECT}`, messagesResource: "Messages", callsResource: "Calls", username: SW_PROJECT, password: "PT0123456789abcdef", clock }),
  },
  vonage: {
    definition: vonageDefinition as CarrierDefinition<never>,
    channels: ["sms", "voice"],
    env: (url) => ({
      VONAGE_API_KEY: VONAGE_KEY.apiKey,
      VONAGE_API_SECRET: VONAGE_KEY.apiSecret,
      VONAGE_FROM: "Textgate",
      VONAGE_APPLICATION_ID: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      VONAGE_PRIVATE_KEY: privateKey,
      VONAGE_VOICE_FROM: "+447700900001",
      VONAGE_REST_BASE_URL: url,
      VONAGE_API_BASE_URL: url,
    }),
    fake: (clock) => vonageFake({ ...VONAGE_KEY, clock }),
  },
  textlocal: {
    definition: textlocalDefinition as CarrierDefinition<never>,
    channels: ["sms"],
    env: (url) => ({ TEXTLOCAL_API_KEY: TEXTLOCAL_KEY, TEXTLOCAL_SENDER: "Textgate", TEXTLOCAL_API_BASE_URL: url }),
    fake: (clock) => textlocalFake({ apiKey: TEXTLOCAL_KEY, clock }),
  },
  textmagic: {
    definition: textmagicDefinition as CarrierDefinition<never>,
    channels: ["sms", "voice"],
    env: (url) => ({ TEXTMAGIC_USERNAME: TEXTMAGIC.username, TEXTMAGIC_API_KEY: TEXTMAGIC.apiKey, TEXTMAGIC_FROM: "Textgate", TEXTMAGIC_API_BASE_URL: url }),
    fake: (clock) => textmagicFake({ ...TEXTMAGIC, clock }),
  },
};

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
    const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: "http://localhost:3000", secret: "s".repeat(40), production: false, clock: t.clock.now };
    const adapter = c.definition.create(parseCarrierEnv(c.definition, [channel], { ...c.env(http.url), [`${id.toUpperCase()}_TIMEOUT_MS`]: "2000" }), [channel], deps);
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
