/**
 * Vonage through the official SDK (@vonage/server-sdk): SMS through the SMS API (`type=unicode` when
 * a character is outside GSM-7; `client-ref` = the delivery id, echoed in delivery receipts), and
 * text-to-speech calls through the Voice API with a talk action, authenticated with a JWT made from the
 * application id and private key. providers.md §1.
 *
 * The SMS API answers HTTP 200 even on failure: the per-message `status` is the verdict. The SDK turns a
 * non-"0" status into MessageSendAllFailure / MessageSendPartialFailure, mapped here to CarrierError.
 *
 * "Was this already sent?" (`findSent`): SMS through the Reports API by `client-ref` (vonage-reports.ts),
 * calls through the Voice API's call list.
 *
 * Webhooks (inbound SMS and delivery receipts, SMS API format, GET or POST, form or JSON): signed with
 * `sig` when VONAGE_SIGNATURE_SECRET is set (signing is off by default at Vonage and must be enabled on
 * the account), with a signed `timestamp` at most five minutes from now (Vonage's guidance, so an old
 * capture cannot be replayed); otherwise they must carry ?token=VONAGE_WEBHOOK_TOKEN; with neither they
 * are refused.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import type { Vonage as VonageClient } from "@vonage/server-sdk";
import { z } from "zod";
import { INTERNATIONAL_NUMBER_PATTERN } from "../../lib/e164.ts";
import type { Channel } from "../../lib/channels.ts";
import { baseUrlSchema, type CarrierDeps, defineCarrier, requireFor, timeoutSchema, webhookTokenSchema } from "./definition.ts";
import { carrierError, codeForStatus, isPhoneNumber, senderPattern, toE164, transportError, withoutPlus } from "./http.ts";
import { assertSmsFits } from "./segments.ts";
import type { Carrier, CarrierError, CarrierErrorCode, CarrierWebhooks, InboundText, OutboundMessage, SendResult, StatusUpdate, WebhookRequest } from "./types.ts";
import { voiceLanguage } from "./voice-language.ts";
import { findVonageSms, reportsTime, type VonageReportsAccount } from "./vonage-reports.ts";
import { allParams, safeEqual, VONAGE_SIGNATURE_METHODS, vonageSignature, vonageTimestampFresh, verifyUrlToken } from "./webhooks/signatures.ts";

/** A PEM in the variable (literal "\n" accepted) or a path to a PEM file; checked to be a private key at boot. */
const privateKeySchema = z.string().transform((value, ctx) => {
  const pem = value.includes("-----BEGIN") ? value.replace(/\\n/g, "\n") : fs.existsSync(value) ? fs.readFileSync(value, "utf8") : null;
  if (pem === null) {
    ctx.addIssue({ code: "custom", message: "must be a PEM private key or the path of a readable PEM file" });
    return z.NEVER;
  }
  try {
    crypto.createPrivateKey(pem);
  } catch {
    ctx.addIssue({ code: "custom", message: "is not a valid PEM private key" });
    return z.NEVER;
  }
  return pem;
});

export const vonageEnvSchema = (channels: readonly Channel[]) =>
  z
    .object({
      VONAGE_API_KEY: z.string().min(1).optional(),
      VONAGE_API_SECRET: z.string().min(1).optional(),
      /** SMS sender: a number (digits, "+" allowed) or an alphanumeric id. */
      VONAGE_FROM: z.string().regex(senderPattern(true), "must be a number or an alphanumeric sender id of up to 11 characters").optional(),
      VONAGE_APPLICATION_ID: z.string().regex(/^[0-9a-fA-F-]{36}$/, "must be the Vonage application id (a UUID)").optional(),
      VONAGE_PRIVATE_KEY: privateKeySchema.optional(),
      /** The number calls come from (a number linked to the application). */
      VONAGE_VOICE_FROM: z.string().regex(INTERNATIONAL_NUMBER_PATTERN, "must be a phone number").optional(),
      VONAGE_VOICE_LANGUAGE: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/, "must look like en-US").default("en-US"),
      VONAGE_SIGNATURE_SECRET: z.string().min(8).optional(),
      VONAGE_SIGNATURE_METHOD: z.enum(VONAGE_SIGNATURE_METHODS).default("md5hash"),
      VONAGE_WEBHOOK_TOKEN: webhookTokenSchema.optional(),
      VONAGE_REST_BASE_URL: baseUrlSchema("https://rest.nexmo.com"),
      VONAGE_API_BASE_URL: baseUrlSchema("https://api.nexmo.com"),
      VONAGE_TIMEOUT_MS: timeoutSchema,
    })
    .superRefine((c, ctx) => {
      if (channels.includes("sms")) requireFor(ctx, c, ["VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_FROM"], "because SMS_CARRIERS includes vonage");
      if (channels.includes("voice")) {
        requireFor(ctx, c, ["VONAGE_APPLICATION_ID", "VONAGE_PRIVATE_KEY", "VONAGE_VOICE_FROM"], "because VOICE_CARRIERS includes vonage");
      }
    });

