"use client";

import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";

import { Button } from "../ui/button.tsx";
import type { SignInError, SmsChallenge } from "../../lib/auth/contract.ts";
import { describeSignInError } from "../../lib/auth/contract.ts";

import { isTextgateRequestError, TextgateRequestError } from "../../lib/errors.ts";
import { resentMessage, type VerifyAdapter, type VerifyExtra } from "./adapters.ts";
import { PhoneInput } from "./phone-input.tsx";
import { SandboxHandsetLink } from "./sandbox-handset-link.tsx";
import { formatInternational, usePhoneLib } from "./phone-format.ts";
import { TokenInput } from "./token-input.tsx";
import { CODE_EXPIRED_TEXT } from "./token-text.ts";
import styles from "./verification.module.css";

export interface VerifyFlowProps {
  adapter: VerifyAdapter;
  /** ISO country preselected in the phone step. */
  defaultCountry?: string;
  /** "boxes" (one box per character) or "single"; "boxes" by default. */
  tokenMode?: "boxes" | "single";
  /** Passed to `adapter.verify`, e.g. `{ name }` for passwordless sign-up. */
  extra?: VerifyExtra;
  /** Shows "Open the sandbox handset" next to the code while textgate runs the sandbox carrier. */
  sandbox?: boolean;
  /** Fields shown above the phone number, inside the same form (e.g. a display name). */
  phoneStepFields?: ReactNode;
  phoneLabel?: string;
  /** Text of the button that sends the code; "Send code" by default. */
  sendLabel?: string;
  /** Text of the button that checks the code; "Verify" by default. */
  verifyLabel?: string;
  /** Label of the code in single-field mode (and name of the box group); "Verification code" by default. */
  codeLabel?: string;
  /** Level of the "Enter the code" heading; 2 by default. */
  headingLevel?: 2 | 3 | 4;
  /** Renders a refused "send code" request your own way (e.g. a sign-in link for 403); null falls back to the message. */
  renderStartError?: (error: TextgateRequestError) => ReactNode;
  /** Called after a successful check. */
  onVerified?: (challenge: SmsChallenge) => void | Promise<void>;
  /** What the done step says; "Your phone number is verified." by default. */
  doneMessage?: (challenge: SmsChallenge) => ReactNode;
  className?: string;
}

type Step = { name: "phone" } | { name: "code"; challenge: SmsChallenge } | { name: "done"; challenge: SmsChallenge };

/** A code that can no longer be used: the person must ask for a new one. */
function isDeadEnd(error: SignInError): boolean {
  return error.kind === "locked" || error.kind === "expired_or_used";
}

/**
 * The composed verification: phone number → code → done. Talks to the server only through `adapter`, so the same
 * component signs in with next-auth (`nextAuthAdapter`) or checks codes through a REST proxy (`restAdapter`).
 */
