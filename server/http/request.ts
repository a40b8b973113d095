/** Small request helpers shared by route handlers: query strings, ids, phone numbers, headers. */
import { z } from "zod";
import { TextgateError } from "../../lib/errors.ts";
import { parsePhone } from "../../lib/phone.ts";
import { LIMITS, verificationIdSchema } from "../../lib/validations/verification.ts";

/** The query string as a plain object (the last value wins for repeated names). */
export function parseQuery(query: string): Record<string, string> {
  return query ? Object.fromEntries(new URLSearchParams(query)) : {};
}

/** A verification id from the path. A malformed id is answered like an unknown one, so ids cannot be probed. */
export function verificationId(raw: string | undefined): string {
  const parsed = verificationIdSchema.safeParse(raw);
  if (!parsed.success) throw new TextgateError("verification_not_found");
  return parsed.data.toLowerCase();
}

/** Normalises a phone number to E.164 (lib/phone.ts rules: ASCII only, valid number) or throws 400 invalid_phone_number. */
export function requirePhone(value: string, field: string): string {
  const parsed = parsePhone(value);
  if (!parsed) {
    throw new TextgateError("invalid_phone_number", undefined, {
      details: [{ path: field, message: "expected a phone number in international format, such as +12125550100" }],
    });
  }
  return parsed.e164;
}

const idempotencyKeySchema = z.string().regex(/^[\x20-\x7e]+$/).max(LIMITS.idempotencyKey.max);

/** The optional Idempotency-Key header: 1–255 printable ASCII characters. */
export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw new TextgateError("invalid_request", undefined, {
      details: [{ path: "Idempotency-Key", message: `must be 1 to ${LIMITS.idempotencyKey.max} printable ASCII characters` }],
    });
  }
  return parsed.data;
}

/** `limit` query parameter: an integer in [1, max], or the default when absent. */
export function limitSchema(max: number, fallback: number) {
  return z
    .string()
    .regex(/^[0-9]{1,4}$/, `limit must be an integer from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(max))
    .default(fallback);
}
