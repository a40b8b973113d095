/**
 * The native API's events out: webhook endpoints (/api/v1/webhooks) and the live stream
 * (GET /api/v1/events). Every route needs an API key. The domain is in server/webhooks/.
 */
import { z } from "zod";
import { TextgateError } from "../../../lib/errors.ts";
import { createWebhookSchema, isWebhookEventType, updateWebhookSchema, WEBHOOK_EVENT_TYPES } from "../../../lib/validations/webhooks.ts";
import type { Webhooks } from "../../webhooks/index.ts";
import { serveEventStream } from "../../webhooks/stream.ts";
import { serializeDelivery, serializeEndpoint } from "../../webhooks/views.ts";
import { parseQuery } from "../request.ts";
import type { ApiRoute, Reply, RequestContext } from "../types.ts";

const emptyBodySchema = z.strictObject({}).optional();
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function webhooksOf(ctx: RequestContext): Webhooks {
  if (!ctx.runtime.webhooks) throw new TextgateError("not_found");
  return ctx.runtime.webhooks;
}

/** An endpoint id from the path; a malformed one is answered like an unknown one. */
function endpointId(raw: string | undefined): string {
  if (!raw || !ID.test(raw)) throw new TextgateError("webhook_not_found");
  return raw.toLowerCase();
}

/**
 * POST /api/v1/webhooks — `{ url, events?, description?, includePhoneNumbers? }`.
 * 201 endpoint with `secret` (whsec_…, shown only here). Errors: 400 invalid_request (url not a URL, with
 * credentials, not http(s); an unknown event type), invalid_json; 401 unauthorized.
 */
async function createEndpoint(ctx: RequestContext): Promise<Reply> {
  const body = createWebhookSchema.parse(await ctx.readBody());
  const { endpoint, secret } = await webhooksOf(ctx).endpoints.create(body, ctx.apiKey?.id ?? null);
  return { status: 201, body: { ...serializeEndpoint(endpoint), secret } };
}

/** GET /api/v1/webhooks — 200 `{ data: endpoint[] }`. */
async function listEndpoints(ctx: RequestContext): Promise<Reply> {
  return { status: 200, body: { data: (await webhooksOf(ctx).endpoints.list()).map(serializeEndpoint) } };
}

/** GET /api/v1/webhooks/:id — 200 endpoint. Errors: 404 webhook_not_found. */
async function getEndpoint(ctx: RequestContext): Promise<Reply> {
  return { status: 200, body: serializeEndpoint(await webhooksOf(ctx).endpoints.get(endpointId(ctx.params.id))) };
}

/**
 * PATCH /api/v1/webhooks/:id — any of `{ url, events, description, includePhoneNumbers, enabled }`.
 * 200 endpoint. Errors: 400 invalid_request; 404 webhook_not_found.
 */
async function updateEndpoint(ctx: RequestContext): Promise<Reply> {
  const id = endpointId(ctx.params.id);
  const body = updateWebhookSchema.parse((await ctx.readBody()) ?? {});
  return { status: 200, body: serializeEndpoint(await webhooksOf(ctx).endpoints.update(id, body)) };
}

/** DELETE /api/v1/webhooks/:id — 204; its pending deliveries are dropped. Errors: 404 webhook_not_found. */
async function deleteEndpoint(ctx: RequestContext): Promise<Reply> {
  await webhooksOf(ctx).endpoints.remove(endpointId(ctx.params.id));
  return { status: 204, json: "" };
}

/** POST /api/v1/webhooks/:id/rotate-secret — 200 endpoint with the new `secret`; the old one signs too for 24 h. */
async function rotateSecret(ctx: RequestContext): Promise<Reply> {
  const id = endpointId(ctx.params.id);
  emptyBodySchema.parse(await ctx.readBody());
  const { endpoint, secret } = await webhooksOf(ctx).endpoints.rotateSecret(id);
  return { status: 200, body: { ...serializeEndpoint(endpoint), secret } };
}

/**
 * POST /api/v1/webhooks/:id/test — sends a signed `webhook.test` event now and answers what the endpoint
 * said: 200 `{ ok, responseStatus, error, deliveryId, eventId }` (ok false when it failed). Recorded as one
 * of the endpoint's deliveries (GET …/deliveries, /owner); a failed test is not retried unless asked.
 */
