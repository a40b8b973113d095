/**
 * Opt-in: sends ONE real SMS through a real carrier, to check credentials and sender setup.
 * Never run by the test suite. It refuses unless the carrier's variables are set (the same ones the
 * server reads, see docs/carriers.md) and a destination is given.
 *
 *   TWILIO_ACCOUNT_SID=… TWILIO_AUTH_TOKEN=… TWILIO_FROM=+1… npm run sms:test -- --carrier twilio --to +447700900123
 *
 * Options: --carrier <twilio|vonage|textlocal|textmagic|signalwire>  --to <E.164 number>  [--text "…"]
 */
import crypto from "node:crypto";
import { parseArgs } from "node:util";
import { isE164 } from "../lib/phone.ts";
import { CARRIER_DEFINITIONS } from "../server/carriers/index.ts";
import { parseCarrierEnv } from "../server/carriers/definition.ts";
import { CarrierError } from "../server/carriers/types.ts";

function refuse(message: string): never {
  console.error(`sms:test refused: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { carrier: { type: "string" }, to: { type: "string" }, text: { type: "string" } },
  allowPositionals: false,
});
const ids = Object.keys(CARRIER_DEFINITIONS);
if (!values.carrier || !CARRIER_DEFINITIONS[values.carrier]) refuse(`pass --carrier, one of: ${ids.join(", ")}`);
if (!values.to || !isE164(values.to)) refuse("pass --to with a number in E.164 format, e.g. --to +447700900123 (a phone you own)");

const carrierId = values.carrier;
const to = values.to;
const definition = CARRIER_DEFINITIONS[carrierId] as (typeof CARRIER_DEFINITIONS)[string];
let config: never;
try {
  config = parseCarrierEnv(definition, ["sms"], process.env);
} catch (error) {
  refuse(`the ${carrierId} credentials are not set (nothing was sent):\n${(error as Error).message}`);
}
const overridden = Object.keys(process.env).filter((name) => name.startsWith(`${carrierId.toUpperCase()}_`) && /_BASE_URL$/.test(name));
if (overridden.length) console.warn(`note: ${overridden.join(", ")} is set, so the request goes there instead of the carrier's default URL`);

const carrier = definition.create(config, ["sms"], {
  fetch: (input, init) => fetch(input, init),
  publicUrl: (process.env.PUBLIC_URL ?? "http://localhost").replace(/\/+$/, ""),
  secret: process.env.TEXTGATE_SECRET ?? crypto.randomBytes(32).toString("base64url"),
  production: false,
  clock: () => new Date(),
});
const text = values.text ?? `textgate test message (${new Date().toISOString()})`;
try {
  const result = await carrier.send({ channel: "sms", to, body: text, idempotencyKey: crypto.randomUUID() });
  console.log(`sent through ${carrierId}: carrier message id ${result.carrierMessageId}`);
} catch (error) {
  if (error instanceof CarrierError) {
    console.error(`${carrierId} refused the message: ${error.code}${error.retryable ? " (retryable)" : ""}: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
