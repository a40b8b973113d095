/**
 * Twilio's error JSON: `{ code, message, more_info, status }` (twilio-node's RestException reads
 * `code`, `message`, `more_info`, `details`). Codes as Twilio documents them: 20003 authentication,
 * 20404 not found, 60200 invalid parameter, 60202 max check attempts, 60203 max send attempts,
 * 60223 delivery channel disabled, 60605 geo permission, 60410 delivery attempt blocked (Fraud Guard: here a
 * blocked line type). The send budget answers 20429 with Retry-After, which Twilio's clients treat as "back off".
 */
import { z } from "zod";
import { ERRORS, isTextgateError } from "../../../../lib/errors.ts";
import type { Reply } from "../../types.ts";

export function twilioError(status: number, code: number, message: string, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Reply {
  return {
    status,
    body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status, ...extra },
    ...(headers ? { headers } : {}),
  };
}

export const twilioUnauthorized = (): Reply =>
  twilioError(401, 20003, "Authenticate", { detail: "Your AccountSid or AuthToken was incorrect." }, { "www-authenticate": 'Basic realm="Twilio API"' });

export const twilioNotFound = (resource: string): Reply => twilioError(404, 20404, `The requested resource ${resource} was not found`);

export const twilioInvalid = (parameter: string, detail?: string): Reply =>
  twilioError(400, 60200, `Invalid parameter${parameter ? ` \`${parameter}\`` : ""}${detail ? `: ${detail}` : ""}`);

/** Maps an engine failure to Twilio's answer. `resource` names the path for 20404 messages. */
export function toTwilio(error: unknown, resource: string): Reply {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return twilioInvalid(String(issue?.path[0] ?? ""), issue?.message);
  }
  if (!isTextgateError(error)) return twilioError(500, 20500, "Internal Server Error");
  const retry = error.retryAfter === undefined ? undefined : { "retry-after": String(Math.max(1, Math.ceil(error.retryAfter))) };
  switch (error.code) {
    case "verification_not_found":
    case "not_found":
      return twilioNotFound(resource);
    case "invalid_phone_number":
      return twilioInvalid("To", "not a valid phone number in E.164 format");
    case "unsupported_locale":
      // Twilio answers an unsupported Locale with 404 (verify-apis.md, "Locale and message templates").
      return twilioError(404, 20404, `Locale not supported: ${error.message}`);
    case "channel_unavailable":
      return twilioError(400, 60223, `Delivery channel disabled: ${error.message}`);
    case "send_limit_reached":
      return twilioError(429, 60203, "Max send attempts reached", {}, retry);
    case "too_many_failed_attempts":
      // Twilio's answer to too many checks (60202, 429); the Retry-After says when this number may try again.
      return twilioError(429, 60202, "Max check attempts reached", {}, retry);
    case "rate_limited":
    case "send_budget_exhausted":
      return twilioError(429, 20429, "Too Many Requests", {}, retry);
    case "country_not_allowed":
      return twilioError(403, 60605, "Verification delivery attempt blocked: the destination country is not allowed");
    case "line_type_not_allowed":
      return twilioError(403, 60410, `Verification delivery attempt blocked: ${error.message}`);
    case "unauthorized":
      return twilioUnauthorized();
    case "method_not_allowed":
      return twilioError(405, 20004, "Method not allowed");
    case "invalid_json":
    case "invalid_request":
    case "invalid_template":
    case "message_too_long":
    case "unsupported_media_type":
    case "payload_too_large":
      return twilioError(ERRORS[error.code].status, 60200, `Invalid parameter: ${error.message}`);
    default:
      return twilioError(error.status, error.status >= 500 ? 20500 : 60200, error.message);
  }
}
