/**
 * Textmagic (REST API v2): SMS through POST /api/v2/messages with the `X-TM-Username` / `X-TM-Key`
 * headers and a JSON body, `phones` in E.164 without "+". Voice: the same call with `tts=true` sends a
 * text-to-speech message (documented as a send option; its language selection and answer are
 * [UNCONFIRMED]). providers.md §4.
 *
 * No client reference fits: Textmagic's `referenceId` is an integer (textmagic-rest SDK models), our
 * idempotency key a UUID, so `findSent` matches the number and exact text in the outbound messages.
 * Textmagic signs no webhook: inbound replies and delivery callbacks must come to a URL with
 * ?token=TEXTMAGIC_WEBHOOK_TOKEN (refused otherwise). The v2 delivery-callback payload is
 * [UNCONFIRMED]; it is read as the message resource (`id`, `status` letter) or the legacy v1 fields
 * (`message_id`, `status`).
 */
import { z } from "zod";
import type { Channel } from "../../lib/channels.ts";
import { baseUrlSchema, type CarrierDeps, defineCarrier, timeoutSchema, webhookTokenSchema } from "./definition.ts";
import { carrierError, carrierFetch, type CarrierResponse, codeForStatus, senderPattern, toE164, withoutPlus } from "./http.ts";
import { assertSmsFits } from "./segments.ts";
import type { Carrier, CarrierErrorCode, CarrierWebhooks, OutboundMessage, SendResult, StatusUpdate, WebhookRequest } from "./types.ts";
import { allParams, verifyUrlToken } from "./webhooks/signatures.ts";

export const textmagicEnvSchema = () =>
  z.object({
    TEXTMAGIC_USERNAME: z.string().min(1, "must be the Textmagic account username"),
    /** A v2 API key (v1 keys do not work on v2). */
    TEXTMAGIC_API_KEY: z.string().min(8, "must be a Textmagic v2 API key"),
    /** An allowed sender id or number; Textmagic's fallback sender when unset. */
    TEXTMAGIC_FROM: z.string().regex(senderPattern(true), "must be a number or an alphanumeric sender id").optional(),
    TEXTMAGIC_WEBHOOK_TOKEN: webhookTokenSchema.optional(),
    TEXTMAGIC_API_BASE_URL: baseUrlSchema("https://rest.textmagic.com"),
    TEXTMAGIC_TIMEOUT_MS: timeoutSchema,
  });

export type TextmagicConfig = z.infer<ReturnType<typeof textmagicEnvSchema>>;

interface TextmagicError {
  code?: number;
  message?: string;
  errors?: { common?: string[]; fields?: Record<string, string[]> };
}

export function textmagicError(response: CarrierResponse) {
  const body = (response.json ?? {}) as TextmagicError;
  const fieldErrors = Object.entries(body.errors?.fields ?? {}).map(([name, list]) => `${name}: ${list.join(", ")}`);
  const details = [body.message, ...(body.errors?.common ?? []), ...fieldErrors].filter(Boolean).join("; ") || response.text.slice(0, 200);
  let code: CarrierErrorCode = codeForStatus(response.status);
  if (response.status === 400) {
    if (body.errors?.fields?.phones?.length) code = "invalid_number";
    else if (/balance|credit|funds/i.test(details)) code = "insufficient_funds";
    else if (/too long|parts/i.test(details)) code = "message_too_long";
  }
  return carrierError("textmagic", code, `textmagic ${response.status}: ${details || "no details"}`);
}

function textmagicWebhooks(config: TextmagicConfig): CarrierWebhooks {
  // Message status letters (providers.md §4.3): q s r a b d f e j u.
  const STATUS: Readonly<Record<string, StatusUpdate["status"]>> = { r: "sent", a: "sent", b: "sent", d: "delivered", f: "failed", e: "failed", j: "failed" };
  return {
    configured: config.TEXTMAGIC_WEBHOOK_TOKEN !== undefined,
    verify: (request: WebhookRequest) => verifyUrlToken(config.TEXTMAGIC_WEBHOOK_TOKEN, request),
    inbound(request) {
      const p = allParams(request);
      const from = toE164(p.sender);
      if (!p.id || !from || p.text === undefined) return null;
      return { carrierMessageId: p.id, from, to: toE164(p.receiver) ?? p.receiver ?? null, body: p.text };
    },
    status(request) {
      const p = allParams(request);
      const id = p.id ?? p.messageId ?? p.message_id;
      const status = p.status ? STATUS[p.status] : undefined;
      if (!id || !status) return null;
      return { carrierMessageId: id, status, carrierError: status === "failed" ? p.status : undefined };
    },
  };
}

