/**
 * Twilio: SMS through the Messages resource, text-to-speech calls through the Calls resource with
 * inline `<Say>` TwiML, and webhooks signed with `X-Twilio-Signature` (HMAC-SHA1 keyed with the auth
 * token). providers.md §2. Twilio has no client reference or idempotency key on Messages or Calls: a
 * send retried after a crash between "accepted" and "recorded" first asks `findSent` (docs/carriers.md).
 */
import { z } from "zod";
import type { Channel } from "../../lib/channels.ts";
import { baseUrlSchema, type CarrierDeps, defineCarrier, requireFor, timeoutSchema } from "./definition.ts";
import { carrierError, isPhoneNumber, senderPattern } from "./http.ts";
import { callerNumber, createLamlCall, findLamlSend, type LamlAccount, lamlWebhooks, sayDocument, sendLamlSms } from "./laml.ts";
import type { Carrier, OutboundMessage, SendResult, WebhookRequest } from "./types.ts";
import { voiceLanguage } from "./voice-language.ts";
import { header, verifyTwilioStyle } from "./webhooks/signatures.ts";

const sender = z.string().regex(senderPattern(false), "must be an E.164 number (+14155550100) or an alphanumeric sender id of up to 11 characters");

export const twilioEnvSchema = (channels: readonly Channel[]) =>
  z
    .object({
      TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be AC followed by 32 hex characters"),
      /** Primary auth token: Basic auth (unless an API key is set) and the webhook signature key. */
      TWILIO_AUTH_TOKEN: z.string().min(16, "must be the account's auth token"),
      TWILIO_API_KEY_SID: z.string().regex(/^SK[0-9a-fA-F]{32}$/, "must be SK followed by 32 hex characters").optional(),
      TWILIO_API_KEY_SECRET: z.string().min(1).optional(),
      TWILIO_FROM: sender.optional(),
      TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/, "must be MG followed by 32 hex characters").optional(),
      /** <Say voice>, e.g. Polly.Amy; Twilio's default voice when unset. */
      TWILIO_VOICE: z.string().max(64).optional(),
      TWILIO_VOICE_LANGUAGE: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, "must look like en-US").default("en-US"),
      TWILIO_API_BASE_URL: baseUrlSchema("https://api.twilio.com"),
      TWILIO_TIMEOUT_MS: timeoutSchema,
    })
    .superRefine((c, ctx) => {
      if (channels.includes("sms") && !c.TWILIO_FROM && !c.TWILIO_MESSAGING_SERVICE_SID) {
        ctx.addIssue({ code: "custom", path: ["TWILIO_FROM"], message: "set TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID (SMS_CARRIERS includes twilio)" });
      }
      if (channels.includes("voice")) {
        requireFor(ctx, c, ["TWILIO_FROM"], "because VOICE_CARRIERS includes twilio (a Twilio phone number to call from)");
        if (c.TWILIO_FROM && !isPhoneNumber(c.TWILIO_FROM)) {
          ctx.addIssue({ code: "custom", path: ["TWILIO_FROM"], message: "must be a phone number to place calls (VOICE_CARRIERS includes twilio)" });
        }
      }
      if (Boolean(c.TWILIO_API_KEY_SID) !== Boolean(c.TWILIO_API_KEY_SECRET)) {
        ctx.addIssue({ code: "custom", path: ["TWILIO_API_KEY_SECRET"], message: "TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET go together" });
      }
    });

export type TwilioConfig = z.infer<ReturnType<typeof twilioEnvSchema>>;

/** `X-Twilio-Signature` over the public URL and the form fields, keyed with the auth token. */
export function twilioVerifier(authToken: string) {
  return (request: WebhookRequest) => verifyTwilioStyle(authToken, header(request, "x-twilio-signature"), request);
}

export function twilioCarrier(config: TwilioConfig, channels: readonly Channel[], deps: CarrierDeps): Carrier {
  const account: LamlAccount = {
    carrier: "twilio",
    accountUrl: `${config.TWILIO_API_BASE_URL}/2010-04-01/Accounts/${config.TWILIO_ACCOUNT_SID}`,
    messagesResource: "Messages.json",
    callsResource: "Calls.json",
    username: config.TWILIO_API_KEY_SID ?? config.TWILIO_ACCOUNT_SID,
    password: config.TWILIO_API_KEY_SECRET ?? config.TWILIO_AUTH_TOKEN,
    timeoutMs: config.TWILIO_TIMEOUT_MS,
    fetch: deps.fetch,
  };
  // Twilio can only call back a public HTTPS URL; on a local or plain-HTTP PUBLIC_URL the dashboard setting is used.
  const statusCallback = deps.publicUrl.startsWith("https://") ? `${deps.publicUrl}/api/webhooks/twilio/status` : undefined;
  const callerOf = (message: OutboundMessage) => callerNumber(message, config.TWILIO_FROM as string);

  return {
    id: "twilio",
    channels,
    webhooks: lamlWebhooks(true, twilioVerifier(config.TWILIO_AUTH_TOKEN)),
    findSent: (message, since, taken) => findLamlSend(account, message, since, callerOf(message), taken),
    async send(message: OutboundMessage): Promise<SendResult> {
      if (message.channel === "sms") {
        return sendLamlSms(account, message, { from: config.TWILIO_FROM, messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID, statusCallback });
      }
      if (message.body.length > 3500) throw carrierError("twilio", "message_too_long", "twilio: inline TwiML is limited to 4000 characters");
      const twiml = sayDocument(message.body, { voice: config.TWILIO_VOICE, language: voiceLanguage(message.locale, config.TWILIO_VOICE_LANGUAGE) });
      return createLamlCall(account, message.to, callerOf(message), { Twiml: twiml });
    },
  };
}

export const twilioDefinition = defineCarrier({
  id: "twilio",
  channels: ["sms", "voice"],
  envSchema: twilioEnvSchema,
  create: twilioCarrier,
});
