import { normalizeSignInError, postJson, toRequestError, type VerifyAdapter } from "@/components/verification/adapters.ts";
import { TextgateRequestError } from "@/lib/errors.ts";
import type { SmsChallenge } from "@/lib/auth/contract.ts";

/**
 * VerifyFlow adapter for changing the signed-in user's number: a code goes to the new number
 * (/api/account/phone/start) and confirming it (/api/account/phone/confirm) moves the account over. There is no
 * resend endpoint: "Resend code" starts a new verification of the same number.
 */
export function accountPhoneAdapter(): VerifyAdapter {
  return {
    start: (phone, country) => postJson<SmsChallenge>("/api/account/phone/start", country ? { phone, country } : { phone }),
    resend: () => Promise.reject(new TextgateRequestError(404, "verification_not_found", "Start a new verification.")),
    async verify(challenge, code) {
      let response: Response;
      try {
        response = await fetch("/api/account/phone/confirm", {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ verificationId: challenge.verificationId, code }),
          credentials: "same-origin",
        });
      } catch {
        return { ok: false, error: { kind: "unknown", message: "Could not reach the server. Check your connection and try again." } };
      }
      if (response.ok) return { ok: true };
      if (response.status === 400) {
        const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string; attemptsLeft?: number; message?: string } } | null;
        if (body?.error?.code === "invalid_code") {
          return { ok: false, error: normalizeSignInError({ kind: "invalid_code", attemptsLeft: body.error.attemptsLeft ?? 0 }) };
        }
      }
      if (response.status === 404) return { ok: false, error: { kind: "expired_or_used" } };
      const failure = await toRequestError(response);
      if (response.status === 401) return { ok: false, error: { kind: "unknown", message: "Your session has ended. Sign in again to change your number." } };
      if (response.status === 400) return { ok: false, error: { kind: "invalid_format", message: failure.message } };
      return { ok: false, error: { kind: "unknown", message: failure.message } };
    },
  };
}