export type VonageConfig = z.infer<ReturnType<typeof vonageEnvSchema>>;

/** SMS API per-message statuses (providers.md §1.1) and what they mean for a retry. */
export const VONAGE_SMS_STATUS: Readonly<Record<string, CarrierErrorCode>> = {
  "1": "rate_limited", // throttled
  "2": "rejected", // missing parameters
  "3": "invalid_number", // invalid parameters (in practice the number)
  "4": "auth_failed", // invalid credentials
  "5": "carrier_unavailable", // internal error
  "6": "rejected", // invalid message (e.g. unroutable prefix)
  "7": "rejected", // number barred
  "8": "auth_failed", // partner account barred
  "9": "insufficient_funds", // partner quota violation
  "10": "rate_limited", // too many existing binds
  "11": "auth_failed", // account not enabled for HTTP
  "12": "message_too_long",
  "14": "auth_failed", // invalid signature
  "15": "rejected", // invalid sender address
  "22": "invalid_number", // invalid network code
  "23": "rejected", // invalid callback URL
  "29": "rejected", // non-whitelisted destination (demo account)
  "32": "auth_failed", // signature and API secret both present
  "33": "invalid_number", // number de-activated
};

interface SmsPart {
  status?: string;
  errorText?: string;
  messageId?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Maps whatever the SDK threw to a CarrierError. */
async function vonageError(error: unknown, timeoutMs: number): Promise<CarrierError> {
  if (!isRecord(error)) return transportError("vonage", error, timeoutMs);
  const response = error.response;
  // MessageSendAllFailure / MessageSendPartialFailure: HTTP 200 with a failed per-message status.
  if (isRecord(response) && Array.isArray(response.messages)) {
    const parts = response.messages as SmsPart[];
    const failed = parts.find((p) => p.status !== "0") ?? {};
    const status = String(failed.status ?? "");
    const partial = parts.some((p) => p.status === "0");
    const code = VONAGE_SMS_STATUS[status] ?? "rejected";
    const text = `vonage status ${status}: ${failed.errorText ?? "unknown error"}${partial ? " (some parts were sent)" : ""}`;
    // Parts already on their way make any retry a duplicate: permanent, whatever the status.
    return partial ? carrierError("vonage", code === "rate_limited" || code === "carrier_unavailable" ? "rejected" : code, text, error) : carrierError("vonage", code, text, error);
  }
  // VetchError: a non-2xx HTTP answer (Voice API errors), with the unread response.
  if (isRecord(response) && typeof response.status === "number") {
    let detail = "";
    if (typeof response.text === "function") {
      detail = await (response.text as () => Promise<string>)().catch(() => "");
    }
    let code = codeForStatus(response.status);
    if (response.status === 400 && /"(to|number)"/.test(detail)) code = "invalid_number";
    return carrierError("vonage", code, `vonage ${response.status}: ${detail.slice(0, 300) || (error.message as string)}`, error);
  }
  return transportError("vonage", error, timeoutMs);
}

function vonageWebhooks(config: VonageConfig, clock: () => Date): CarrierWebhooks {
  const verify = (request: WebhookRequest): boolean => {
    const secret = config.VONAGE_SIGNATURE_SECRET;
    if (secret) {
      const params = allParams(request);
      const sig = params.sig;
      // The timestamp is one of the signed parameters, so it cannot be moved without breaking `sig`.
      return (
        sig !== undefined &&
        safeEqual(vonageSignature(params, secret, config.VONAGE_SIGNATURE_METHOD), sig.toUpperCase()) &&
        vonageTimestampFresh(params.timestamp, clock())
      );
    }
    return verifyUrlToken(config.VONAGE_WEBHOOK_TOKEN, request);
  };
  const inbound = (request: WebhookRequest): InboundText | null => {
    const p = allParams(request);
    const from = toE164(p.msisdn);
    if (!p.messageId || !from || p.type === "binary") return null;
    // Parts of a long text arrive one by one (concat-part/concat-total) and are stored as they come.
    return { carrierMessageId: p.messageId, from, to: toE164(p.to) ?? p.to ?? null, body: p.text ?? "" };
  };
  const STATUS: Readonly<Record<string, StatusUpdate["status"]>> = {
    accepted: "sent",
    buffered: "sent",
    delivered: "delivered",
    expired: "failed",
    failed: "failed",
    rejected: "failed",
  };
  const status = (request: WebhookRequest): StatusUpdate | null => {
    const p = allParams(request);
    const mapped = p.status ? STATUS[p.status] : undefined;
    if (!mapped || !p.messageId) return null;
    return {
      carrierMessageId: p.messageId,
      // client-ref is the delivery id: every part of a long text finds its delivery, not only the first.
      deliveryId: p["client-ref"] || undefined,
      status: mapped,
      carrierError: mapped === "failed" ? `${p.status}${p["err-code"] ? ` ${p["err-code"]}` : ""}` : undefined,
    };
  };
  return { configured: Boolean(config.VONAGE_SIGNATURE_SECRET || config.VONAGE_WEBHOOK_TOKEN), verify, inbound, status };
}

/** What a call lookup reads from one entry of the Voice API's call list. */
interface ListedCall {
  uuid?: string;
  direction?: string;
  to?: { number?: string };
  from?: { number?: string };
}

/** `client-ref` (up to 40 characters): the delivery id, echoed in receipts and in the Reports API's records. */
const clientRefOf = (message: OutboundMessage) => message.idempotencyKey.slice(0, 40);

// Vonage's SDK is slow to load (the slowest module of a start): only a server that uses Vonage loads it.
const requireSdk = createRequire(import.meta.url);

export function vonageCarrier(config: VonageConfig, channels: readonly Channel[], deps: CarrierDeps): Carrier {
  const { Vonage } = requireSdk("@vonage/server-sdk") as { Vonage: typeof VonageClient };
  const vonage = new Vonage(
    {
      apiKey: config.VONAGE_API_KEY ?? "",
      apiSecret: config.VONAGE_API_SECRET ?? "",
      applicationId: config.VONAGE_APPLICATION_ID,
      privateKey: config.VONAGE_PRIVATE_KEY,
    },
    { restHost: config.VONAGE_REST_BASE_URL, apiHost: config.VONAGE_API_BASE_URL, timeout: config.VONAGE_TIMEOUT_MS },
  );
  const callbackToken = config.VONAGE_SIGNATURE_SECRET ? "" : config.VONAGE_WEBHOOK_TOKEN ? `?token=${config.VONAGE_WEBHOOK_TOKEN}` : null;
  // A per-message DLR URL only where Vonage can reach it and the receipt will be accepted.
  const callback = deps.publicUrl.startsWith("https://") && callbackToken !== null ? `${deps.publicUrl}/api/webhooks/vonage/status${callbackToken}` : undefined;

  async function sendSms(message: OutboundMessage): Promise<SendResult> {
    // No part limit is documented for the SMS API; ten parts bounds the cost of a runaway text.
    const unicode = assertSmsFits("vonage", message.body, 10).encoding === "UCS-2";
    const from = message.from ?? (config.VONAGE_FROM as string);
    type SmsParams = NonNullable<Parameters<typeof vonage.sms.send>[0]>;
    const params: SmsParams = {
      to: withoutPlus(message.to),
      from: /^\+[0-9]+$/.test(from) ? withoutPlus(from) : from,
      text: message.body,
      type: (unicode ? "unicode" : "text") as unknown as SmsParams["type"],
      clientRef: clientRefOf(message),
      ...(callback ? { callback, statusReportReq: true } : {}),
    };
    try {
      const result = await vonage.sms.send(params);
      const first = (result.messages as SmsPart[] | undefined)?.[0];
      if (!first?.messageId) throw carrierError("vonage", "bad_response", "vonage answered without a message-id");
      return { carrierMessageId: first.messageId, status: "sent" };
    } catch (error) {
      if ((error as Error)?.name === "CarrierError") throw error;
      throw await vonageError(error, config.VONAGE_TIMEOUT_MS);
    }
  }

  /** The number a call comes from: the message's own when it is a number, else VONAGE_VOICE_FROM. */
  const callerOf = (message: OutboundMessage) => (message.from && isPhoneNumber(message.from) ? message.from : (config.VONAGE_VOICE_FROM as string));

  async function call(message: OutboundMessage): Promise<SendResult> {
    const from = callerOf(message);
    try {
      const result = await vonage.voice.createOutboundCall({
        to: [{ type: "phone", number: withoutPlus(message.to) }],
        from: { type: "phone", number: withoutPlus(from) },
        ncco: [{ action: "talk", text: message.body, language: voiceLanguage(message.locale, config.VONAGE_VOICE_LANGUAGE) }],
      } as Parameters<typeof vonage.voice.createOutboundCall>[0]);
      if (!result?.uuid) throw carrierError("vonage", "bad_response", "vonage answered without a call uuid");
      return { carrierMessageId: result.uuid, status: "sent" };
    } catch (error) {
      if ((error as Error)?.name === "CarrierError") throw error;
      throw await vonageError(error, config.VONAGE_TIMEOUT_MS);
    }
  }

  /**
   * A call placed since `since` from our number to this one, through the Voice API's call list (GET
   * /v1/calls?date_start=…&page_size=100&order=desc, application JWT): a call has no body or reference
   * to compare, so any outbound call between those two numbers that is not `taken` (recorded for another
   * delivery) counts as placed, whatever its status.
   */
  async function findCall(message: OutboundMessage, since: Date, taken: ReadonlySet<string>): Promise<SendResult | null> {
    const to = withoutPlus(message.to);
    const from = withoutPlus(callerOf(message));
    let page: Awaited<ReturnType<typeof vonage.voice.getCallsPage>>;
    try {
      page = await vonage.voice.getCallsPage({ dateStart: reportsTime(since), pageSize: 100, order: "desc" });
    } catch (error) {
      throw await vonageError(error, config.VONAGE_TIMEOUT_MS);
    }
    // The SDK hands the page over as Vonage wrote it (snake_case); only these fields are read.
    const calls = page?._embedded?.calls as unknown as ListedCall[] | undefined;
    if (!Array.isArray(calls)) throw carrierError("vonage", "bad_response", "vonage listed calls without _embedded.calls");
    const match = calls.find((c) => c.direction === "outbound" && c.to?.number === to && c.from?.number === from && !(c.uuid && taken.has(c.uuid)));
    if (match?.uuid) return { carrierMessageId: match.uuid, status: "sent" };
    // date_start already bounds the list, so another page means more calls in the window than one page holds.
    if (page._links?.next) throw carrierError("vonage", "lookup_incomplete", `vonage: more than 100 calls since ${reportsTime(since)}`);
    return null;
  }

  const reports: VonageReportsAccount = {
    baseUrl: config.VONAGE_API_BASE_URL,
    apiKey: config.VONAGE_API_KEY ?? "",
    apiSecret: config.VONAGE_API_SECRET ?? "",
    timeoutMs: config.VONAGE_TIMEOUT_MS,
    fetch: deps.fetch,
    clock: deps.clock,
  };

  return {
    id: "vonage",
    channels,
    webhooks: vonageWebhooks(config, deps.clock),
    send: (message) => (message.channel === "sms" ? sendSms(message) : call(message)),
    findSent: (message, since, taken = new Set()) =>
      message.channel === "sms" ? findVonageSms(reports, message.to, clientRefOf(message), since, taken) : findCall(message, since, taken),
  };
}

export const vonageDefinition = defineCarrier({
  id: "vonage",
  channels: ["sms", "voice"],
  envSchema: vonageEnvSchema,
  create: vonageCarrier,
});
