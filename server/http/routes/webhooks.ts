/**
 * Carrier webhooks: inbound texts, delivery receipts and (SignalWire) call documents, one set of URLs
 * per carrier. Every request is authenticated by the carrier's adapter before anything is read into
 * the system: a missing or wrong signature (or URL token, for carriers that sign nothing) is 403
 * invalid_signature and changes nothing. The signed URL is PUBLIC_URL + the request's path and query,
 * because a proxy in front of textgate changes Host and scheme.
 *
 * - Inbound texts go to the one inbound path (runtime.inbound.receive), which stores a carrier message
 *   id once: a replayed webhook is a no-op.
 * - Receipts go to the engine (engine.applyCarrierReceipt), which moves a delivery forward only; a
 *   replay or a late "sent" changes nothing and publishes nothing.
 * - Unknown or ignorable payloads (a status we do not track, a binary text) are answered 200, so the
 *   carrier does not retry them for a day.
 */
import { TextgateError } from "../../../lib/errors.ts";
import type { CarrierWebhooks, WebhookKind, WebhookRequest } from "../../carriers/types.ts";
import { isFormContentType, isJsonContentType, parseFormBody, parseJsonBytes, readRawBody } from "../body.ts";
import type { ApiRoute, ApiRuntime, Reply, RequestContext } from "../types.ts";

const RECEIVED: Reply = { status: 200, json: JSON.stringify({ received: true }) };

function xml(body: string, contentType = "text/xml; charset=utf-8"): Reply {
  // The API answers JSON; a carrier that expects XML gets it through the content-type override.
  return { status: 200, json: body, headers: { "content-type": contentType } };
}

interface WebhookTarget {
  carrierId: string;
  webhooks: CarrierWebhooks;
  runtime: ApiRuntime;
}

function target(ctx: RequestContext): WebhookTarget {
  const { runtime } = ctx;
  const carrierId = ctx.params.carrier ?? "";
  const carrier = runtime.carriers?.byId(carrierId);
  if (!carrier?.webhooks) throw new TextgateError("not_found");
  return { carrierId, webhooks: carrier.webhooks, runtime };
}

/** Reads the request once into the shape adapters verify and parse. */
async function readWebhook(ctx: RequestContext): Promise<WebhookRequest> {
  const { req, runtime } = ctx;
  const rawBody = await readRawBody(req, runtime.config.MAX_BODY_BYTES);
  const contentType = req.headers["content-type"];
  const form = rawBody.length && isFormContentType(contentType) ? parseFormBody(rawBody) : [];
  const json = rawBody.length && isJsonContentType(contentType) ? parseJsonBytes(rawBody) : undefined;
  return {
    method: req.method === "HEAD" ? "GET" : (req.method ?? "POST"),
    url: `${runtime.config.PUBLIC_URL.replace(/\/+$/, "")}${req.url ?? "/"}`,
    headers: req.headers,
    rawBody,
    query: [...new URLSearchParams(ctx.query)],
    form,
    json,
  };
}

async function authenticated(ctx: RequestContext, kind: WebhookKind): Promise<{ t: WebhookTarget; request: WebhookRequest }> {
  const t = target(ctx);
  const request = await readWebhook(ctx);
  if (!t.webhooks.verify(request, kind)) {
    t.runtime.logger.warn({ carrier: t.carrierId, kind, configured: t.webhooks.configured }, "carrier webhook refused: bad or missing signature");
    throw new TextgateError("invalid_signature");
  }
  return { t, request };
}

/**
 * POST|GET /api/webhooks/:carrier/inbound — a text sent to one of our numbers.
 * 200 (empty TwiML for Twilio/SignalWire, `{ received: true }` otherwise). Errors: 403 invalid_signature;
 * 404 not_found (carrier not configured); 413; 415.
 */
export async function inboundWebhook(ctx: RequestContext): Promise<Reply> {
  const { t, request } = await authenticated(ctx, "inbound");
  const text = t.webhooks.inbound(request);
  if (text) {
    const result = await t.runtime.inbound.receive({ carrier: t.carrierId, from: text.from, to: text.to, body: text.body, carrierMessageId: text.carrierMessageId });
    t.runtime.logger.info({ carrier: t.carrierId, inboundId: result.id, duplicate: result.duplicate }, "inbound text received");
  } else {
    t.runtime.logger.info({ carrier: t.carrierId }, "inbound webhook ignored (not a text we handle)");
  }
  const reply = t.webhooks.inboundReply;
  return reply ? xml(reply.body, reply.contentType) : RECEIVED;
}

/**
 * POST|GET /api/webhooks/:carrier/status — a delivery receipt. Moves the delivery forward and
 * publishes verification.delivery_updated, or changes nothing (replay, late or unknown receipt).
 * 200 `{ received: true }`. Errors: 403 invalid_signature; 404 not_found; 413; 415.
 */
export async function statusWebhook(ctx: RequestContext): Promise<Reply> {
  const { t, request } = await authenticated(ctx, "status");
  const update = t.webhooks.status(request);
  if (!update) return RECEIVED;
  const applied = await t.runtime.engine.applyCarrierReceipt(t.carrierId, update);
  t.runtime.logger.info({ carrier: t.carrierId, status: update.status, applied }, "delivery receipt");
  return RECEIVED;
}

/**
 * POST|GET /api/webhooks/:carrier/voice?m=<sealed> — the call document a carrier fetches when a call
 * is answered (SignalWire). 200 XML. Errors: 403 invalid_signature; 404 not_found (no such document,
 * expired, or the carrier needs none).
 */
export async function voiceWebhook(ctx: RequestContext): Promise<Reply> {
  const { t, request } = await authenticated(ctx, "voice");
  const document = t.webhooks.voice?.(request) ?? null;
  if (document === null) throw new TextgateError("not_found");
  return xml(document);
}

export const webhookRoutes: ApiRoute[] = [
  { method: "POST", path: "/api/webhooks/:carrier/inbound", auth: false, handler: inboundWebhook },
  { method: "GET", path: "/api/webhooks/:carrier/inbound", auth: false, handler: inboundWebhook },
  { method: "POST", path: "/api/webhooks/:carrier/status", auth: false, handler: statusWebhook },
  { method: "GET", path: "/api/webhooks/:carrier/status", auth: false, handler: statusWebhook },
  { method: "POST", path: "/api/webhooks/:carrier/voice", auth: false, handler: voiceWebhook },
  { method: "GET", path: "/api/webhooks/:carrier/voice", auth: false, handler: voiceWebhook },
];
