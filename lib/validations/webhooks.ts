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

export const createWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  /** Omitted or empty: every event type. */
  events: z.array(eventTypeSchema).max(WEBHOOK_EVENT_TYPES.length * 2).optional(),
  description: z.string().max(200).optional(),
  includePhoneNumbers: z.boolean().optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.strictObject({
  url: webhookUrlSchema.optional(),
  events: z.array(eventTypeSchema).max(WEBHOOK_EVENT_TYPES.length * 2).optional(),
  description: z.string().max(200).nullable().optional(),
  includePhoneNumbers: z.boolean().optional(),
  /** Re-enables an endpoint disabled after 5 days of failures (or disables one). */
  enabled: z.boolean().optional(),
});
export type UpdateWebhookRequest = z.infer<typeof updateWebhookSchema>;
