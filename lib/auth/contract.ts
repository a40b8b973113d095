/**
 * The contract between textgate's sign-in pages/components and its auth endpoints (same origin, JSON).
 *
 *   GET  /api/auth/sms/config                → AuthClientConfig
 *   POST /api/auth/sms/start   SmsStartRequest → 200 SmsChallenge | 400 invalid_phone_number | 429 rate_limited (Retry-After)
 *   POST /api/auth/sms/resend  { verificationId } → 200 SmsChallenge | 404 verification_not_found | 429 rate_limited
 *   next-auth: signIn("sms", { redirect: false, verificationId, code, name?, callbackUrl })
 *              → { ok, error } where error is a SignInErrorString (parse with parseSignInError);
 *              `too_many_failed_attempts:<seconds>` while the number is locked by wrong codes in a row
 *   POST /api/account/phone/start   { phone, country? } → 200 SmsChallenge | 401 unauthorized | 403 reauth_required
 *   POST /api/account/phone/confirm { verificationId, code } → 200 { phone } | 400 { error: { code: "invalid_code", message, details: { attemptsLeft } } } | 404 | 429 too_many_failed_attempts (Retry-After) | 409 phone_unavailable (only after the right code: a wrong one answers alike for taken and free numbers)
 *   POST /api/account/sessions/revoke-all → 200 { revoked } (then call signOut())
 *
 * Errors are `{ "error": { "code", "message", "attemptsLeft"? } }` as everywhere in textgate.
 */

/** A signed-in user as the server sees them (server/auth/sessions.ts; the sockets of `textgate/ws` too). */
export interface SessionUser {
  id: string;
  name: string | null;
  phone: string | null;
}

import { wrongCodeText } from "../attempts.ts";
import { describeWait } from "../durations.ts";

export interface AuthClientConfig {
  /** True while the sandbox carrier is active: pages link to the /sandbox handset. */
  sandbox: boolean;
  codeLength: number;
  alphanumeric: boolean;
  channel: "sms" | "voice";
  /** ISO country preselected in phone inputs. */
  defaultCountry: string;
}

export interface SmsStartRequest {
  phone: string;
  country?: string;
}

/** A code was (or would have been) sent: the same answer whether or not the number has an account. */
export interface SmsChallenge {
  verificationId: string;
  /** The number in E.164. */
  to: string;
  channel: "sms" | "voice";
  codeLength: number;
  alphanumeric: boolean;
  attemptsLeft: number;
  expiresAt: string;
  /** When "Resend code" may be used again. */
  resendAvailableAt: string;
}

/** Why a sign-in with a code failed, as next-auth passes it back in `error`. */
export type SignInError =
  | { kind: "invalid_code"; attemptsLeft: number }
  | { kind: "locked" }
  /** Too many wrong codes in a row for this number, on any page or API: checks wait `retryAfter` seconds. */
  | { kind: "too_many_failed_attempts"; retryAfter: number }
  | { kind: "expired_or_used" }
  | { kind: "invalid_format"; message: string }
  | { kind: "unknown"; message: string };

const PREFIX = "textgate:";

export function encodeSignInError(error: SignInError): string {
  switch (error.kind) {
    case "invalid_code":
      return `${PREFIX}invalid_code:${error.attemptsLeft}`;
    case "too_many_failed_attempts":
      return `${PREFIX}too_many_failed_attempts:${error.retryAfter}`;
    case "invalid_format":
    case "unknown":
      return `${PREFIX}${error.kind}:${error.message}`;
    default:
      return `${PREFIX}${error.kind}`;
  }
}

export function parseSignInError(value: string | null | undefined): SignInError {
  const text = value ?? "";
  if (!text.startsWith(PREFIX)) return { kind: "unknown", message: text || "Sign-in failed." };
  const [kind, ...rest] = text.slice(PREFIX.length).split(":");
  const detail = rest.join(":");
  if (kind === "invalid_code") return { kind, attemptsLeft: Number(detail) || 0 };
  if (kind === "too_many_failed_attempts") return { kind, retryAfter: Math.max(1, Math.ceil(Number(detail) || 1)) };
  if (kind === "locked" || kind === "expired_or_used") return { kind };
  if (kind === "invalid_format") return { kind, message: detail };
  return { kind: "unknown", message: detail || "Sign-in failed." };
}

/** Texts for each sign-in error, shared by every component that shows one. */
export function describeSignInError(error: SignInError): string {
  switch (error.kind) {
    case "invalid_code":
      return wrongCodeText(error.attemptsLeft);
    case "locked":
      return "Too many wrong codes. Request a new code.";
    case "too_many_failed_attempts":
      return `Too many wrong codes were entered for this number. For your security, try again in ${describeWait(error.retryAfter)}.`;
    case "expired_or_used":
      return "This code has expired or was already used. Request a new code.";
    case "invalid_format":
    case "unknown":
      return error.message;
  }
}
