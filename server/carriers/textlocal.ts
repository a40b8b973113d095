/**
 * Textlocal (txtlocal, UK): SMS through POST /send/ with the API key (form fields), numbers as
 * international digits without "+". No voice API exists [UNCONFIRMED: none found]. providers.md §3.
 *
 * `custom` carries the delivery id; Textlocal returns it as `customID` in delivery receipts, which carry
 * no message id, so receipts find their delivery by it, and so does `findSent` in the API history. Textlocal signs no webhook: receipts and inbound
 * texts must come to a URL with ?token=TEXTLOCAL_WEBHOOK_TOKEN (refused otherwise). Inbound pushes have
 * no message id either: a hash of the raw body stands in, so a byte-identical retry is stored once.
 */
import { z } from "zod";
import type { Channel } from "../../lib/channels.ts";
import { baseUrlSchema, type CarrierDeps, defineCarrier, timeoutSchema, webhookTokenSchema } from "./definition.ts";
import { carrierError, carrierFetch, type CarrierResponse, codeForStatus, toE164, withoutPlus } from "./http.ts";
import { assertSmsFits } from "./segments.ts";
import type { Carrier, CarrierErrorCode, CarrierWebhooks, OutboundMessage, SendResult, StatusUpdate, WebhookRequest } from "./types.ts";
import { allParams, sha256Hex, verifyUrlToken } from "./webhooks/signatures.ts";

export const textlocalEnvSchema = () =>
  z.object({
    TEXTLOCAL_API_KEY: z.string().min(8, "must be a Textlocal API key (Messenger → Settings → API Keys)"),
    /** 3–11 letters/digits, or a number of up to 13 digits. */
    TEXTLOCAL_SENDER: z.string().regex(/^([A-Za-z0-9]{3,11}|[0-9]{1,13})$/, "must be 3–11 letters or digits, or a number of up to 13 digits"),
    TEXTLOCAL_WEBHOOK_TOKEN: webhookTokenSchema.optional(),
    /** https://api.txtlocal.com, or https://api.textlocal.in for the India platform, or a local fake. */
    TEXTLOCAL_API_BASE_URL: baseUrlSchema("https://api.txtlocal.com"),
    /** Send with test=true: validated and answered by Textlocal, but not sent and not charged. */
    TEXTLOCAL_TEST_MODE: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
    TEXTLOCAL_TIMEOUT_MS: timeoutSchema,
  });

export type TextlocalConfig = z.infer<ReturnType<typeof textlocalEnvSchema>>;

/** Documented error codes (providers.md §3.1). Unlisted codes are permanent. */
export const TEXTLOCAL_ERRORS: Readonly<Record<string, CarrierErrorCode>> = {
  "3": "auth_failed", // invalid login details
  "4": "invalid_number", // no recipients specified
  "5": "rejected", // no message content
  "6": "message_too_long",
  "7": "insufficient_funds", // insufficient credits
  "32": "invalid_number", // invalid number format
  "43": "rejected", // invalid sender name
  "44": "rejected", // no sender name specified
  "51": "invalid_number", // no valid numbers specified
};

interface TextlocalAnswer {
  status?: string;
  errors?: { code?: number | string; message?: string }[];
  batch_id?: number | string;
  messages?: { id?: number | string; recipient?: number | string }[];
}

function textlocalWebhooks(config: TextlocalConfig): CarrierWebhooks {
  const STATUS: Readonly<Record<string, StatusUpdate["status"]>> = { D: "delivered", U: "failed", I: "failed", E: "failed", P: "sent" };
  return {
    configured: config.TEXTLOCAL_WEBHOOK_TOKEN !== undefined,
    verify: (request: WebhookRequest) => verifyUrlToken(config.TEXTLOCAL_WEBHOOK_TOKEN, request),
    inbound(request) {
      const p = allParams(request);
      const from = toE164(p.sender);
      if (!from || p.content === undefined) return null;
      return { carrierMessageId: `sha256:${sha256Hex(request.rawBody.length ? request.rawBody : JSON.stringify(p))}`, from, to: toE164(p.inNumber) ?? p.inNumber ?? null, body: p.content };
    },
    status(request) {
      const p = allParams(request);
      const status = p.status ? STATUS[p.status] : undefined;
      if (!status || !p.customID) return null;
      return { deliveryId: p.customID, status, carrierError: status === "failed" ? p.status : undefined };
    },
  };
}

/** Most records one history lookup reads; a full answer may hide the send. */
export const HISTORY_LIMIT = 1000;

interface HistoryMessage {
  id?: number | string;
  number?: number | string;
  content?: string;
  customID?: string;
}

