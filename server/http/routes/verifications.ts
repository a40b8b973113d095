/**
 * The native verification API, /api/v1/verifications. Every route needs an API key. Handlers parse
 * with a module-level schema, call one engine method and serialise; errors go to sendError.
 */
import { z } from "zod";
import { checkVerificationSchema, createVerificationSchema, resendVerificationSchema } from "../../../lib/validations/verification.ts";
import { idempotencyKey, verificationId } from "../request.ts";
import type { ApiRoute, Reply, RequestContext } from "../types.ts";
import { serializeCheck, serializeVerification } from "../views.ts";

/** cancel and approve take no parameters: an empty body or `{}`. */
const emptyBodySchema = z.strictObject({}).optional();
const optionalResendSchema = resendVerificationSchema.optional();

/**
 * POST /api/v1/verifications — starts a verification and sends the first code.
 * Header `Idempotency-Key` (optional): a repeat with the same key and body answers 200 with
 * `Idempotent-Replayed: true` and sends nothing.
 * 201 verification | 200 replay. Errors: 400 invalid_request, invalid_json, invalid_phone_number,
 * unsupported_locale, invalid_template, message_too_long, channel_unavailable; 401 unauthorized;
 * 403 country_not_allowed; 409 verification_pending; 413; 415; 422 idempotency_key_reused;
 * 429 send_limit_reached, rate_limited.
 */
export async function createVerification(ctx: RequestContext): Promise<Reply> {
  const key = idempotencyKey(ctx.req.headers["idempotency-key"]);
  const body = createVerificationSchema.parse(await ctx.readBody());
  const result = await ctx.runtime.engine.create({
    ...body,
    apiKeyId: ctx.apiKey?.id ?? null,
    idempotencyKey: key,
    surface: "native",
  });
  return result.replayed
    ? { status: 200, body: serializeVerification(result.verification), headers: { "idempotent-replayed": "true" } }
    : { status: 201, body: serializeVerification(result.verification) };
}

/**
 * GET /api/v1/verifications/:id — the verification, in any status.
 * 200 verification. Errors: 401 unauthorized; 404 verification_not_found.
 */
export async function getVerification(ctx: RequestContext): Promise<Reply> {
  const id = verificationId(ctx.params.id);
  return { status: 200, body: serializeVerification(await ctx.runtime.engine.get(id)) };
}

/**
 * POST /api/v1/verifications/:id/check — `{ code }`; a wrong code uses one attempt.
 * 200 `{ valid, status, attemptsLeft }`. Errors: 400 invalid_request, invalid_json; 401 unauthorized;
 * 404 verification_not_found (unknown, or no longer pending); 413; 415; 429 rate_limited,
 * too_many_failed_attempts (the number is locked by wrong codes in a row; Retry-After; the code is not tested).
 */
export async function checkVerification(ctx: RequestContext): Promise<Reply> {
  const id = verificationId(ctx.params.id);
  const { code } = checkVerificationSchema.parse(await ctx.readBody());
  return { status: 200, body: serializeCheck(await ctx.runtime.engine.check({ id }, code)) };
}

/**
 * POST /api/v1/verifications/:id/cancel — body empty or `{}`.
 * 200 verification (status canceled). Errors: 400 invalid_request; 401 unauthorized;
 * 404 verification_not_found; 409 cancel_too_early (before 30 s).
 */
export async function cancelVerification(ctx: RequestContext): Promise<Reply> {
  const id = verificationId(ctx.params.id);
  emptyBodySchema.parse(await ctx.readBody());
  return { status: 200, body: serializeVerification(await ctx.runtime.engine.cancel(id)) };
}

/**
 * POST /api/v1/verifications/:id/approve — marks a pending verification approved without a code
 * (the owner verified the person another way). Body empty or `{}`.
 * 200 verification (status approved). Errors: 400 invalid_request; 401 unauthorized; 404 verification_not_found.
 */
export async function approveVerification(ctx: RequestContext): Promise<Reply> {
  const id = verificationId(ctx.params.id);
  emptyBodySchema.parse(await ctx.readBody());
  return { status: 200, body: serializeVerification(await ctx.runtime.engine.approve(id)) };
}

/**
 * POST /api/v1/verifications/:id/resend — sends the same code again, optionally `{ channel }`.
 * 200 verification. Errors: 400 invalid_request, channel_unavailable; 401 unauthorized;
 * 404 verification_not_found; 429 rate_limited, send_limit_reached (with Retry-After).
 */
export async function resendVerification(ctx: RequestContext): Promise<Reply> {
  const id = verificationId(ctx.params.id);
  const options = optionalResendSchema.parse(await ctx.readBody());
  return { status: 200, body: serializeVerification(await ctx.runtime.engine.resend(id, options)) };
}

export const verificationRoutes: ApiRoute[] = [
  { method: "POST", path: "/api/v1/verifications", auth: true, handler: createVerification },
  { method: "GET", path: "/api/v1/verifications/:id", auth: true, handler: getVerification },
  { method: "POST", path: "/api/v1/verifications/:id/check", auth: true, handler: checkVerification },
  { method: "POST", path: "/api/v1/verifications/:id/cancel", auth: true, handler: cancelVerification },
  { method: "POST", path: "/api/v1/verifications/:id/approve", auth: true, handler: approveVerification },
  { method: "POST", path: "/api/v1/verifications/:id/resend", auth: true, handler: resendVerification },
];
