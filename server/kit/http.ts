/**
 * The HTTP pieces the host-side kit routes share (server/kit/next-auth.ts, verify-routes.ts): JSON
 * answers in textgate's error shape, a bounded JSON body, per-key limits, the client IP behind a known
 * number of proxies, and textgate's refusals passed on.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { z } from "zod";
import { ERRORS, isTextgateRequestError } from "../../lib/errors.ts";

/** Limits count per 10 minutes. */
export const LIMIT_WINDOW_SECONDS = 600;

export function limiter(points: number, keyPrefix: string): RateLimiterMemory {
  return new RateLimiterMemory({ points, duration: LIMIT_WINDOW_SECONDS, keyPrefix });
}

export type Route = (request: Request) => Promise<Response>;

/** Runs a route, answering a thrown Response as it is and a textgate refusal (or outage) in the error shape. */
export function guarded<A extends unknown[]>(fn: (request: Request, ...rest: A) => Promise<Response>): (request: Request, ...rest: A) => Promise<Response> {
  return async (request, ...rest) => {
    try {
      return await fn(request, ...rest);
    } catch (error) {
      if (error instanceof Response) return error;
      // The answer says only "could not be reached"; the host's operator needs the cause (unset TEXTGATE_URL, DNS, TLS).
      if (!isTextgateRequestError(error)) console.error("textgate: a request to the textgate server failed", error);
      return fromTextgate(error);
    }
  };
}

export function errorJson(code: keyof typeof ERRORS | (string & {}), status: number, message: string, retryAfter?: number): Response {
  const headers: Record<string, string> = { "content-type": "application/json", "cache-control": "no-store" };
  if (retryAfter !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
  return new Response(JSON.stringify({ error: { code, message } }), { status, headers });
}

export function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json", "cache-control": "no-store" } });
}

/**
 * The client's IP from X-Forwarded-For, behind `trustedProxies` proxies that each append the address they
 * saw (see SmsAuthRoutesOptions). Next only fills the header in when a request has none
 * (`x-forwarded-for ??= socket.remoteAddress`, next/dist/server/base-server.js), and appends nothing: so
 * the nearest proxy's entry, the last one, is the client's, and each proxy behind it adds one more after it.
 */
export function clientIpOf(request: Request, trustedProxies = 0): string {
  const entries = (request.headers.get("x-forwarded-for") ?? "").split(",").map((e) => e.trim()).filter(Boolean);
  return entries[Math.max(0, entries.length - Math.max(1, trustedProxies))] ?? "unknown";
}

export async function readBody<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw errorJson("unsupported_media_type", 415, ERRORS.unsupported_media_type.message);
  }
  const text = await request.text();
  if (text.length > 4096) throw errorJson("payload_too_large", 413, ERRORS.payload_too_large.message);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw errorJson("invalid_json", 400, ERRORS.invalid_json.message);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw errorJson("invalid_request", 400, parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  return parsed.data;
}

/** A refusal of the textgate server, passed on with its code; anything else is a 502 (the host's upstream). */
export function fromTextgate(error: unknown): Response {
  if (isTextgateRequestError(error) && error.status >= 400 && error.status < 500) return errorJson(error.code, error.status, error.message, error.retryAfter);
  return errorJson("internal_error", 502, "The verification server could not be reached. Try again.");
}

export async function consume(limiter: RateLimiterMemory, key: string): Promise<Response | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return errorJson("rate_limited", 429, ERRORS.rate_limited.message, rejection.msBeforeNext / 1000);
    throw rejection;
  }
}

