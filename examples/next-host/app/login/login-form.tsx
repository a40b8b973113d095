"use client";

import { type FormEvent, useMemo, useState } from "react";
import { describeSignInError, isTextgateRequestError, nextAuthAdapter, PhoneInput, type SmsChallenge, TokenInput } from "textgate/react";

/**
 * Sign-in laid out by the host itself from the parts: PhoneInput, then TokenInput, talking to the routes of
 * auth.ts through the same adapter VerifyFlow uses.
 */
export function LoginForm() {
  const adapter = useMemo(() => nextAuthAdapter({ callbackUrl: "/account", basePath: "/api/textgate" }), []);
  const [phone, setPhone] = useState<string | null>(null);
  const [challenge, setChallenge] = useState<SmsChallenge | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!phone || busy) return;
    setBusy(true);
    setError(null);
    try {
      setChallenge(await adapter.start(phone));
    } catch (failure) {
      setError(isTextgateRequestError(failure) ? failure.message : "Could not send the code. Try again.");
    } finally {
      setBusy(false);
    }
  }

  async function check(code: string) {
    if (!challenge || busy) return;
    setBusy(true);
    const result = await adapter.verify(challenge, code);
    setBusy(false);
    // On success the adapter goes to /account.
    if (!result.ok) setError(describeSignInError(result.error));
  }

  if (!challenge) {
    return (
      <form onSubmit={send}>
        <PhoneInput onChange={(e164) => setPhone(e164)} error={error} autoFocus required />
        <button type="submit" disabled={!phone || busy}>
          Send code
        </button>
      </form>
    );
  }
  return (
    <TokenInput
      length={challenge.codeLength}
      attemptsLeft={challenge.attemptsLeft}
      expiresAt={challenge.expiresAt}
      error={error}
      disabled={busy}
      onComplete={check}
      autoFocus
    />
  );
}
