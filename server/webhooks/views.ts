/** The JSON shapes of webhook endpoints and deliveries, for the native API and the owner console. */
import type { WebhookDeliveryView } from "./dispatcher.ts";
import type { WebhookEndpoint } from "./endpoints.ts";
import type { WebhookDelivery, WebhookEndpoint as WebhookEndpointBody } from "../../lib/client/types.ts";

export function serializeEndpoint(e: WebhookEndpoint): WebhookEndpointBody {
  return {
    id: e.id,
    url: e.url,
    description: e.description,
    /** null: every event type */
    events: e.events,
    includePhoneNumbers: e.includePhoneNumbers,
    enabled: e.enabled,
    disabledReason: e.disabledReason,
    failingSince: e.failingSince?.toISOString() ?? null,
    previousSecretExpiresAt: e.previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function serializeDelivery(d: WebhookDeliveryView): WebhookDelivery {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    responseStatus: d.responseStatus,
    error: d.error,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    finishedAt: d.finishedAt?.toISOString() ?? null,
  };
}
