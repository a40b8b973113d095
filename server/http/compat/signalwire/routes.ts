/**
 * SignalWire's MFA API (docs/compat/signalwire.md), mounted at /compat/signalwire: replace
 * `https://<space>.signalwire.com` with `https://textgate.example/compat/signalwire`. HTTP Basic
 * `ProjectID:AuthToken`, any ProjectID, a textgate API key as AuthToken.
 *
 * POST /api/relay/rest/mfa/sms | /mfa/call `{ to, from?, message?, token_length?, max_attempts?,
 * allow_alphas?, valid_for? }` → `{ id, success: true, to, channel }`; POST /mfa/{id}/verify `{ token }`
 * → `{ success }`, 404 when the id is unknown, already verified, out of attempts or expired. A new
 * request to a number with one pending replaces it (the older token stops working).
 */
import { z } from "zod";
import type { Channel } from "../../../verification/types.ts";
import type { ApiRoute, Reply, RequestContext } from "../../types.ts";
import { compatEngine, guard, identify, parseBasic, readJson, textgateCode, uuidParam, VendorReply } from "../shared.ts";
import { signalwireNotFound, signalwireUnauthorized, toSignalwire } from "./errors.ts";

export const SIGNALWIRE_PREFIX = "/compat/signalwire";
const DEFAULT_MESSAGE = "Your Personal Authorization Code is:";

export const signalwireRequestSchema = z
  .strictObject({
    to: z.string().min(1).max(64).describe("The number, E.164."),
    from: z.string().min(1).max(20).optional().describe("The sender ID or number, where the carrier allows it."),
    message: z.string().min(1).max(500).optional().describe(`The text before the token (default "${DEFAULT_MESSAGE}"); with it, one SMS segment, or 500 characters for a call.`),
    token_length: z.number().int().min(4).max(20).default(6).describe("Characters in the token."),
    max_attempts: z.number().int().min(1).max(20).default(3).describe("Wrong tokens allowed."),
    allow_alphas: z.boolean().optional().describe("Letters and digits instead of digits only (default false)."),
    /** The key SignalWire's own MFA example uses. */
    allow_alpha: z.boolean().optional().describe("The same as allow_alphas (the key of SignalWire's own example)."),
    valid_for: z.number().int().min(0).max(604_800).default(3600).describe("Seconds the token stays valid."),
  });

export const signalwireVerifySchema = z.strictObject({
  token: z.union([z.string().min(1).max(64), z.number().int().nonnegative()]).describe("The token the user typed (a string, or a number)."),
});

async function authenticate(ctx: RequestContext): Promise<string> {
  const credentials = parseBasic(ctx.req.headers.authorization);
  const identity = credentials && credentials.username ? await identify(ctx, credentials.password) : null;
  if (!identity) throw new VendorReply(signalwireUnauthorized());
  return identity.id;
}

const handle = (handler: (ctx: RequestContext, apiKeyId: string) => Promise<Reply>) =>
  guard(async (ctx) => handler(ctx, await authenticate(ctx)), (error) => toSignalwire(error));

/** The message, then the token: "Your Personal Authorization Code is: 123456". */
function templateOf(message: string): string {
  const escaped = message.replaceAll("{", "(").replaceAll("}", ")");
  return /\s$/.test(escaped) ? `${escaped}{code}` : `${escaped} {code}`;
}

function request(channel: Channel) {
  return handle(async (ctx, apiKeyId) => {
    const body = signalwireRequestSchema.parse(await readJson(ctx));
    const result = await compatEngine(ctx.runtime).create({
      to: body.to,
      channel,
      codeLength: body.token_length,
      alphanumeric: body.allow_alphas ?? body.allow_alpha ?? false,
      template: templateOf(body.message ?? DEFAULT_MESSAGE),
      ...(body.from !== undefined ? { sender: body.from } : {}),
      maxAttempts: body.max_attempts,
      validFor: body.valid_for,
      purpose: "signalwire",
      onPending: "replace",
      surface: "signalwire",
      apiKeyId,
    });
    const v = result.verification;
    return { status: 200, body: { id: v.id, success: true, to: v.to, channel: channel === "voice" ? "call" : "sms" } };
  });
}

const verify = handle(async (ctx) => {
  const id = uuidParam(ctx.params.id);
  const { token } = signalwireVerifySchema.parse(await readJson(ctx));
  if (!id) return signalwireNotFound();
  const engine = compatEngine(ctx.runtime);
  try {
    const result = await engine.check({ id }, String(token));
    return { status: 200, body: { success: result.valid } };
  } catch (error) {
    // A token of the wrong length or characters is a wrong token: success false (no attempt is used).
    if (textgateCode(error) === "invalid_request") return { status: 200, body: { success: false } };
    throw error;
  }
});

const P = `${SIGNALWIRE_PREFIX}/api/relay/rest/mfa`;

export const signalwireRoutes: ApiRoute[] = [
  { method: "POST", path: `${P}/sms`, auth: false, handler: request("sms") },
  { method: "POST", path: `${P}/call`, auth: false, handler: request("voice") },
  { method: "POST", path: `${P}/:id/verify`, auth: false, handler: verify },
];
