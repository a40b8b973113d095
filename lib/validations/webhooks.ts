/**
 * Webhook endpoints and the event stream of the native API: the one list of event types, and the request
 * schemas shared by the server, the OpenAPI document and `npm run webhooks`.
 */
import { z } from "zod";

/** Every event an application can receive (webhooks and GET /api/v1/events), documented in README.md. */
export const WEBHOOK_EVENT_TYPES = [
  "verification.created",
  "verification.step_sent",
  "verification.delivered",
  "verification.undelivered",
  "verification.approved",
  "verification.failed",
  "verification.expired",
  "verification.canceled",
  "verification.max_attempts_reached",
  "inbound.message",
  "owner.decided",
  "send_budget.exhausted",
  "conversion.low",
  "conversion.recovered",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Why a verification was canceled (`reason` of verification.canceled, written by server/webhooks/triggers.ts):
 * by a cancel request on any surface, or replaced by a new verification for the same number (`replacedBy`).
 */
export const CANCEL_REASONS = ["request", "replaced"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

const eventTypeSchema = z.string().refine(isWebhookEventType, { message: `unknown event type; known: ${WEBHOOK_EVENT_TYPES.join(", ")}` });

/** An absolute http(s) URL without credentials; https and public addresses are enforced at delivery (server/webhooks/ssrf.ts). */
export const webhookUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => URL.canParse(value), { message: "not a URL" })
  .refine((value) => !URL.canParse(value) || ["http:", "https:"].includes(new URL(value).protocol), { message: "must be an http:// or https:// URL" })
  .refine((value) => !URL.canParse(value) || (!new URL(value).username && !new URL(value).password), { message: "must not contain credentials" });

const URL_TEXT = "Where events are POSTed: an http(s) URL without credentials, at most 2048 characters; https and a public address are required at delivery.";
const EVENTS_TEXT = "The event types to send (see the list under Events). Omitted or empty: every event type.";
const DESCRIPTION_TEXT = "Your note about the endpoint, at most 200 characters.";
const NUMBERS_TEXT = "true: payloads carry full phone numbers; false (default): masked, as +1•••••••123.";

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema.describe(URL_TEXT),
  /** Omitted or empty: every event type. */
  events: z.array(eventTypeSchema).max(WEBHOOK_EVENT_TYPES.length * 2).optional().describe(EVENTS_TEXT),
  description: z.string().max(200).optional().describe(DESCRIPTION_TEXT),
  includePhoneNumbers: z.boolean().optional().describe(NUMBERS_TEXT),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.strictObject({
  url: webhookUrlSchema.optional().describe(URL_TEXT),
  events: z.array(eventTypeSchema).max(WEBHOOK_EVENT_TYPES.length * 2).optional().describe(EVENTS_TEXT),
  description: z.string().max(200).nullable().optional().describe(`${DESCRIPTION_TEXT} null clears it.`),
  includePhoneNumbers: z.boolean().optional().describe(NUMBERS_TEXT),
  /** Re-enables an endpoint disabled after 5 days of failures (or disables one). */
  enabled: z.boolean().optional().describe("true re-enables an endpoint disabled after 5 days of failed deliveries; false stops deliveries."),
});
export type UpdateWebhookRequest = z.infer<typeof updateWebhookSchema>;