/** Failures of /send/ and /get_history_api/ alike: a 5xx or 429 by status, else the first error's code. */
function textlocalFailure(response: CarrierResponse, answer: { errors?: { code?: number | string; message?: string }[] }) {
  if (response.status >= 500 || response.status === 429) {
    return carrierError("textlocal", codeForStatus(response.status), `textlocal ${response.status}: ${response.text.slice(0, 200)}`);
  }
  const first = answer.errors?.[0];
  const code = first?.code === undefined ? "" : String(first.code);
  // Own keys only: a code such as "constructor" in the carrier's answer must not find Object.prototype's.
  const mapped = (Object.hasOwn(TEXTLOCAL_ERRORS, code) ? TEXTLOCAL_ERRORS[code] : undefined) ?? (response.status >= 400 ? codeForStatus(response.status) : "rejected");
  return carrierError("textlocal", mapped, `textlocal error ${code || response.status}: ${first?.message ?? (response.text.slice(0, 200) || "no answer")}`);
}

export function textlocalCarrier(config: TextlocalConfig, channels: readonly Channel[], deps: CarrierDeps): Carrier {
  const receiptUrl =
    deps.publicUrl.startsWith("https://") && config.TEXTLOCAL_WEBHOOK_TOKEN ? `${deps.publicUrl}/api/webhooks/textlocal/status?token=${config.TEXTLOCAL_WEBHOOK_TOKEN}` : undefined;

  /** Every Textlocal command is a form POST with the API key among the fields. */
  const post = (path: string, form: URLSearchParams) =>
    carrierFetch(
      "textlocal",
      deps.fetch,
      `${config.TEXTLOCAL_API_BASE_URL}${path}`,
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" }, body: form.toString() },
      config.TEXTLOCAL_TIMEOUT_MS,
    );

  /**
   * "Was this already sent?": POST /get_history_api/ (messages sent through the API, newest first) from
   * `since` to now. The record whose `customID` is this delivery's is the send; a record without a
   * `customID` field matches on number and exact text instead, unless its id is `taken` (recorded for
   * another delivery). Record fields are [UNCONFIRMED]: the
   * documentation shows no sample answer.
   */
  async function findSent(message: OutboundMessage, since: Date, taken: ReadonlySet<string> = new Set()): Promise<SendResult | null> {
    const form = new URLSearchParams({
      apikey: config.TEXTLOCAL_API_KEY,
      min_time: String(Math.floor(since.getTime() / 1000)),
      max_time: String(Math.ceil(deps.clock().getTime() / 1000)),
      sort_order: "desc",
      start: "0",
      limit: String(HISTORY_LIMIT),
    });
    const response = await post("/get_history_api/", form);
    const answer = (response.json ?? {}) as Omit<TextlocalAnswer, "messages"> & { messages?: HistoryMessage[] };
    if (response.status >= 500 || response.status === 429 || answer.status !== "success") throw textlocalFailure(response, answer);
    const messages = Array.isArray(answer.messages) ? answer.messages : [];
    const number = withoutPlus(message.to);
    const match = messages.find(
      (m) =>
        !(m.id !== undefined && taken.has(String(m.id))) &&
        (m.customID !== undefined ? m.customID === message.idempotencyKey : String(m.number) === number && m.content === message.body),
    );
    if (match) return { carrierMessageId: match.id === undefined ? `custom:${message.idempotencyKey}` : String(match.id), status: "sent" };
    if (messages.length >= HISTORY_LIMIT) throw carrierError("textlocal", "lookup_incomplete", `textlocal: ${HISTORY_LIMIT} or more messages since ${since.toISOString()}`);
    return null;
  }

  return {
    id: "textlocal",
    channels,
    webhooks: textlocalWebhooks(config),
    findSent,
    async send(message: OutboundMessage): Promise<SendResult> {
      if (message.channel !== "sms") throw carrierError("textlocal", "rejected", "textlocal sends SMS only");
      // Textlocal truncates past 765 characters: 5 GSM-7 parts (153 each). Unicode texts are refused past 5 parts too.
      assertSmsFits("textlocal", message.body, 5);
      const form = new URLSearchParams({
        apikey: config.TEXTLOCAL_API_KEY,
        numbers: withoutPlus(message.to),
        message: message.body,
        sender: config.TEXTLOCAL_SENDER,
        custom: message.idempotencyKey,
      });
      if (receiptUrl) form.set("receipt_url", receiptUrl);
      if (config.TEXTLOCAL_TEST_MODE) form.set("test", "true");
      const response = await post("/send/", form);
      const answer = (response.json ?? {}) as TextlocalAnswer;
      // Failures are "status":"failure" with errors[]; their HTTP status is not documented [UNCONFIRMED: 200].
      if (response.status >= 500 || response.status === 429 || answer.status !== "success") throw textlocalFailure(response, answer);
      // messages[].id and batch_id are as commonly described [UNCONFIRMED]; receipts match on `custom` anyway.
      const id = answer.messages?.[0]?.id ?? answer.batch_id;
      return { carrierMessageId: id === undefined ? `custom:${message.idempotencyKey}` : String(id), status: "sent" };
    },
  };
}

export const textlocalDefinition = defineCarrier({
  id: "textlocal",
  channels: ["sms"],
  envSchema: textlocalEnvSchema,
  create: textlocalCarrier,
});
