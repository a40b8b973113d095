/**
 * The JSON shapes the native API answers with, as a client sees them. The server's serializers
 * (server/http/views.ts, server/webhooks/views.ts) are typed with these, so the two cannot drift.
 */
import type { Channel } from "../channels.ts";
import type { DeliveryStatus, VerificationStatus } from "../statuses.ts";
import type { WebhookEventType } from "../validations/webhooks.ts";

export type { Channel, DeliveryStatus, VerificationStatus, WebhookEventType };

export interface VerificationDelivery {
  id: string;
  stepIndex: number;
  kind: "workflow" | "resend";
  channel: Channel;
  carrier: string | null;
  status: DeliveryStatus;
  dueAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  errorCode: string | null;
}

export interface Verification {
  id: string;
  to: string;
  purpose: string;
  channel: Channel;
  workflow: { channel: Channel; afterSeconds: number }[];
  workflowPreset: number | null;
  status: VerificationStatus;
  codeLength: number;
  alphanumeric: boolean;
  locale: string;
  brand: string | null;
  attempts: number;
  attemptsLeft: number;
  maxAttempts: number;
  sends: number;
  validFor: number;
  expiresAt: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  clientRef: string | null;
  /** A number of the server's TEST_NUMBERS: nothing was handed to a carrier and the configured code checks. */
  testNumber: boolean;
  deliveries: VerificationDelivery[];
}

export interface CheckResult {
  valid: boolean;
  status: VerificationStatus;
  attemptsLeft: number;
}

export interface SandboxMessage {
  id: string;
  direction: "outbound" | "inbound";
  channel: Channel;
  to: string | null;
  from: string | null;
  body: string;
  createdAt: string;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string | null;
  /** null: every event type. */
  events: WebhookEventType[] | null;
  includePhoneNumbers: boolean;
  enabled: boolean;
  disabledReason: string | null;
  failingSince: string | null;
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An endpoint as created or after rotate-secret: the signing secret, shown this once. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

export type WebhookDeliveryStatus = "pending" | "sending" | "succeeded" | "failed";

export interface WebhookDelivery {
  id: string;
  eventId: string;
  /** null when the event was pruned (events are kept at least 24 h). */
  eventType: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** What a webhook receives and what the event stream sends, per the Standard Webhooks payload shape. */
export interface EventPayload {
  type: WebhookEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

/** One event read from GET /api/v1/events: the payload and its stream id (for Last-Event-ID). */
export interface StreamedEvent extends EventPayload {
  id: string;
}
