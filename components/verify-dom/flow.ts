/**
 * The phone → code → done flow without React, on markup that names its parts by `data-part` and holds the
 * message <template>s (see dom.ts): the /login page's server-rendered card (components/login-page/login-view.tsx)
 * and the shadow root of <textgate-verify> (components/verify-element/markup.ts). It behaves like <VerifyFlow>
 * and talks to the server through any VerifyAdapter (components/verification/adapters.ts).
 */
import { resentMessage, type VerifyAdapter } from "../verification/adapters.ts";
import { CODE_EXPIRED_TEXT } from "../verification/token-text.ts";
import { formatInternational, loadedPhoneLib, loadPhoneLib } from "../verification/phone-analysis.ts";
import type { SignInError, SmsChallenge } from "../../lib/auth/contract.ts";
import { describeSignInError } from "../../lib/auth/contract.ts";
import { isTextgateRequestError, TextgateRequestError } from "../../lib/errors.ts";

import { CodeBoxes } from "./code-boxes.ts";
import { part, showMessage } from "./dom.ts";
import { PhoneField } from "./phone-field.ts";

/** What the flow reports to its page; every message shown is also reported. */
export interface FlowEvents {
  /** The code was right; the done part is shown and focused. */
  verified?(challenge: SmsChallenge): void;
  /** A refusal shown to the person: `code` is the error dictionary's (lib/errors.ts) or the sign-in error's kind. */
  failed?(error: { code: string; message: string }): void;
}

/** A code that can no longer be used: the person must ask for a new one. */
function isDeadEnd(error: SignInError): boolean {
  return error.kind === "locked" || error.kind === "expired_or_used";
}

function asRequestError(error: unknown): TextgateRequestError {
  return isTextgateRequestError(error) ? error : new TextgateRequestError(0, "internal_error", "Something went wrong. Try again.");
}

