import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button.tsx";
import { FieldMessage, Input, Label } from "@/components/ui/input.tsx";

import { parsePhoneInput, PHONE_FORMAT_HINT } from "./phone-number.ts";
import styles from "./sandbox.module.css";

export interface NumberFormProps {
  /** The open number (E.164), or null. */
  selected: string | null;
  /** A `?to=` value that is not a valid number, shown as an error. */
  invalidParam: string | null;
  onOpen: (number: string) => void;
}

/** The "Phone number" field: type or paste a number to open its conversation. */
export function NumberForm({ selected, invalidParam, onOpen }: NumberFormProps) {
  const [draft, setDraft] = useState(selected ?? invalidParam ?? "");
  const [error, setError] = useState<string | null>(invalidParam === null ? null : invalidMessage(invalidParam));
  const [shown, setShown] = useState({ selected, invalidParam });

  // Follow the URL (back/forward, a click in the recent list) without an effect.
  if (shown.selected !== selected || shown.invalidParam !== invalidParam) {
    setShown({ selected, invalidParam });
    setDraft(selected ?? invalidParam ?? "");
    setError(invalidParam === null ? null : invalidMessage(invalidParam));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const number = parsePhoneInput(draft);
    if (!number) {
      setError(draft.trim() ? invalidMessage(draft.trim()) : "Enter a phone number.");
      return;
    }
    setError(null);
    setDraft(number);
    onOpen(number);
  }

  return (
    <form className={styles.numberForm} onSubmit={submit} noValidate>
      <div className={styles.numberField}>
        <Label htmlFor="sandbox-number">Phone number</Label>
        <div className={styles.inline}>
          <Input
            id="sandbox-number"
            name="to"
            type="tel"
            inputMode="tel"
            autoComplete="off"
            spellCheck={false}
            value={draft}
            invalid={error !== null}
            aria-describedby={error ? "sandbox-number-error" : "sandbox-number-hint"}
            onChange={(event) => setDraft(event.target.value)}
          />
          <Button type="submit">Open</Button>
        </div>
        {error ? (
          <div role="alert">
            <FieldMessage id="sandbox-number-error" tone="error">
              {error}
            </FieldMessage>
          </div>
        ) : (
          <FieldMessage id="sandbox-number-hint">{PHONE_FORMAT_HINT}</FieldMessage>
        )}
      </div>
    </form>
  );
}

function invalidMessage(value: string): string {
  return `“${value}” is not a phone number in E.164 format, e.g. +14155550123.`;
}
