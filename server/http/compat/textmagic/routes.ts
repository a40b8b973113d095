/**
 * Textmagic's Verify API (docs/compat/textmagic.md), mounted at /compat/textmagic: set textmagic-client's
 * `ApiClient.instance.basePath = "https://textgate.example/compat/textmagic"`. Authentication: HTTP
 * Basic `username:key` or the `X-TM-Username` / `X-TM-Key` headers, with a textgate API key as key.
 *
 * POST /api/v2/verify → `{ verifyId, price }` (`phone` in international format, `447860021130` as in Textmagic's example
 * or with a `+`, or local with `country`) (price: COMPAT_TEXTMAGIC_PRICE, default 0); PUT
 * /api/v2/verify `{ code, verifyId }` → 204 on the right code; DELETE /api/v2/verify/{verifyId} → 204,
 * refused during the first 30 seconds. Workflows 1–7 are the engine's presets (60 s between steps);
 * a request expires after 300 s (COMPAT_TEXTMAGIC_VALID_FOR_SECONDS). A new request to a number with
 * one pending replaces it.
 */
import { z } from "zod";
import { presetDescriptions } from "../../../../lib/workflow-presets.ts";
import { SEED_LOCALES } from "../../../verification/locales.ts";
import type { ApiRoute, Reply, RequestContext } from "../../types.ts";
import { compatEngine, fromInternationalDigits, guard, identify, NO_CONTENT, parseBasic, readJson, textgateCode, uuidParam, VendorReply } from "../shared.ts";
import { textmagicError, textmagicNotFound, textmagicUnauthorized, toTextmagic } from "./errors.ts";

export const TEXTMAGIC_PREFIX = "/compat/textmagic";

const LANGUAGES = new Set<string>(SEED_LOCALES);

export const textmagicSendSchema = z.strictObject({
  phone: z.string().min(1).max(64).describe("International digits (447860021130, a + is accepted), or a local number with `country`."),
  brand: z.string().regex(/^[\p{L}\p{N} ]{1,18}$/u, "up to 18 letters, digits or spaces").describe("The name in the message: up to 18 letters, digits or spaces."),
  codeLength: z.union([z.literal(4), z.literal(6)], { message: "must be 4 or 6" }).describe("Digits in the code: 4 or 6."),
  language: z
    .string()
    .transform((v) => v.toLowerCase())
    .refine((v) => LANGUAGES.has(v), "not a supported language")
    .optional()
    .describe("The message's language: one of Textmagic's 24 locales (en-us, de-de …)."),
  senderId: z.string().min(1).max(20).optional().describe("The sender ID or number."),
  country: z.string().regex(/^[A-Za-z]{2}$/, "a 2-letter ISO country code").transform((c) => c.toUpperCase()).optional().describe("ISO 3166-1 alpha-2 country of a local `phone`."),
  workflowId: z.number().int().min(1).max(7).default(1).meta({ enum: [1, 2, 3, 4, 5, 6, 7], "x-enumDescriptions": presetDescriptions() }).describe("The delivery workflow."),
});

export const textmagicCheckSchema = z.strictObject({
  code: z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9]{1,10}$/)]).describe("The code the user typed (a number keeps its leading zeros from the code length)."),
  verifyId: z.string().min(1).max(64).describe("From the send's answer."),
});

async function authenticate(ctx: RequestContext): Promise<string> {
  const headerUser = ctx.req.headers["x-tm-username"];
  const headerKey = ctx.req.headers["x-tm-key"];
  let key: string | null = null;
  if (typeof headerUser === "string" && typeof headerKey === "string" && headerUser) key = headerKey;
  else {
    const basic = parseBasic(ctx.req.headers.authorization);
    if (basic?.username) key = basic.password;
  }
  const identity = key ? await identify(ctx, key) : null;
  if (!identity) throw new VendorReply(textmagicUnauthorized());
  return identity.id;
}

const handle = (handler: (ctx: RequestContext, apiKeyId: string) => Promise<Reply>) =>
  guard(async (ctx) => handler(ctx, await authenticate(ctx)), (error) => toTextmagic(error));

const send = handle(async (ctx, apiKeyId) => {
  const body = textmagicSendSchema.parse(await readJson(ctx));
  const result = await compatEngine(ctx.runtime).create({
    // With `country` the number is in local format (as Textmagic documents); without, international digits, `+` optional.
    to: body.country ? body.phone : fromInternationalDigits(body.phone),
    ...(body.country ? { country: body.country } : {}),
    brand: body.brand,
    codeLength: body.codeLength,
    ...(body.language ? { locale: body.language } : {}),
    ...(body.senderId ? { sender: body.senderId } : {}),
    workflow: body.workflowId,
    validFor: ctx.runtime.config.COMPAT_TEXTMAGIC_VALID_FOR_SECONDS,
    purpose: "textmagic",
    onPending: "replace",
    surface: "textmagic",
    apiKeyId,
  });
  return { status: 201, body: { verifyId: result.verification.id, price: ctx.runtime.config.COMPAT_TEXTMAGIC_PRICE } };
});

const check = handle(async (ctx) => {
  const body = textmagicCheckSchema.parse(await readJson(ctx));
  const id = uuidParam(body.verifyId);
  if (!id) return textmagicNotFound();
  const engine = compatEngine(ctx.runtime);
  // The code travels as a Number: put back the leading zeros a number drops.
  let code = String(body.code);
  if (typeof body.code === "number") {
    const view = await engine.get(id);
    code = code.padStart(view.codeLength, "0");
  }
  try {
    const result = await engine.check({ id }, code);
    if (result.valid) return NO_CONTENT;
  } catch (error) {
    if (textgateCode(error) !== "invalid_request") throw error;
  }
  return textmagicError(400, "Wrong verification code", { code: ["The verification code is not valid."] });
});

const cancel = handle(async (ctx) => {
  const id = uuidParam(ctx.params.verifyId);
  if (!id) return textmagicNotFound();
  await compatEngine(ctx.runtime).cancel(id, { enforceMinimumAge: true });
  return NO_CONTENT;
});

const P = `${TEXTMAGIC_PREFIX}/api/v2/verify`;

export const textmagicRoutes: ApiRoute[] = [
  { method: "POST", path: P, auth: false, handler: send },
  { method: "PUT", path: P, auth: false, handler: check },
  { method: "DELETE", path: `${P}/:verifyId`, auth: false, handler: cancel },
];


