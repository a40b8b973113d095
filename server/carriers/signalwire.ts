/**
 * SignalWire through its Twilio-compatible (LaML/cXML) REST API on https://<space>.signalwire.com:
 * SMS via Messages, text-to-speech calls via Calls, webhooks signed with `X-SignalWire-Signature`
 * (the Twilio algorithm keyed with the project's Signing Key). providers.md §5.
 *
 * Calls: SignalWire's spec marks inline `Laml` as "pending verification" [UNCONFIRMED], so the call
 * document is served from a URL: /api/webhooks/signalwire/voice?m=<sealed>, where <sealed> is the text
 * to speak encrypted and authenticated with a key derived from TEXTGATE_SECRET (AES-256-GCM, 15-minute
 * expiry). The code never appears in the URL in clear, and SignalWire's fetch is signature-checked.
 * SignalWire has no client reference on Messages or Calls: `findSent` looks the send up (docs/carriers.md).
 */
import crypto from "node:crypto";
import { z } from "zod";
import { E164_PATTERN } from "../../lib/e164.ts";
import type { Channel } from "../../lib/channels.ts";
import { type CarrierDeps, defineCarrier, requireFor, timeoutSchema } from "./definition.ts";
import { callerNumber, createLamlCall, findLamlSend, lamlWebhooks, sayDocument, sendLamlSms, type LamlAccount } from "./laml.ts";
import type { Carrier, OutboundMessage, SendResult, WebhookRequest } from "./types.ts";
import { voiceLanguage } from "./voice-language.ts";
import { header, verifyTwilioStyle } from "./webhooks/signatures.ts";

const SAY_TTL_MS = 15 * 60_000;

/** "example", "example.signalwire.com" or a full URL (a local fake in tests) → an origin without a trailing slash. */
const spaceUrl = z
  .string()
  .transform((v) => v.trim().replace(/\/+$/, ""))
  .transform((v) => (/^https?:\/\//.test(v) ? v : `https://${v.includes(".") ? v : `${v}.signalwire.com`}`))
  .pipe(z.url({ protocol: /^https?$/ }));

export const signalwireEnvSchema = (channels: readonly Channel[]) =>
  z
    .object({
      SIGNALWIRE_PROJECT_ID: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be the project id (a UUID)"),
      SIGNALWIRE_API_TOKEN: z.string().min(8, "must be the project's API token"),
      /** Your space: "example", "example.signalwire.com", or a base URL override for a local fake. */
      SIGNALWIRE_SPACE_URL: spaceUrl,
      SIGNALWIRE_FROM: z.string().regex(E164_PATTERN, "must be an E.164 number of the project (+14155550100)").optional(),
      /** Signs SignalWire's webhooks (Dashboard → API Credentials → Signing Key); not the API token. */
      SIGNALWIRE_SIGNING_KEY: z.string().min(8).optional(),
      SIGNALWIRE_VOICE: z.string().max(64).optional(),
      SIGNALWIRE_VOICE_LANGUAGE: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, "must look like en-US").default("en-US"),
      SIGNALWIRE_TIMEOUT_MS: timeoutSchema,
    })
    .superRefine((c, ctx) => {
      requireFor(ctx, c, ["SIGNALWIRE_FROM"], "(a number of the project to send from)");
      if (channels.includes("voice")) {
        requireFor(ctx, c, ["SIGNALWIRE_SIGNING_KEY"], "because VOICE_CARRIERS includes signalwire (SignalWire fetches the call document from a signed webhook)");
      }
    });

export type SignalwireConfig = z.infer<ReturnType<typeof signalwireEnvSchema>>;

function sayKey(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", secret, "textgate", "signalwire call document", 32));
}

/** Encrypts what a call should say, with its language and an expiry, into a URL-safe token. */
export function sealSay(secret: string, say: { text: string; language: string }, now = Date.now()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", sayKey(secret), iv);
  const plain = Buffer.from(JSON.stringify({ t: say.text, l: say.language, e: now + SAY_TTL_MS }));
  const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString("base64url");
}

/** The sealed text, or null when the token was tampered with, is not ours or has expired. */
export function openSay(secret: string, token: string, now = Date.now()): { text: string; language: string } | null {
  try {
    const sealed = Buffer.from(token, "base64url");
    if (sealed.length < 12 + 16 + 2) return null;
    const decipher = crypto.createDecipheriv("aes-256-gcm", sayKey(secret), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    const plain = Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]);
    const value = JSON.parse(plain.toString("utf8")) as { t?: unknown; l?: unknown; e?: unknown };
    if (typeof value.t !== "string" || typeof value.l !== "string" || typeof value.e !== "number" || value.e < now) return null;
    return { text: value.t, language: value.l };
  } catch {
    return null;
  }
}

export function signalwireCarrier(config: SignalwireConfig, channels: readonly Channel[], deps: CarrierDeps): Carrier {
  const account: LamlAccount = {
    carrier: "signalwire",
    accountUrl: `${config.SIGNALWIRE_SPACE_URL}/api/laml/2010-04-01/Accounts/${config.SIGNALWIRE_PROJECT_ID}`,
    // SignalWire's TypeSpec routes have no ".json" suffix (its Twilio-derived SDK adds one) [UNCONFIRMED: both accepted].
    messagesResource: "Messages",
    callsResource: "Calls",
    username: config.SIGNALWIRE_PROJECT_ID,
    password: config.SIGNALWIRE_API_TOKEN,
    timeoutMs: config.SIGNALWIRE_TIMEOUT_MS,
    fetch: deps.fetch,
  };
  const signingKey = config.SIGNALWIRE_SIGNING_KEY;
  const statusCallback = deps.publicUrl.startsWith("https://") ? `${deps.publicUrl}/api/webhooks/signalwire/status` : undefined;
  const callerOf = (message: OutboundMessage) => callerNumber(message, config.SIGNALWIRE_FROM as string);

  // SDK validators also accept the Twilio header name on the compatibility surface.
  const verify = (request: WebhookRequest) =>
    signingKey !== undefined && verifyTwilioStyle(signingKey, header(request, "x-signalwire-signature") ?? header(request, "x-twilio-signature"), request);

  const voice = (request: WebhookRequest): string | null => {
    const token = request.query.find(([name]) => name === "m")?.[1];
    const say = token ? openSay(deps.secret, token) : null;
    return say ? sayDocument(say.text, { voice: config.SIGNALWIRE_VOICE, language: say.language }) : null;
  };

  return {
    id: "signalwire",
    findSent: (message, since, taken) => findLamlSend(account, message, since, callerOf(message), taken),
    channels,
    webhooks: lamlWebhooks(signingKey !== undefined, verify, voice),
    async send(message: OutboundMessage): Promise<SendResult> {
      if (message.channel === "sms") return sendLamlSms(account, message, { from: config.SIGNALWIRE_FROM, statusCallback });
      const sealed = sealSay(deps.secret, { text: message.body, language: voiceLanguage(message.locale, config.SIGNALWIRE_VOICE_LANGUAGE) });
      return createLamlCall(account, message.to, callerOf(message), { Url: `${deps.publicUrl}/api/webhooks/signalwire/voice?m=${sealed}`, Method: "POST" });
    },
  };
}

export const signalwireDefinition = defineCarrier({
  id: "signalwire",
  channels: ["sms", "voice"],
  envSchema: signalwireEnvSchema,
  create: signalwireCarrier,
});
