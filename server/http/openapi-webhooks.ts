/**
 * The OpenAPI part of events out (/api/v1/webhooks, /api/v1/events), kept beside openapi.ts, which
 * passes in its helpers and merges the result into the one document.
 */
import type { z } from "zod";
import type { ErrorCode } from "../../lib/errors.ts";
import { CANCEL_REASONS, createWebhookSchema, updateWebhookSchema, WEBHOOK_EVENT_TYPES } from "../../lib/validations/webhooks.ts";

type JsonSchema = Record<string, unknown>;

export interface OpenApiHelpers {
  json(schema: JsonSchema, description: string): unknown;
  errors(codes: ErrorCode[]): Record<string, unknown>;
  ref(name: string): JsonSchema;
  requestSchema(schema: z.ZodType): JsonSchema;
  keyed: unknown[];
  bodyErrors: ErrorCode[];
}

export function webhookOpenApi(h: OpenApiHelpers): { schemas: Record<string, JsonSchema>; paths: Record<string, unknown> } {
  const dateTime = { type: "string", format: "date-time" };
  const nullableDateTime = { type: ["string", "null"], format: "date-time" };
  const endpointProperties = {
    id: { type: "string", format: "uuid" },
    url: { type: "string", format: "uri" },
    description: { type: ["string", "null"] },
    events: { type: ["array", "null"], items: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] }, description: "null: every event type." },
    includePhoneNumbers: { type: "boolean", description: "false: numbers in payloads are masked (+1•••••••123)." },
    enabled: { type: "boolean" },
    disabledReason: { type: ["string", "null"] },
    failingSince: nullableDateTime,
    previousSecretExpiresAt: { ...nullableDateTime, description: "After a rotation: until when the previous secret also signs." },
    createdAt: dateTime,
    updatedAt: dateTime,
  };
  const endpointRequired = Object.keys(endpointProperties);
  const schemas: Record<string, JsonSchema> = {
    WebhookEndpoint: { type: "object", required: endpointRequired, properties: endpointProperties },
    WebhookEndpointWithSecret: {
      type: "object",
      required: [...endpointRequired, "secret"],
      properties: { ...endpointProperties, secret: { type: "string", description: "whsec_…: shown only in this answer." } },
    },
    WebhookDelivery: {
      type: "object",
      required: ["id", "eventId", "eventType", "status", "attempts", "responseStatus", "error", "nextAttemptAt", "createdAt", "finishedAt"],
      properties: {
        id: { type: "string", format: "uuid" },
        eventId: { type: "string", description: "The webhook-id header (evt_<seq>), also the SSE event id <seq>." },
        eventType: { type: ["string", "null"] },
        status: { type: "string", enum: ["pending", "sending", "succeeded", "failed"] },
        attempts: { type: "integer" },
        responseStatus: { type: ["integer", "null"] },
        error: { type: ["string", "null"] },
        nextAttemptAt: nullableDateTime,
        createdAt: dateTime,
        finishedAt: nullableDateTime,
      },
    },
    WebhookEvent: {
      type: "object",
      description: "The body of every webhook and the data of every SSE event (Standard Webhooks payload). Never contains a code.",
      required: ["type", "timestamp", "data"],
      properties: {
        type: { type: "string", enum: [...WEBHOOK_EVENT_TYPES] },
        timestamp: dateTime,
        data: {
          type: "object",
          description:
            "Verification events: verificationId, to, purpose, surface, surfaceId, test (true for a test number of TEST_NUMBERS: nothing went to a carrier) " +
            "and the event's own fields (README, Events out); " +
            "verification.canceled: VerificationCanceledData.",
        },
      },
    },
    VerificationCanceledData: {
      type: "object",
      description: "The data of verification.canceled.",
      required: ["verificationId", "to", "purpose", "surface", "surfaceId", "attempts", "reason"],
      properties: {
        verificationId: { type: "string", format: "uuid" },
        to: { type: "string", description: "Masked (+1•••••••123) unless the endpoint has includePhoneNumbers." },
        purpose: { type: "string" },
        surface: { type: "string" },
        surfaceId: { type: "string" },
        test: { type: "boolean", description: "true for a test number of TEST_NUMBERS." },
        attempts: { type: "integer" },
        reason: {
          type: "string",
          enum: [...CANCEL_REASONS],
          description: "request: canceled through an API (native POST …/cancel or a compatible API); replaced: a new verification for the same number replaced it.",
        },
        replacedBy: { type: "string", format: "uuid", description: "When replaced: the new verification's id." },
      },
    },
    CreateWebhookRequest: h.requestSchema(createWebhookSchema),
    UpdateWebhookRequest: h.requestSchema(updateWebhookSchema),
  };
  const id = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  const deliveryId = { name: "deliveryId", in: "path", required: true, schema: { type: "string", format: "uuid" } };
  const body = (name: string, required = true) => ({ required, content: { "application/json": { schema: h.ref(name) } } });
  const list = (name: string) => ({ type: "object", required: ["data"], properties: { data: { type: "array", items: h.ref(name) } } });
  const op = (operationId: string, summary: string, responses: Record<string, unknown>, extra: JsonSchema = {}) => ({
    operationId,
    summary,
    security: h.keyed,
    ...extra,
    responses,
  });
  const notFound: ErrorCode[] = ["unauthorized", "webhook_not_found"];
  const paths = {
    "/api/v1/webhooks": {
      post: op(
        "createWebhook",
        "Add a webhook endpoint (the signing secret is in this answer only)",
        { "201": h.json(h.ref("WebhookEndpointWithSecret"), "Created."), ...h.errors([...h.bodyErrors, "unauthorized"]) },
        { requestBody: body("CreateWebhookRequest") },
      ),
      get: op("listWebhooks", "List webhook endpoints", { "200": h.json(list("WebhookEndpoint"), "Endpoints."), ...h.errors(["unauthorized"]) }),
    },
    "/api/v1/webhooks/{id}": {
      get: op("getWebhook", "Read a webhook endpoint", { "200": h.json(h.ref("WebhookEndpoint"), "The endpoint."), ...h.errors(notFound) }, { parameters: [id] }),
      patch: op(
        "updateWebhook",
        "Change a webhook endpoint (enabled: true re-enables one disabled after 5 days of failures)",
        { "200": h.json(h.ref("WebhookEndpoint"), "Updated."), ...h.errors([...h.bodyErrors, ...notFound]) },
        { parameters: [id], requestBody: body("UpdateWebhookRequest") },
      ),
      delete: op("deleteWebhook", "Remove a webhook endpoint and its deliveries", { "204": { description: "Removed." }, ...h.errors(notFound) }, { parameters: [id] }),
    },
    "/api/v1/webhooks/{id}/rotate-secret": {
      post: op(
        "rotateWebhookSecret",
        "New signing secret; the previous one keeps signing for 24 hours",
        { "200": h.json(h.ref("WebhookEndpointWithSecret"), "Rotated."), ...h.errors([...h.bodyErrors, ...notFound]) },
        { parameters: [id] },
      ),
    },
    "/api/v1/webhooks/{id}/test": {
      post: op(
        "testWebhook",
        "Send a signed webhook.test event now, record it as a delivery and report the answer",
        {
          "200": h.json(
            {
              type: "object",
              required: ["ok", "responseStatus", "error", "deliveryId", "eventId"],
              properties: {
                ok: { type: "boolean" },
                responseStatus: { type: ["integer", "null"] },
                error: { type: ["string", "null"] },
                deliveryId: { type: "string", format: "uuid", description: "The test is recorded as this delivery (listed by listWebhookDeliveries, retried by retryWebhookDelivery)." },
                eventId: { type: "string", description: "Its webhook-id (evt_<seq>)." },
              },
            },
            "What the endpoint answered.",
          ),
          ...h.errors([...h.bodyErrors, ...notFound]),
        },
        { parameters: [id] },
      ),
    },
    "/api/v1/webhooks/{id}/deliveries": {
      get: op("listWebhookDeliveries", "Recent deliveries to an endpoint, newest first", { "200": h.json(list("WebhookDelivery"), "Deliveries."), ...h.errors(notFound) }, { parameters: [id] }),
    },
    "/api/v1/webhooks/{id}/deliveries/{deliveryId}/retry": {
      post: op(
        "retryWebhookDelivery",
        "Send a delivery again now (one more attempt for a failed one)",
        { "202": h.json(h.ref("WebhookDelivery"), "Due now."), ...h.errors([...h.bodyErrors, ...notFound, "webhook_delivery_not_found"]) },
        { parameters: [id, deliveryId] },
      ),
    },
    "/api/v1/events": {
      get: op(
        "streamEvents",
        "Live events as Server-Sent Events (id: seq, event: type, data: WebhookEvent); resumes after Last-Event-ID",
        {
          "200": { description: "An event stream; a `: heartbeat` comment every 15 s.", content: { "text/event-stream": { schema: { type: "string" } } } },
          ...h.errors(["invalid_request", "invalid_last_event_id", "unauthorized"]),
        },
        {
          parameters: [
            { name: "types", in: "query", required: false, schema: { type: "string" }, description: `Comma-separated event types: ${WEBHOOK_EVENT_TYPES.join(", ")}.` },
            { name: "includePhoneNumbers", in: "query", required: false, schema: { type: "string", enum: ["true", "false"] } },
            { name: "Last-Event-ID", in: "header", required: false, schema: { type: "string", pattern: "^[0-9]+$" } },
          ],
        },
      ),
    },
  };
  return { schemas, paths };
}
