/**
 * What every vendor-compatible API (/compat/<vendor>) shares: HTTP Basic credentials checked against
 * textgate API keys (the key sits in the vendor's secret position), the engine methods the compat
 * surfaces need beyond ApiEngine, body readers, and id shapes.
 *
 * Compat routes are registered with `auth: false` and never throw to the API's sendError: each one
 * answers its own vendor's error bodies through `guard`, so an official client can parse every failure.
 */
import { INTERNATIONAL_DIGITS_PATTERN } from "../../../lib/e164.ts";
import { TextgateError } from "../../../lib/errors.ts";
import type { ApiKeyIdentity } from "../../api-keys.ts";
import type { VerificationView } from "../../verification/types.ts";
import { isClientAbort } from "../client-abort.ts";
import { isJsonContentType, parseFormBody, readJsonBody, readRawBody } from "../body.ts";
import type { ApiEngine, ApiRuntime, Reply, RequestContext } from "../types.ts";

/** The engine as the compat APIs use it: cancel without the 30-second rule (Twilio), next step (Vonage). */
export interface CompatEngine extends ApiEngine {
  cancel(id: string, options?: { enforceMinimumAge?: boolean }): Promise<VerificationView>;
  nextStep(id: string): Promise<VerificationView>;
  findPending(to: string, options?: { country?: string; purpose?: string }): Promise<VerificationView | null>;
  /** Unexpired but out of attempts: the vendors' "max attempts reached" rather than "not found". */
  isOutOfAttempts(ref: { id: string } | { to: string; purpose?: string }): Promise<boolean>;
}

export function compatEngine(runtime: ApiRuntime): CompatEngine {
  const engine = runtime.engine as Partial<CompatEngine>;
  if (typeof engine.nextStep !== "function") throw new Error("the compat APIs need the full verification engine (nextStep)");
  return runtime.engine as CompatEngine;
}

export interface BasicCredentials {
  username: string;
  password: string;
}

/** `Authorization: Basic base64(user:secret)`, or null when missing or malformed. */
export function parseBasic(header: string | undefined): BasicCredentials | null {
  if (!header) return null;
  const match = /^basic ([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The identity of a textgate API key, or null when the key is unknown or revoked. */
export async function identify(ctx: Pick<RequestContext, "authenticate">, key: string): Promise<ApiKeyIdentity | null> {
  if (!key) return null;
  return ctx.authenticate(key);
}

/** Thrown by a compat handler to answer a finished vendor reply (an error body) at once. */
export class VendorReply extends Error {
  constructor(readonly reply: Reply) {
    super(`vendor reply ${reply.status}`);
    this.name = "VendorReply";
  }
}

/** Runs a handler; a VendorReply is answered as is, anything else through the vendor's error mapper. */
export function guard(handler: (ctx: RequestContext) => Promise<Reply>, toVendor: (error: unknown, ctx: RequestContext) => Reply) {
  return async (ctx: RequestContext): Promise<Reply> => {
    try {
      return await handler(ctx);
    } catch (error) {
      if (error instanceof VendorReply) return error.reply;
      // The client went away mid-body: rethrown, so the API handler drops the request and logs it at debug.
      if (isClientAbort(error)) throw error;
      const reply = toVendor(error, ctx);
      if (reply.status >= 500) ctx.runtime.logger.error({ err: error, path: ctx.req.url }, "compat API request failed");
      return reply;
    }
  };
}

/** A form-encoded body (Twilio) as a map; the last value wins for repeated names. JSON bodies are accepted too. */
export async function readForm(ctx: RequestContext): Promise<Map<string, string>> {
  if (isJsonContentType(ctx.req.headers["content-type"])) {
    const json = await readJsonBody(ctx.req, ctx.runtime.config.MAX_BODY_BYTES);
    const map = new Map<string, string>();
    if (json && typeof json === "object" && !Array.isArray(json)) {
      // Objects and arrays as their JSON text: String() throws on {"toString": "x"} (an own property that is no function).
      for (const [k, v] of Object.entries(json)) if (v !== null && v !== undefined) map.set(k, typeof v === "object" ? JSON.stringify(v) : String(v));
    }
    return map;
  }
  const raw = await readRawBody(ctx.req, ctx.runtime.config.MAX_BODY_BYTES);
  return new Map(parseFormBody(raw));
}

/** A JSON body; an empty body is `{}`. */
export async function readJson(ctx: RequestContext): Promise<unknown> {
  return (await ctx.readBody()) ?? {};
}

/** A UUID as 32 lower-case hex characters (Twilio's sid body), and back. */
export function uuidToHex(id: string): string {
  return id.replace(/-/g, "").toLowerCase();
}

export function hexToUuid(hex: string): string | null {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A verification id in a vendor path (a UUID), lower-cased, or null when it cannot be one. */
export function uuidParam(raw: string | undefined): string | null {
  return raw && UUID.test(raw) ? raw.toLowerCase() : null;
}

/** A reply with no body (204). */
export const NO_CONTENT: Reply = { status: 204, json: "" };

export function textgateCode(error: unknown): string | null {
  return error instanceof TextgateError || (error as { name?: unknown } | null)?.name === "TextgateError" ? (error as TextgateError).code : null;
}

/**
 * A number in the international format Vonage and Textmagic document: E.164 digits without the `+`
 * (Vonage Verify v2 `workflow[].to`: "in the E.164 format, don't use a leading + or 00"; Textmagic's
 * example `447860021130`, docs/compat/textmagic.md). Such digits get their `+` back; anything else (already with `+`,
 * or not a number at all) is left for parsePhone to judge.
 */
export function fromInternationalDigits(phone: string): string {
  const text = phone.trim();
  return INTERNATIONAL_DIGITS_PATTERN.test(text) ? `+${text}` : phone;
}
