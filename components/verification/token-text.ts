/** Code-field helpers free of React, shared by <TokenInput> and the /login script. */
import { describeWait } from "../../lib/durations.ts";

/**
 * The code characters in `text`: digits only, or upper-case letters and digits for alphanumeric codes. From a
 * whole message ("Your code is 7KQ4MA") a word of exactly `length` characters wins over every letter in it.
 */
export function codeCharacters(text: string, length: number, alphanumeric: boolean): string {
  if (!alphanumeric) return text.replace(/\D/g, "");
  const upper = text.toUpperCase();
  const word = upper.match(new RegExp(`(?:^|[^A-Z0-9])([A-Z0-9]{${length}})(?:$|[^A-Z0-9])`));
  return word?.[1] ?? upper.replace(/[^A-Z0-9]/g, "");
}

/** Under the code boxes while the code can be used: "The code expires in 10 min." */
export function expiresInText(secondsLeft: number): string {
  return `The code expires in ${describeWait(secondsLeft)}.`;
}

/** Shown the moment a code's validity ends, before the person types it. */
export const CODE_EXPIRED_TEXT = "This code has expired. Request a new code.";

export { attemptsLeftText } from "../../lib/attempts.ts";

interface OtpCredential extends Credential {
  code: string;
}

/**
 * WebOTP: Chrome on Android can read the code from an SMS that ends with "@host #code". Calls `onCode` with
 * the code's characters when the browser hands over a complete one; does nothing where it is unsupported.
 * Abort `signal` when the field goes away or is disabled.
 */
export function listenForWebOtp(options: { length: number; alphanumeric: boolean; signal: AbortSignal; onCode: (code: string) => void }): void {
  if (typeof window === "undefined" || !("OTPCredential" in window)) return;
  const { length, alphanumeric, signal, onCode } = options;
  navigator.credentials
    .get({ otp: { transport: ["sms"] }, signal } as CredentialRequestOptions)
    .then((credential) => {
      const otp = credential as OtpCredential | null;
      if (!otp?.code || signal.aborted) return;
      const clean = codeCharacters(otp.code, length, alphanumeric).slice(0, length);
      if (clean.length === length) onCode(clean);
    })
    .catch(() => {
      // Aborted, dismissed or not allowed: typing still works.
    });
}
