/**
 * The sandbox carrier over HTTP. Every route answers 404 sandbox_disabled when the sandbox carrier is
 * not active (never in production unless SANDBOX_IN_PRODUCTION=true).
 *
 * - /api/v1/sandbox/messages (API key): what was sent to a number, for automated tests.
 * - /api/sandbox/* (`sandbox: true`): the handset page (/sandbox). These show every code sent through the
 *   sandbox, which is the point of a sandbox: open in development, and in production only for a signed-in
 *   owner or an API key (server/sandbox-access.ts; 401 anonymous, 403 signed in but not an owner). The reply
 *   route only accepts application/json, which a cross-site form cannot send without a CORS preflight;
 *   authorised by an owner's cookie it also passes the CSRF guard (server/http/same-origin.ts).
 */
import { z } from "zod";
import { TextgateError } from "../../../lib/errors.ts";
import { parseQuery, requirePhone, limitSchema } from "../request.ts";
import { assertSameOriginJson, publicOrigin } from "../same-origin.ts";
import type { ApiRoute, ApiSandbox, Reply, RequestContext } from "../types.ts";
import { serializeSandboxEntry } from "../views.ts";

const phoneText = z.string().min(1).max(64);

const messagesQuerySchema = z.object({ to: phoneText, limit: limitSchema(100, 20) });
const handsetMessagesQuerySchema = z.object({ to: phoneText, limit: limitSchema(100, 50) });
const numbersQuerySchema = z.object({ limit: limitSchema(100, 50) });

export const sandboxReplySchema = z.strictObject({
  /** The handset's number: who replies. */
  from: phoneText.describe("The handset's number, who replies: E.164 or formatted (+1 212 555 0100)."),
  body: z.string().min(1).max(1600).describe("The reply's text, 1 to 1600 characters (ACCEPT K7Q2, YES …)."),
  /** The number replied to (a sender id or number of the server), when known. */
  to: phoneText.optional().describe("The number replied to (a sender id or number of this server), when known."),
});

function requireSandbox(ctx: RequestContext): ApiSandbox {
  if (!ctx.runtime.sandbox) throw new TextgateError("sandbox_disabled");
  return ctx.runtime.sandbox;
}

/**
 * GET /api/v1/sandbox/messages?to=<phone>&limit=1..100 (default 20) — texts and calls sent to a
 * number, newest first, outbound only. `to` may be formatted ("+1 (212) 555-0100").
 * 200 `{ messages }`. Errors: 400 invalid_request, invalid_phone_number; 401 unauthorized; 404 sandbox_disabled.
 */
export async function listSentMessages(ctx: RequestContext): Promise<Reply> {
  const sandbox = requireSandbox(ctx);
  const query = messagesQuerySchema.parse(parseQuery(ctx.query));
  const to = requirePhone(query.to, "to");
  const messages = await sandbox.listMessages(to, { limit: query.limit, includeInbound: false });
  return { status: 200, body: { messages: messages.map(serializeSandboxEntry) } };
}

/**
 * GET /api/sandbox/numbers?limit=1..100 (default 50) — numbers the sandbox sent to, most recent first.
 * 200 `{ numbers: [{ number, lastMessageAt, messages }] }`. Errors: 400 invalid_request; 401 unauthorized, 403 forbidden
 * (production: not an owner or API key); 404 sandbox_disabled.
 */
export async function listHandsetNumbers(ctx: RequestContext): Promise<Reply> {
  const sandbox = requireSandbox(ctx);
  const query = numbersQuerySchema.parse(parseQuery(ctx.query));
  const numbers = await sandbox.listNumbers(query.limit);
  return {
    status: 200,
    body: { numbers: numbers.map((n) => ({ number: n.number, lastMessageAt: n.lastMessageAt.toISOString(), messages: n.messages })) },
  };
}

/**
 * GET /api/sandbox/messages?to=<phone>&limit=1..100 (default 50) — one handset's conversation,
 * newest first: what was sent to it and the replies it sent.
 * 200 `{ messages }`. Errors: 400 invalid_request, invalid_phone_number; 401, 403 (production); 404 sandbox_disabled.
 */
export async function listHandsetMessages(ctx: RequestContext): Promise<Reply> {
  const sandbox = requireSandbox(ctx);
  const query = handsetMessagesQuerySchema.parse(parseQuery(ctx.query));
  const to = requirePhone(query.to, "to");
  const messages = await sandbox.listMessages(to, { limit: query.limit, includeInbound: true });
  return { status: 200, body: { messages: messages.map(serializeSandboxEntry) } };
}

/**
 * POST /api/sandbox/reply — `{ from, body, to? }`: the handset texts back; stored as an inbound message
 * of carrier "sandbox" (and matched like any carrier's inbound text).
 * 201 `{ id, duplicate }`. Errors: 400 invalid_request, invalid_json, invalid_phone_number; 401, 403 (production; 403
 * cross_site_request for an owner's cookie sent from another origin); 404 sandbox_disabled; 413; 415.
 */
export async function postHandsetReply(ctx: RequestContext): Promise<Reply> {
  requireSandbox(ctx);
  if (ctx.sandboxCaller?.via === "owner") {
    const { origin, "sec-fetch-site": secFetchSite, "content-type": contentType } = ctx.req.headers;
    assertSameOriginJson({ origin, secFetchSite: typeof secFetchSite === "string" ? secFetchSite : null, contentType }, publicOrigin(ctx.runtime.config.PUBLIC_URL));
  }
  const input = sandboxReplySchema.parse(await ctx.readBody());
  const from = requirePhone(input.from, "from");
  const to = input.to === undefined ? null : requirePhone(input.to, "to");
  const result = await ctx.runtime.inbound.receive({ carrier: "sandbox", from, to, body: input.body });
  return { status: 201, body: { id: result.id, duplicate: result.duplicate } };
}

export const sandboxRoutes: ApiRoute[] = [
  { method: "GET", path: "/api/v1/sandbox/messages", auth: true, handler: listSentMessages },
  { method: "GET", path: "/api/sandbox/numbers", auth: false, sandbox: true, handler: listHandsetNumbers },
  { method: "GET", path: "/api/sandbox/messages", auth: false, sandbox: true, handler: listHandsetMessages },
  { method: "POST", path: "/api/sandbox/reply", auth: false, sandbox: true, handler: postHandsetReply },
];
