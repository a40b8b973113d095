"use client";

import {
  type ChangeEvent,
  type ClipboardEvent,
  type KeyboardEvent,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";

import { Button } from "../ui/button.tsx";

import { attemptsLeftText, codeCharacters, expiresInText, listenForWebOtp } from "./token-text.ts";
import { useCountdown } from "./use-countdown.ts";
import styles from "./verification.module.css";

export interface TokenInputProps {
  /** Number of characters; 6 by default. */
  length?: number;
  /** Letters and digits (shown upper case) instead of digits only. */
  alphanumeric?: boolean;
  /** One box per character, or one field. "boxes" by default. */
  mode?: "boxes" | "single";
  /** Accessible name of the group (boxes) or label of the field (single); "Verification code" by default. */
  label?: string;
  /** Called once the code is complete: after the last character, a paste or an SMS read by WebOTP. */
  onComplete?: (code: string) => void;
  /** Called with what has been entered so far (upper case for alphanumeric codes). */
  onChange?: (code: string) => void;
  disabled?: boolean;
  /** Shown in an alert; a new error clears the boxes and puts the focus back on the first one. */
  error?: string | null;
  /** Change it to clear the code and refocus, e.g. after a failed attempt with the same error text. */
  resetKey?: string | number;
  /** Shown under the code while there is no error. */
  attemptsLeft?: number | null;
  /** When "Resend code" becomes available; the button counts down until then. */
  resendAvailableAt?: Date | string | number | null;
  /** When the code stops working: "The code expires in 10 min." counts down under it until then. */
  expiresAt?: Date | string | number | null;
  /** Called once when `expiresAt` passes while the code is shown (tell the person before they type). */
  onExpire?: () => void;
  /** Shows a "Resend code" button. */
  onResend?: () => void;
  /** Disables "Resend code" while a resend is under way. */
  resending?: boolean;
  autoFocus?: boolean;
  /** Ask the browser for the code from the SMS (WebOTP) where supported; true by default. */
  webOtp?: boolean;
  /** Id of an element that describes the code (e.g. "We sent a code to …"). */
  describedBy?: string;
  id?: string;
  /** Form field name of the code (the single field, or a hidden field in boxes mode). */
  name?: string;
  className?: string;
}

/**
 * A one-time code entry: one box per character or one field. Typing moves to the next box, Backspace goes back,
 * the arrow keys move, a pasted code fills every box, and a complete code submits itself.
 */
export function TokenInput({
  length = 6,
  alphanumeric = false,
  mode = "boxes",
  label = "Verification code",
  onComplete,
  onChange,
  disabled = false,
  error,
  resetKey,
  attemptsLeft,
  resendAvailableAt,
  expiresAt,
  onExpire,
  onResend,
  resending = false,
  autoFocus = false,
  webOtp = true,
  describedBy,
  id,
  name = "code",
  className,
}: TokenInputProps) {
  const autoId = useId();
  const baseId = id ?? `${autoId}-code`;
  const errorId = `${baseId}-error`;
  const infoId = `${baseId}-info`;
  const [chars, setChars] = useState<string[]>(() => Array.from({ length }, () => ""));
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const resendRef = useRef<HTMLButtonElement>(null);
  const lastCompleted = useRef<string | null>(null);
  const handlers = useRef({ onComplete, onChange, onExpire });
  handlers.current = { onComplete, onChange, onExpire };

  const secondsLeft = useCountdown(resendAvailableAt);
  const validFor = useCountdown(expiresAt);
  const expiryId = `${baseId}-expiry`;
  const counting = expiresAt !== null && expiresAt !== undefined && validFor !== null && validFor > 0;
  useEffect(() => {
    if (expiresAt !== null && expiresAt !== undefined && validFor === 0) handlers.current.onExpire?.();
  }, [expiresAt, validFor]);
  const code = chars.join("");

  // A new length (another challenge) starts from empty boxes.
  if (chars.length !== length) setChars(Array.from({ length }, () => ""));

  const sanitize = (text: string) => codeCharacters(text, length, alphanumeric);

  function focusBox(index: number) {
    const box = boxes.current[Math.max(0, Math.min(length - 1, index))];
    box?.focus();
    box?.select();
  }

  function commit(next: string[]) {
    setChars(next);
    const value = next.join("");
    handlers.current.onChange?.(value);
    if (value.length === length && next.every(Boolean)) {
      if (lastCompleted.current !== value) {
        lastCompleted.current = value;
        handlers.current.onComplete?.(value);
      }
    } else {
      lastCompleted.current = null;
    }
  }

  /** Puts `text` into the boxes from `start` (from the first box when it is a whole code). */
  function fill(text: string, start: number) {
    const clean = sanitize(text).slice(0, length);
    if (!clean) return;
    const from = clean.length >= length ? 0 : start;
    const next = [...chars];
    for (let i = 0; i < clean.length && from + i < length; i++) next[from + i] = clean[i] ?? "";
    commit(next);
    focusBox(Math.min(from + clean.length, length - 1));
  }

  function clear(refocus: boolean) {
    lastCompleted.current = null;
    setChars(Array.from({ length }, () => ""));
    handlers.current.onChange?.("");
    // A disabled code (locked, expired) cannot take the focus: "Resend code" is the way on.
    if (refocus) requestAnimationFrame(() => focusBox(0));
    else requestAnimationFrame(() => resendRef.current?.focus());
  }

  // Clear and refocus after a failed attempt.
  const errorSignature = error ? `${error}\u0000${String(resetKey)}` : null;
  const previousSignature = useRef(errorSignature);
  useEffect(() => {
    if (previousSignature.current === errorSignature) return;
    previousSignature.current = errorSignature;
    if (errorSignature !== null) clear(!disabled);
  }, [errorSignature]);

  const previousReset = useRef(resetKey);
  useEffect(() => {
    if (previousReset.current === resetKey) return;
    previousReset.current = resetKey;
    clear(!disabled);
  }, [resetKey]);

  // WebOTP: Chrome on Android can read the code from an SMS that ends with "@host #code".
  useEffect(() => {
    if (!webOtp || disabled) return;
    const controller = new AbortController();
    listenForWebOtp({ length, alphanumeric, signal: controller.signal, onCode: (code) => commit(code.split("")) });
    return () => controller.abort();
  }, [webOtp, disabled, length, alphanumeric]);

  const inputMode = alphanumeric ? "text" : "numeric";
  const pattern = alphanumeric ? undefined : "[0-9]*";
  const charKind = alphanumeric ? "letters and digits" : "digits";
  const describedByIds = [describedBy, error ? errorId : infoId, counting ? expiryId : null].filter(Boolean).join(" ") || undefined;

  function handleBoxChange(index: number, event: ChangeEvent<HTMLInputElement>) {
    const value = event.target.value;
    const previous = chars[index] ?? "";
    if (value === "") {
      const next = [...chars];
      next[index] = "";
      commit(next);
      return;
    }
    // Typing over a selected character gives one character; typing beside it gives two: keep the new one.
    let typed = value;
    if (value.length === 2 && previous && value.includes(previous)) typed = value[0] === previous ? value.slice(1) : value.slice(0, 1);
    if (sanitize(typed).length > 1) {
      fill(typed, index); // autofill or a paste that did not go through onPaste
      return;
    }
    const char = sanitize(typed).slice(0, 1);
    if (!char) return;
    const next = [...chars];
    next[index] = char;
    commit(next);
    if (index < length - 1) focusBox(index + 1);
  }

  function handleBoxKey(index: number, event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case "Backspace": {
        if (chars[index]) return; // the change handler empties this box
        event.preventDefault();
        if (index === 0) return;
        const next = [...chars];
        next[index - 1] = "";
        commit(next);
        focusBox(index - 1);
        return;
      }
      case "Delete": {
        event.preventDefault();
        const next = [...chars];
        next[index] = "";
        commit(next);
        return;
      }
      case "ArrowLeft":
        event.preventDefault();
        focusBox(index - 1);
        return;
      case "ArrowRight":
        event.preventDefault();
        focusBox(index + 1);
        return;
      case "Home":
        event.preventDefault();
        focusBox(0);
        return;
      case "End":
        event.preventDefault();
        focusBox(length - 1);
        return;
    }
  }

  function handlePaste(index: number, event: ClipboardEvent<HTMLInputElement>) {
    const text = event.clipboardData.getData("text");
    if (!sanitize(text)) return;
    event.preventDefault();
    fill(text, index);
  }

  function handleSingleChange(event: ChangeEvent<HTMLInputElement>) {
    const clean = sanitize(event.target.value).slice(0, length);
    commit(Array.from({ length }, (_, i) => clean[i] ?? ""));
  }

  const info =
    attemptsLeft !== null && attemptsLeft !== undefined
      ? attemptsLeftText(attemptsLeft)
      : null;
  const waiting = secondsLeft === null || secondsLeft > 0;

  return (
    <div className={[styles.tokenInput, className].filter(Boolean).join(" ")}>
      {mode === "boxes" ? (
        <div role="group" aria-label={label} aria-describedby={describedByIds} className={styles.boxes}>
          {chars.map((char, index) => (
            <input
              key={index}
              ref={(element) => {
                boxes.current[index] = element;
              }}
              id={index === 0 ? baseId : undefined}
              className={styles.box}
              type="text"
              inputMode={inputMode}
              pattern={pattern}
              autoCapitalize={alphanumeric ? "characters" : "off"}
              autoCorrect="off"
              spellCheck={false}
              autoComplete={index === 0 ? "one-time-code" : "off"}
              aria-label={`Character ${index + 1} of ${length}`}
              aria-invalid={error ? true : undefined}
              value={char}
              disabled={disabled}
              autoFocus={autoFocus && index === 0}
              onChange={(event) => handleBoxChange(index, event)}
              onKeyDown={(event) => handleBoxKey(index, event)}
              onPaste={(event) => handlePaste(index, event)}
              onFocus={(event) => event.target.select()}
            />
          ))}
          <input type="hidden" name={name} value={code} />
        </div>
      ) : (
        <div className={styles.singleField}>
          <label htmlFor={baseId} className={styles.tokenLabel}>
            {label}
          </label>
          <input
            ref={(element) => {
              boxes.current[0] = element;
            }}
            id={baseId}
            name={name}
            className={styles.single}
            type="text"
            inputMode={inputMode}
            pattern={pattern}
            autoCapitalize={alphanumeric ? "characters" : "off"}
            autoCorrect="off"
            spellCheck={false}
            autoComplete="one-time-code"
            maxLength={length}
            placeholder={"•".repeat(length)}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedByIds}
            value={code}
            disabled={disabled}
            autoFocus={autoFocus}
            onChange={handleSingleChange}
            onPaste={(event) => {
              const text = event.clipboardData.getData("text");
              const clean = sanitize(text).slice(0, length);
              if (!clean) return;
              event.preventDefault();
              commit(Array.from({ length }, (_, i) => clean[i] ?? ""));
            }}
          />
        </div>
      )}
      {error ? (
        <div role="alert" id={errorId} className={styles.tokenError}>
          {error}
        </div>
      ) : (
        <p id={infoId} className={styles.tokenInfo}>
          {length} {charKind}
          {info ? `. ${info}` : "."}
        </p>
      )}
      {counting ? (
        <p id={expiryId} className={styles.expiry}>
          {expiresInText(validFor)}
        </p>
      ) : null}
      {onResend ? (
        <Button ref={resendRef} variant="secondary" size="sm" className={styles.resend} disabled={waiting || resending} onClick={onResend}>
          {secondsLeft !== null && secondsLeft > 0 ? `Resend code in ${secondsLeft} s` : "Resend code"}
        </Button>
      ) : null}
    </div>
  );
}
