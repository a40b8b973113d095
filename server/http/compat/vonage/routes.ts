/**
 * Vonage Verify v2, mounted at /compat/vonage: `new Verify2(auth, { apiHost: "https://textgate.example/compat/vonage" })`
 * with `client.authType = AuthenticationType.BASIC`: HTTP Basic `api_key:api_secret`, any api_key, a
 * textgate API key as api_secret. Or the client's default JWT auth (`new Auth({ applicationId, privateKey })`)
 * for the applications in COMPAT_VONAGE_JWT_APPLICATIONS.
 *
 * POST /v2/verify → 202 `{ request_id }` (`workflow[].to` in E.164 without `+`, as Vonage documents; a `+` is
 * accepted too); POST /v2/verify/{id} `{ code }` → 200 `{ request_id, status:
 * "completed" }`, 400 invalid code, 404 unknown or verified already, 410 too many wrong codes;
 * POST /v2/verify/{id}/next_workflow → 200; DELETE /v2/verify/{id} → 204. One verification in flight
 * per number: a second request is 409 (concurrent). Channels sms and voice only.
 */
import { z } from "zod";
import type { ApiRoute, Reply, RequestContext } from "../../types.ts";
import { compatEngine, fromInternationalDigits, guard, identify, NO_CONTENT, parseBasic, readJson, textgateCode, uuidParam, VendorReply } from "../shared.ts";
import { problem, toVonage, vonageInvalid, vonageNotFound, vonageUnauthorized } from "./errors.ts";
import { verifyApplicationJwt } from "./jwt.ts";

export const VONAGE_PREFIX = "/compat/vonage";
/** Vonage documents no v2 check count; v1's is 3 per request. */
const MAX_ATTEMPTS = 3;
const OTHER_CHANNELS = new Set(["whatsapp", "whatsapp_interactive", "email", "rcs", "silent_auth"]);

const stepSchema = z
  .object({
    channel: z.string().describe("`sms` or `voice`; Vonage's other channels answer 422."),
    to: z.string().min(1).max(64).describe("The number, E.164 without + (447860021131); every step to the same number."),
    from: z.string().min(1).max(20).optional().describe("The sender."),
  })
  .passthrough();

export const vonageRequestSchema = z.strictObject({
  brand: z.string().min(1).max(18).describe("The name in the message."),
  workflow: z.array(stepSchema).min(1).max(5).describe("The delivery steps, in order."),
  locale: z.string().min(2).max(10).optional().describe("The message's language (en-us, de-de …)."),
  channel_timeout: z.number().int().min(15).max(900).default(180).describe("Seconds before each later step; the request expires after channel_timeout × steps."),
  client_ref: z.string().min(1).max(16).optional().describe("Your reference."),
  code_length: z.number().int().min(4).max(10).default(4).describe("Digits in the code."),
  code: z.string().regex(/^[a-zA-Z0-9]{4,10}$/, "4 to 10 letters or digits").optional().describe("Your own code."),
  fraud_check: z.boolean().optional().describe("Accepted and ignored."),
});

export const vonageCheckSchema = z.strictObject({ code: z.string().min(1).max(64).describe("The code the user typed.") });

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * The caller's API key id: Basic `api_key:<textgate API key>`, or null for a Bearer JWT of an application
 * named in COMPAT_VONAGE_JWT_APPLICATIONS (such verifications belong to no API key). Anything else is 401.
 */
async function authenticate(ctx: RequestContext): Promise<string | null> {
  const header = ctx.req.headers.authorization ?? "";
  const bearer = BEARER.exec(header)?.[1];
  if (bearer) {
    if (!verifyApplicationJwt(bearer, ctx.runtime.config.vonageJwtKeys)) throw new VendorReply(vonageUnauthorized());
    return null;
  }
  const basic = parseBasic(header);
  const identity = basic?.username ? await identify(ctx, basic.password) : null;
  if (!identity) throw new VendorReply(vonageUnauthorized());
  return identity.id;
}

const handle = (handler: (ctx: RequestContext, apiKeyId: string | null) => Promise<Reply>) =>
  guard(async (ctx) => handler(ctx, await authenticate(ctx)), (error, ctx) => toVonage(error, ctx.params.id ?? ""));