async function testEndpoint(ctx: RequestContext): Promise<Reply> {
  const webhooks = webhooksOf(ctx);
  const id = endpointId(ctx.params.id);
  emptyBodySchema.parse(await ctx.readBody());
  // A disabled endpoint can be tested too: that is how one checks it before enabling it again.
  const [endpoint] = await webhooks.endpoints.signing([id], { includeDisabled: true });
  if (!endpoint) throw new TextgateError("webhook_not_found");
  const sent = await webhooks.sendTest(endpoint);
  return { status: 200, body: { ok: sent.ok, responseStatus: sent.status, error: sent.error, deliveryId: sent.deliveryId, eventId: sent.eventId } };
}

/** GET /api/v1/webhooks/:id/deliveries — 200 `{ data: delivery[] }`, newest first (at most 50). */
async function listDeliveries(ctx: RequestContext): Promise<Reply> {
  const webhooks = webhooksOf(ctx);
  const id = endpointId(ctx.params.id);
  await webhooks.endpoints.get(id);
  return { status: 200, body: { data: (await webhooks.dispatcher.deliveriesOf(id)).map(serializeDelivery) } };
}

/** POST /api/v1/webhooks/:id/deliveries/:deliveryId/retry — 202 delivery (due now). Errors: 404 webhook_not_found, webhook_delivery_not_found. */
async function retryDelivery(ctx: RequestContext): Promise<Reply> {
  const webhooks = webhooksOf(ctx);
  const id = endpointId(ctx.params.id);
  emptyBodySchema.parse(await ctx.readBody());
  await webhooks.endpoints.get(id);
  const deliveryId = ctx.params.deliveryId;
  if (!deliveryId || !ID.test(deliveryId)) throw new TextgateError("webhook_delivery_not_found");
  return { status: 202, body: serializeDelivery(await webhooks.dispatcher.retry(id, deliveryId.toLowerCase())) };
}

const streamQuerySchema = z.strictObject({
  types: z
    .string()
    .transform((value) => value.split(",").map((t) => t.trim()).filter(Boolean))
    .refine((types) => types.every(isWebhookEventType), { message: `unknown event type; known: ${WEBHOOK_EVENT_TYPES.join(", ")}` })
    .optional(),
  includePhoneNumbers: z.enum(["true", "false"]).optional(),
});

/**
 * GET /api/v1/events — Server-Sent Events: every event (or `?types=a,b`), from the next one, or after
 * the one named by the `Last-Event-ID` header. `?includePhoneNumbers=true` leaves numbers unmasked.
 * Errors (before the stream starts): 400 invalid_request (unknown type), invalid_last_event_id.
 */
async function streamEvents(ctx: RequestContext): Promise<Reply> {
  const webhooks = webhooksOf(ctx);
  const query = streamQuerySchema.parse(parseQuery(ctx.query));
  const header = ctx.req.headers["last-event-id"];
  let after: number | null = null;
  if (header !== undefined) {
    const raw = Array.isArray(header) ? header[0] : header;
    if (!raw || !/^[0-9]{1,18}$/.test(raw.trim())) throw new TextgateError("invalid_last_event_id");
    after = Number(raw.trim());
  }
  // Fixed before the answer starts: a client that saw the headers gets every event committed after them.
  after ??= await webhooks.outbox.lastSeq();
  const from = after;
  return {
    status: 200,
    stream: (res) =>
      serveEventStream(res, {
        outbox: webhooks.outbox,
        onActivity: webhooks.onActivity,
        after: from,
        types: query.types,
        includePhoneNumbers: query.includePhoneNumbers === "true",
        pollMs: webhooks.streamPollMs,
      }),
  };
}

export const webhookEndpointRoutes: ApiRoute[] = [
  { method: "POST", path: "/api/v1/webhooks", auth: true, handler: createEndpoint },
  { method: "GET", path: "/api/v1/webhooks", auth: true, handler: listEndpoints },
  { method: "GET", path: "/api/v1/webhooks/:id", auth: true, handler: getEndpoint },
  { method: "PATCH", path: "/api/v1/webhooks/:id", auth: true, handler: updateEndpoint },
  { method: "DELETE", path: "/api/v1/webhooks/:id", auth: true, handler: deleteEndpoint },
  { method: "POST", path: "/api/v1/webhooks/:id/rotate-secret", auth: true, handler: rotateSecret },
  { method: "POST", path: "/api/v1/webhooks/:id/test", auth: true, handler: testEndpoint },
  { method: "GET", path: "/api/v1/webhooks/:id/deliveries", auth: true, handler: listDeliveries },
  { method: "POST", path: "/api/v1/webhooks/:id/deliveries/:deliveryId/retry", auth: true, handler: retryDelivery },
  { method: "GET", path: "/api/v1/events", auth: true, handler: streamEvents },
];