/** Wires the flow onto `root` (an element or a shadow root) and marks `host` data-ready. */
export function runVerifyFlow(root: ParentNode, host: HTMLElement, adapter: VerifyAdapter, events: FlowEvents = {}): void {
  const phoneStep = part<HTMLFormElement>(root, "phone-step");
  const codeStep = part<HTMLFormElement>(root, "code-step");
  const done = part(root, "done");
  const sendButton = part<HTMLButtonElement>(root, "send");
  const verifyButton = part<HTMLButtonElement>(root, "verify");
  const differentNumber = part<HTMLButtonElement>(root, "different-number");
  const startErrorSlot = part(root, "start-error-slot");
  const noticeSlot = part(root, "notice-slot");
  const sandboxLink = root.querySelector<HTMLAnchorElement>('[data-part="sandbox-link"]');

  const phone = new PhoneField(
    root,
    phoneStep.querySelector<HTMLSelectElement>("select")!,
    phoneStep.querySelector<HTMLInputElement>('input[type="tel"]')!,
    part(root, "phone-message-slot"),
  );

  let challenge: SmsChallenge | null = null;
  let busy: "start" | "verify" | "resend" | null = null;
  /** The code can no longer be used (locked or expired): only "Resend code" helps. */
  let dead = false;

  // The boxes are described by "We sent a code to …" and the expiry countdown (their ids are the markup's).
  const expiry = part(root, "expiry");
  const describedBy = [part(root, "sent").id, expiry.id].join(" ");
  const codes = new CodeBoxes(root, part(root, "boxes"), part(root, "code-message-slot"), part<HTMLButtonElement>(root, "resend"), expiry, describedBy, {
    complete: (code) => void check(code),
    resend: () => void resend(),
    expired: () => {
      // Said before the person types a code that can no longer work; Resend starts a new verification.
      dead = true;
      fail(CODE_EXPIRED_TEXT, "expired_or_used", { dead: true, keepFocus: true });
      setBusy(busy);
    },
  });

  /** Shows a code-step error and reports it. */
  function fail(message: string, code: string, options?: Parameters<CodeBoxes["fail"]>[1]): void {
    codes.fail(message, options);
    events.failed?.({ code, message });
  }

  function setBusy(next: typeof busy): void {
    busy = next;
    sendButton.disabled = busy !== null;
    sendButton.textContent = busy === "start" ? "Sending…" : "Send code";
    verifyButton.disabled = dead || busy !== null;
    verifyButton.textContent = busy === "verify" ? "Verifying…" : "Verify";
    differentNumber.disabled = busy === "verify";
    codes.setResending(busy === "resend");
  }

  function showStep(step: "phone" | "code" | "done"): void {
    phoneStep.hidden = step !== "phone";
    codeStep.hidden = step !== "code";
    done.hidden = step !== "done";
  }

  function enterCode(next: SmsChallenge, notice: string | null): void {
    challenge = next;
    dead = false;
    const voice = next.channel === "voice";
    part(root, "sent-before").textContent = voice ? "We are calling " : "We sent a code to ";
    part(root, "sent-number").textContent = formatInternational(next.to);
    part(root, "sent-after").textContent = voice ? " to read you a code." : ".";
    if (sandboxLink) sandboxLink.href = `/sandbox?to=${encodeURIComponent(next.to)}`;
    showMessage(root, noticeSlot, "notice", notice, true);
    codes.reset({ length: next.codeLength, alphanumeric: next.alphanumeric, attemptsLeft: next.attemptsLeft, resendAvailableAt: next.resendAvailableAt, expiresAt: next.expiresAt });
    showStep("code");
    codes.focusFirst();
  }

  async function sendCode(): Promise<void> {
    if (busy) return;
    showMessage(root, startErrorSlot, "form-error", null);
    phone.touch();
    const value = phone.value();
    if (value.raw.trim() !== "" && value.e164 === null && loadedPhoneLib()) {
      phone.focus(); // impossible as typed: the field says why, and the server would refuse it too
      return;
    }
    // The server parses national numbers with the country and has the last word, so a number the phone
    // library has not formatted yet is sent as typed.
    const number = value.e164 ?? (value.raw.trim() || null);
    if (!number) {
      phone.focus(); // the field says why
      return;
    }
    setBusy("start");
    try {
      enterCode(await adapter.start(number, value.country), null);
    } catch (error) {
      const failure = asRequestError(error);
      if (failure.code === "invalid_phone_number") phone.setServerError(failure.message);
      else showMessage(root, startErrorSlot, "form-error", failure.message, true);
      events.failed?.({ code: failure.code, message: failure.message });
    } finally {
      setBusy(null);
    }
  }

  async function check(code: string): Promise<void> {
    if (!challenge || busy || dead) return;
    setBusy("verify");
    showMessage(root, noticeSlot, "notice", null);
    try {
      const result = await adapter.verify(challenge, code);
      if (result.ok) {
        showStep("done");
        done.focus();
        events.verified?.(challenge);
        return;
      }
      const { error } = result;
      dead = isDeadEnd(error);
      fail(describeSignInError(error), error.kind, { attemptsLeft: error.kind === "invalid_code" ? error.attemptsLeft : undefined, dead });
    } catch (error) {
      const failure = asRequestError(error);
      fail(failure.message, failure.code);
    } finally {
      setBusy(null);
    }
  }

  async function resend(): Promise<void> {
    if (!challenge || busy) return;
    const current = challenge;
    setBusy("resend");
    try {
      let next: SmsChallenge;
      if (dead) {
        // A locked or expired verification cannot be resent: start a new one.
        next = await adapter.start(current.to);
      } else {
        try {
          next = await adapter.resend(current);
        } catch (error) {
          if (!isTextgateRequestError(error) || error.status !== 404) throw error;
          next = await adapter.start(current.to);
        }
      }
      enterCode(next, resentMessage(current, next, formatInternational));
    } catch (error) {
      const failure = asRequestError(error);
      fail(failure.message, failure.code, { dead });
    } finally {
      setBusy(null);
    }
  }

  phoneStep.addEventListener("submit", (event) => {
    event.preventDefault();
    void sendCode();
  });
  codeStep.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!challenge) return;
    const code = codes.value();
    if (code.length !== codes.size) {
      fail(`Enter all ${codes.size} characters of the code.`, "invalid_format");
      return;
    }
    void check(code);
  });
  differentNumber.addEventListener("click", () => {
    showMessage(root, noticeSlot, "notice", null);
    showMessage(root, startErrorSlot, "form-error", null);
    challenge = null;
    showStep("phone");
    phone.focus();
  });

  // The number's international format needs the phone library; fetch it while the person types.
  void loadPhoneLib().catch(() => undefined);
  host.dataset.ready = "true";
}
