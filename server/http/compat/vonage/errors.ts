/**
 * Vonage's RFC 7807 problem documents (`application/problem+json`: type, title, detail, instance),
 * with the statuses Vonage Verify v2 documents: 401, 404 not found or verified already, 409
 * concurrent / conflict, 410 too many wrong codes, 400 invalid code, 422 invalid params, 429.
 */
import crypto from "node:crypto";
import { z } from "zod";
import { isTextgateError } from "../../../../lib/errors.ts";
import type { Reply } from "../../types.ts";

const PROBLEM = { "content-type": "application/problem+json" };

export function problem(status: number, type: string, title: string, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Reply {
  return {
    status,
    body: { type: `https://developer.vonage.com/api-errors${type}`, title, detail, instance: crypto.randomUUID(), ...extra },
    headers: { ...PROBLEM, ...headers },
  };
}

export const vonageUnauthorized = (): Reply =>
  problem(401, "#unauthorized", "Invalid credentials supplied", "You did not provide correct credentials.", {}, { "www-authenticate": 'Basic realm="Vonage"' });

export const vonageNotFound = (id: string): Reply => problem(404, "#not-found", "Not Found", `Request '${id}' was not found or it has been verified already.`);

export const vonageInvalid = (parameters: { name: string; reason: string }[]): Reply =>
  problem(422, "#invalid-params", "Invalid params", "The value of one or more parameters is invalid", { invalid_parameters: parameters });

export function toVonage(error: unknown, id = ""): Reply {
  if (error instanceof z.ZodError) {
    return vonageInvalid(
      error.issues.map((issue) => ({
        name: issue.code === "unrecognized_keys" ? issue.keys.join(",") : issue.path.map(String).join(".") || "body",
        reason: issue.code === "unrecognized_keys" ? "unknown parameter" : issue.message,
      })),
    );
  }
  if (!isTextgateError(error)) return problem(500, "#internal-error", "Internal Error", "Something went wrong.");
  const retry: Record<string, string> = error.retryAfter === undefined ? {} : { "retry-after": String(Math.max(1, Math.ceil(error.retryAfter))) };
  switch (error.code) {
    case "verification_not_found":
    case "not_found":
      return vonageNotFound(id);
    case "verification_pending":
      return problem(409, "/verify#conflict", "Conflict", "Concurrent verifications to the same number are not allowed.");
    case "invalid_phone_number":
      return vonageInvalid([{ name: "workflow[0].to", reason: "not a valid phone number" }]);
    case "line_type_not_allowed":
      // Verify v2 documents 422 (not 403) for a start it refuses; the reason names the line type.
      return vonageInvalid([{ name: "workflow[0].to", reason: error.message }]);
    case "unsupported_locale":
      return vonageInvalid([{ name: "locale", reason: error.message }]);
    case "message_too_long":
    case "invalid_request":
    case "invalid_json":
      return vonageInvalid([{ name: "body", reason: error.message }]);
    case "channel_unavailable":
      return vonageInvalid([{ name: "workflow", reason: error.message }]);
    case "send_limit_reached":
    case "rate_limited":
    case "send_budget_exhausted":
    case "too_many_failed_attempts":
      return problem(429, "#rate-limit", "Rate Limit Hit", "Please wait, then retry your request", {}, retry);
    case "unauthorized":
      return vonageUnauthorized();
    default:
      return problem(error.status, `#${error.code}`, error.code, error.message);
  }
}
