/**
 * SignalWire REST error bodies: `{ errors: [{ type, code, message, attribute, url }] }` (the shape of
 * SignalWire's REST APIs; its MFA reference documents only the statuses: 404 in its four cases).
 */
import { z } from "zod";
import { isTextgateError } from "../../../../lib/errors.ts";
import type { Reply } from "../../types.ts";

const DOCS = "https://developer.signalwire.com/rest/signalwire-rest/endpoints/space/relay-rest/mfa";

export function signalwireError(status: number, type: string, code: string, message: string, attribute: string | null = null, headers?: Record<string, string>): Reply {
  return { status, body: { errors: [{ type, code, message, attribute, url: DOCS }] }, ...(headers ? { headers } : {}) };
}

export const signalwireUnauthorized = (): Reply =>
  signalwireError(401, "unauthorized", "unauthorized", "Unauthorized", null, { "www-authenticate": 'Basic realm="SignalWire"' });

export const signalwireNotFound = (): Reply => signalwireError(404, "not_found", "not_found", "Not Found");

export function toSignalwire(error: unknown): Reply {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const attribute = issue?.path.length ? String(issue.path[0]) : null;
    return signalwireError(422, "validation_error", issue?.code === "unrecognized_keys" ? "unknown_parameter" : "invalid_parameter", issue?.message ?? "invalid", attribute);
  }
  if (!isTextgateError(error)) return signalwireError(500, "internal_error", "internal_error", "Internal Server Error");
  const retry = error.retryAfter === undefined ? undefined : { "retry-after": String(Math.max(1, Math.ceil(error.retryAfter))) };
  switch (error.code) {
    case "verification_not_found":
    case "not_found":
      return signalwireNotFound();
    case "invalid_phone_number":
      return signalwireError(422, "validation_error", "invalid_parameter", "to is not a valid E.164 phone number", "to");
    case "line_type_not_allowed":
      return signalwireError(422, "validation_error", "invalid_parameter", error.message, "to");
    case "message_too_long":
    case "invalid_template":
      return signalwireError(422, "validation_error", "invalid_parameter", error.message, "message");
    case "send_limit_reached":
    case "rate_limited":
    case "send_budget_exhausted":
    case "too_many_failed_attempts":
      return signalwireError(429, "rate_limited", "too_many_requests", error.message, null, retry);
    case "unauthorized":
      return signalwireUnauthorized();
    default:
      return signalwireError(error.status, error.status >= 500 ? "internal_error" : "validation_error", error.code, error.message);
  }
}
