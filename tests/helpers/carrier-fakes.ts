/**
 * Every real carrier adapter with the stateful fake of its HTTP API (server/carriers/fakes): the
 * variables that point the adapter at a fake, and the fake itself, for in-process engines and for
 * server processes alike.
 */
import crypto from "node:crypto";
import type { CarrierDefinition, CarrierDeps } from "../../server/carriers/definition.ts";
import { parseCarrierEnv } from "../../server/carriers/definition.ts";
import { lamlFake } from "../../server/carriers/fakes/laml.ts";
import type { StatefulFake } from "../../server/carriers/fakes/stateful.ts";
import { textlocalFake } from "../../server/carriers/fakes/textlocal.ts";
import { textmagicFake } from "../../server/carriers/fakes/textmagic.ts";
import { vonageFake } from "../../server/carriers/fakes/vonage.ts";
import { signalwireDefinition } from "../../server/carriers/signalwire.ts";
import { textlocalDefinition } from "../../server/carriers/textlocal.ts";
import { textmagicDefinition } from "../../server/carriers/textmagic.ts";
import { twilioDefinition } from "../../server/carriers/twilio.ts";
import type { Carrier } from "../../server/carriers/types.ts";
import { vonageDefinition } from "../../server/carriers/vonage.ts";
import type { Channel } from "../../server/verification/types.ts";

const TWILIO_SID = `AC${"0a".repeat(16)}`;
const SW_PROJECT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const VONAGE_KEY = { apiKey: "abcd1234", apiSecret: "Secret0123456789" };
const TEXTLOCAL_KEY = "NmE0ZTk2NzYxMjM0NTY3OA";
const TEXTMAGIC = { username: "acme", apiKey: "tmkey0123456789abcdef" };
const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

export interface CarrierCase {
  definition: CarrierDefinition<never>;
  channels: Channel[];
  env(url: string): Record<string, string>;
  fake(clock: () => Date): StatefulFake;
}

export const CARRIERS: Record<string, CarrierCase> = {
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

/** The adapter `id` for `channels`, pointed at a fake listening on `url`, with a 2-second timeout. */
export function fakedAdapter(id: string, channels: Channel[], url: string, clock: () => Date): Carrier {
  const c = CARRIERS[id] as CarrierCase;
  const deps: CarrierDeps = { fetch: (input, init) => fetch(input, init), publicUrl: "http://localhost:3000", secret: "s".repeat(40), production: false, clock };
  return c.definition.create(parseCarrierEnv(c.definition, channels, { ...c.env(url), [`${id.toUpperCase()}_TIMEOUT_MS`]: "2000" }), channels, deps);
}