const start = handle(async (ctx, apiKeyId) => {
  const body = vonageRequestSchema.parse(await readJson(ctx));
  const refused = body.workflow.flatMap((s, i) =>
    s.channel === "sms" || s.channel === "voice"
      ? []
      : [{ name: `workflow[${i}].channel`, reason: OTHER_CHANNELS.has(s.channel) ? `${s.channel} is not supported by this server: use sms or voice` : "must be sms or voice" }],
  );
  if (refused.length) return vonageInvalid(refused);
  const to = body.workflow[0]?.to as string;
  if (body.workflow.some((s) => fromInternationalDigits(s.to) !== fromInternationalDigits(to))) return vonageInvalid([{ name: "workflow", reason: "every step must go to the same number" }]);
  const sender = body.workflow.find((s) => s.from !== undefined)?.from;
  const result = await compatEngine(ctx.runtime).create({
    to: fromInternationalDigits(to),
    workflow: body.workflow.map((s, i) => ({ channel: s.channel === "voice" ? "voice" : "sms", afterSeconds: i === 0 ? 0 : body.channel_timeout })),
    brand: body.brand,
    ...(body.code !== undefined ? { code: body.code } : { codeLength: body.code_length }),
    ...(body.locale !== undefined ? { locale: body.locale } : {}),
    ...(body.client_ref !== undefined ? { clientRef: body.client_ref } : {}),
    ...(sender !== undefined ? { sender } : {}),
    validFor: body.channel_timeout * body.workflow.length,
    maxAttempts: MAX_ATTEMPTS,
    purpose: "vonage",
    onPending: "reject",
    surface: "vonage",
    apiKeyId,
  });
  return { status: 202, body: { request_id: result.verification.id } };
});

const tooMany = () => problem(410, "/verify#expired", "Invalid Code", "An incorrect code has been provided too many times. Workflow terminated.");
const invalidCode = () => problem(400, "/verify#invalid-code", "Invalid Code", "The code you provided does not match the expected value.");

const check = handle(async (ctx) => {
  const id = uuidParam(ctx.params.id);
  const { code } = vonageCheckSchema.parse(await readJson(ctx));
  if (!id) return vonageNotFound(ctx.params.id ?? "");
  const engine = compatEngine(ctx.runtime);
  try {
    const result = await engine.check({ id }, code);
    if (result.valid) return { status: 200, body: { request_id: id, status: "completed" } };
    return result.status === "max_attempts_reached" ? tooMany() : invalidCode();
  } catch (error) {
    const reason = textgateCode(error);
    if (reason === "invalid_request") return invalidCode();
    if (reason === "verification_not_found") {
      const view = await engine.get(id).catch(() => null);
      if (view?.status === "max_attempts_reached") return tooMany();
      return vonageNotFound(id);
    }
    throw error;
  }
});

const nextWorkflow = handle(async (ctx) => {
  const id = uuidParam(ctx.params.id);
  if (!id) return vonageNotFound(ctx.params.id ?? "");
  try {
    await compatEngine(ctx.runtime).nextStep(id);
  } catch (error) {
    if (textgateCode(error) === "verification_pending") return problem(409, "/verify#conflict", "Conflict", "There are no more workflow steps to move to.");
    throw error;
  }
  return { status: 200, body: {} };
});

const cancel = handle(async (ctx) => {
  const id = uuidParam(ctx.params.id);
  if (!id) return vonageNotFound(ctx.params.id ?? "");
  await compatEngine(ctx.runtime).cancel(id, { enforceMinimumAge: false });
  return NO_CONTENT;
});

const P = `${VONAGE_PREFIX}/v2/verify`;

export const vonageRoutes: ApiRoute[] = [
  { method: "POST", path: P, auth: false, handler: start },
  { method: "POST", path: `${P}/:id`, auth: false, handler: check },
  { method: "DELETE", path: `${P}/:id`, auth: false, handler: cancel },
  { method: "POST", path: `${P}/:id/next_workflow`, auth: false, handler: nextWorkflow },
];