export function VerifyFlow({
  adapter,
  defaultCountry,
  tokenMode = "boxes",
  extra,
  sandbox = false,
  phoneStepFields,
  phoneLabel,
  sendLabel = "Send code",
  verifyLabel = "Verify",
  codeLabel,
  headingLevel = 2,
  renderStartError,
  onVerified,
  doneMessage,
  className,
}: VerifyFlowProps) {
  const baseId = useId();
  const lib = usePhoneLib();
  const sentId = `${baseId}-sent`;
  const [step, setStep] = useState<Step>({ name: "phone" });
  const [phone, setPhone] = useState<{ e164: string | null; country: string; raw: string }>({ e164: null, country: defaultCountry ?? "US", raw: "" });
  const [phoneError, setPhoneError] = useState<string | null>(null);
  const [startError, setStartError] = useState<TextgateRequestError | null>(null);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<{ text: string; dead: boolean } | null>(null);
  const [failures, setFailures] = useState(0);
  const [attemptsLeft, setAttemptsLeft] = useState<number | null>(null);
  const [busy, setBusy] = useState<"start" | "verify" | "resend" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** What the phone step showed, restored after "Use a different number". */
  const [resume, setResume] = useState<{ raw: string; country: string } | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const latest = useRef({ adapter, extra, onVerified });
  latest.current = { adapter, extra, onVerified };

  useEffect(() => {
    if (step.name === "done") doneRef.current?.focus();
  }, [step.name]);

  function enterCode(challenge: SmsChallenge, message: string | null) {
    setStep({ name: "code", challenge });
    setAttemptsLeft(challenge.attemptsLeft);
    setCode("");
    setCodeError(null);
    setFailures((n) => n + 1);
    setNotice(message);
  }

  function describeRequestError(error: unknown): TextgateRequestError {
    return isTextgateRequestError(error) ? error : new TextgateRequestError(0, "internal_error", "Something went wrong. Try again.");
  }

  async function sendCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setStartError(null);
    setPhoneError(null);
    // The server parses national numbers with the country and has the last word, so a number the
    // browser has not formatted yet (its phone library loads after the page) is sent as typed.
    const number = phone.e164 ?? (phone.raw.trim() || null);
    if (!number) return; // PhoneInput shows why
    setBusy("start");
    try {
      const challenge = await latest.current.adapter.start(number, phone.country);
      enterCode(challenge, null);
    } catch (error) {
      const failure = describeRequestError(error);
      if (failure.code === "invalid_phone_number") setPhoneError(failure.message);
      else setStartError(failure);
    } finally {
      setBusy(null);
    }
  }

  async function check(challenge: SmsChallenge, value: string) {
    if (busy || codeError?.dead) return;
    setBusy("verify");
    setNotice(null);
    try {
      const result = await latest.current.adapter.verify(challenge, value, latest.current.extra);
      if (result.ok) {
        await latest.current.onVerified?.(challenge);
        setStep({ name: "done", challenge });
        return;
      }
      const error = result.error;
      if (error.kind === "invalid_code") setAttemptsLeft(error.attemptsLeft);
      if (isDeadEnd(error)) setAttemptsLeft(null);
      setCodeError({ text: describeSignInError(error), dead: isDeadEnd(error) });
      setFailures((n) => n + 1);
    } catch (error) {
      setCodeError({ text: describeRequestError(error).message, dead: false });
      setFailures((n) => n + 1);
    } finally {
      setBusy(null);
    }
  }

  async function submitCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (step.name !== "code") return;
    if (code.length !== step.challenge.codeLength) {
      setCodeError({ text: `Enter all ${step.challenge.codeLength} characters of the code.`, dead: false });
      setFailures((n) => n + 1);
      return;
    }
    await check(step.challenge, code);
  }

  async function resend() {
    if (step.name !== "code" || busy) return;
    const { challenge } = step;
    setBusy("resend");
    try {
      let next: SmsChallenge;
      if (codeError?.dead) {
        // A locked or expired verification cannot be resent: start a new one.
        next = await latest.current.adapter.start(challenge.to);
      } else {
        try {
          next = await latest.current.adapter.resend(challenge);
        } catch (error) {
          if (!isTextgateRequestError(error) || error.status !== 404) throw error;
          next = await latest.current.adapter.start(challenge.to);
        }
      }
      enterCode(next, resentMessage(challenge, next, formatInternational));
    } catch (error) {
      setCodeError({ text: describeRequestError(error).message, dead: codeError?.dead ?? false });
    } finally {
      setBusy(null);
    }
  }

  function useDifferentNumber() {
    setStep({ name: "phone" });
    setCodeError(null);
    setNotice(null);
    setStartError(null);
    setResume({ raw: phone.raw, country: phone.country });
  }

  const Heading = `h${headingLevel}` as const;

  if (step.name === "done") {
    return (
      <div className={[styles.flow, className].filter(Boolean).join(" ")}>
        <div ref={doneRef} role="status" tabIndex={-1} className={styles.done}>
          {doneMessage ? doneMessage(step.challenge) : "Your phone number is verified."}
        </div>
      </div>
    );
  }

  if (step.name === "code") {
    const { challenge } = step;
    const number = formatInternational(challenge.to, lib);
    const dead = codeError?.dead ?? false;
    return (
      <div className={[styles.flow, className].filter(Boolean).join(" ")}>
        <form className={styles.form} onSubmit={submitCode} noValidate>
          <Heading className={styles.stepHeading}>Enter the code</Heading>
          <p id={sentId} className={styles.sentTo}>
            {challenge.channel === "voice" ? "We are calling " : "We sent a code to "}
            <span className={styles.number}>{number}</span>
            {challenge.channel === "voice" ? " to read you a code." : "."}
          </p>
          {notice ? (
            <p role="status" className={styles.notice}>
              {notice}
            </p>
          ) : null}
          <TokenInput
            key={challenge.verificationId}
            mode={tokenMode}
            label={codeLabel}
            length={challenge.codeLength}
            alphanumeric={challenge.alphanumeric}
            autoFocus={!dead}
            disabled={dead}
            error={codeError?.text ?? null}
            resetKey={failures}
            attemptsLeft={dead ? null : attemptsLeft}
            resendAvailableAt={dead ? null : challenge.resendAvailableAt}
            expiresAt={dead ? null : challenge.expiresAt}
            // Told before typing a code that can no longer work; Resend then starts a new verification.
            onExpire={() => setCodeError({ text: CODE_EXPIRED_TEXT, dead: true })}
            onResend={resend}
            resending={busy === "resend"}
            describedBy={sentId}
            onChange={setCode}
            onComplete={(value) => {
              setCode(value);
              void check(challenge, value);
            }}
          />
          <div className={styles.actions}>
            <Button type="submit" disabled={dead || busy !== null}>
              {busy === "verify" ? "Verifying…" : verifyLabel}
            </Button>
            <Button variant="ghost" onClick={useDifferentNumber} disabled={busy === "verify"}>
              Use a different number
            </Button>
          </div>
          {sandbox ? <SandboxHandsetLink to={challenge.to} /> : null}
        </form>
      </div>
    );
  }

  const customStartError = startError && renderStartError ? renderStartError(startError) : null;
  return (
    <div className={[styles.flow, className].filter(Boolean).join(" ")}>
      <form className={styles.form} onSubmit={sendCode} noValidate>
        {phoneStepFields}
        <PhoneInput
          label={phoneLabel}
          defaultCountry={resume?.country ?? defaultCountry}
          defaultValue={resume?.raw ?? ""}
          autoFocus={resume !== null}
          required
          error={phoneError}
          onChange={(e164, detail) => {
            setPhone({ e164, ...detail });
            setPhoneError(null);
          }}
        />
        {startError ? (
          customStartError ?? (
            <div role="alert" className={styles.formError}>
              {startError.message}
            </div>
          )
        ) : null}
        <div className={styles.actions}>
          <Button type="submit" disabled={busy !== null}>
            {busy === "start" ? "Sending…" : sendLabel}
          </Button>
        </div>
      </form>
    </div>
  );
}
