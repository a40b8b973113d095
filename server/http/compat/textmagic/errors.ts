/**
 * Textmagic's error bodies (textmagic-client models BadRequestResponse, NotFoundResponse,
 * UnauthorizedResponse): `{ code, message }`, plus `errors: { common: [], fields: { name: [] } }` on 400.
 */
import { z } from "zod";
import { isTextgateError } from "../../../../lib/errors.ts";
import type { Reply } from "../../types.ts";

export function textmagicError(status: number, message: string, fields?: Record<string, string[]>, headers?: Record<string, string>): Reply {
  const body = status === 400 ? { code: status, message, errors: { common: fields ? [] : [message], fields: fields ?? {} } } : { code: status, message };
  return { status, body, ...(headers ? { headers } : {}) };
}

export const textmagicUnauthorized = (): Reply => textmagicError(401, "Unauthorized", undefined, { "www-authenticate": 'Basic realm="Textmagic"' });
export const textmagicNotFound = (): Reply => textmagicError(404, "Verification not found");

export function toTextmagic(error: unknown): Reply {
  if (error instanceof z.ZodError) {
    // Keys come from the request body: a prototype-less map, so "constructor" or "__proto__" is just a name.
    const fields: Record<string, string[]> = Object.create(null);
    for (const issue of error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [String(issue.path[0] ?? "body")];
      for (const key of keys) (fields[key] ??= []).push(issue.code === "unrecognized_keys" ? "unknown parameter" : issue.message);
    }
    return textmagicError(400, "Validation Failed", fields);
  }
  if (!isTextgateError(error)) return textmagicError(500, "Internal Server Error");
  const retry = error.retryAfter === undefined ? undefined : { "retry-after": String(Math.max(1, Math.ceil(error.retryAfter))) };
  switch (error.code) {
    case "verification_not_found":
    case "not_found":
      return textmagicNotFound();
    case "invalid_phone_number":
      return textmagicError(400, "Validation Failed", { phone: ["This value is not a valid phone number."] });
    case "line_type_not_allowed":
      return textmagicError(400, "Validation Failed", { phone: [error.message] });
    case "unsupported_locale":
      return textmagicError(400, "Validation Failed", { language: [error.message] });
    case "message_too_long":
      return textmagicError(400, "Validation Failed", { brand: [error.message] });
    case "cancel_too_early":
      return textmagicError(400, error.message, undefined, retry);
    case "send_limit_reached":
    case "rate_limited":
    case "send_budget_exhausted":
    case "too_many_failed_attempts":
      return textmagicError(429, error.message, undefined, retry);
    case "unauthorized":
      return textmagicUnauthorized();
    default:
      return textmagicError(error.status, error.message);
  }
}