/** Newest outbound messages one lookup reads. A full page with nothing older than `since` could hide the send. */
export const LOOKUP_LIMIT = 100;

interface ListedMessage {
  id?: number | string;
  receiver?: string;
  text?: string;
  messageTime?: string;
}

export function textmagicCarrier(config: TextmagicConfig, channels: readonly Channel[], deps: CarrierDeps): Carrier {
  const auth = { "x-tm-username": config.TEXTMAGIC_USERNAME, "x-tm-key": config.TEXTMAGIC_API_KEY, accept: "application/json" };

  /**
   * "Was this already sent?": GET /api/v2/messages (the account's outbound messages, newest first
   * [UNCONFIRMED: the order]), first page of 100. A match went to this number with exactly this text
   * (it holds the code) at or after `since`, and is not `taken` (recorded for another delivery: two
   * steps of one verification send the same text). Text-to-speech messages are assumed to be listed the same
   * way [UNCONFIRMED].
   */
  async function findSent(message: OutboundMessage, since: Date, taken: ReadonlySet<string> = new Set()): Promise<SendResult | null> {
    const query = new URLSearchParams({ page: "1", limit: String(LOOKUP_LIMIT) });
    const response = await carrierFetch("textmagic", deps.fetch, `${config.TEXTMAGIC_API_BASE_URL}/api/v2/messages?${query}`, { method: "GET", headers: auth }, config.TEXTMAGIC_TIMEOUT_MS);
    if (response.status < 200 || response.status >= 300) throw textmagicError(response);
    const page = (response.json ?? {}) as { page?: number; pageCount?: number; resources?: unknown };
    if (!Array.isArray(page.resources)) throw carrierError("textmagic", "bad_response", "textmagic listed messages without resources");
    const sentAt = (m: ListedMessage) => (typeof m.messageTime === "string" ? Date.parse(m.messageTime) : Number.NaN);
    const resources = page.resources as ListedMessage[];
    // An unreadable time counts as recent: a wrong "already sent" costs a late code, a wrong "not sent" a second one.
    const match = resources.find(
      (m) => m.id !== undefined && !taken.has(String(m.id)) && m.receiver === withoutPlus(message.to) && m.text === message.body && !(sentAt(m) < since.getTime()),
    );
    if (match?.id !== undefined) return { carrierMessageId: String(match.id), status: "sent" };
    const morePages = (page.pageCount ?? 1) > (page.page ?? 1);
    if (morePages && !resources.some((m) => sentAt(m) < since.getTime())) {
      throw carrierError("textmagic", "lookup_incomplete", `textmagic: more than ${LOOKUP_LIMIT} messages since ${since.toISOString()}`);
    }
    return null;
  }

  return {
    id: "textmagic",
    channels,
    webhooks: textmagicWebhooks(config),
    findSent,
    async send(message: OutboundMessage): Promise<SendResult> {
      // Textmagic sends 1–6 parts and answers 400 past them (cutExtra=false): refuse before the request.
      if (message.channel === "sms") assertSmsFits("textmagic", message.body, 6);
      const from = message.from ?? config.TEXTMAGIC_FROM;
      const body = {
        text: message.body,
        phones: withoutPlus(message.to),
        ...(from ? { from: /^\+[0-9]+$/.test(from) ? withoutPlus(from) : from } : {}),
        ...(message.channel === "voice" ? { tts: true } : {}),
      };
      const response = await carrierFetch(
        "textmagic",
        deps.fetch,
        `${config.TEXTMAGIC_API_BASE_URL}/api/v2/messages`,
        {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify(body),
        },
        config.TEXTMAGIC_TIMEOUT_MS,
      );
      if (response.status < 200 || response.status >= 300) throw textmagicError(response);
      const answer = (response.json ?? {}) as { id?: number | string; messageId?: number | string };
      // Success is 201 [UNCONFIRMED]; a one-recipient send is type "message" with its id.
      const id = answer.messageId ?? answer.id;
      if (id === undefined || id === null || id === "") throw carrierError("textmagic", "bad_response", `textmagic answered ${response.status} without an id`);
      return { carrierMessageId: String(id), status: "sent" };
    },
  };
}

export const textmagicDefinition = defineCarrier({
  id: "textmagic",
  channels: ["sms", "voice"],
  envSchema: textmagicEnvSchema,
  create: textmagicCarrier,
});
