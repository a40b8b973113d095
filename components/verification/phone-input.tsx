"use client";

import { type ChangeEvent, useEffect, useId, useRef, useState } from "react";

import { FieldMessage, Input, Label } from "../ui/input.tsx";

import { findCountry } from "./countries.ts";
import { CountryOptions } from "./country-options.tsx";
import { analysePhone, usePhoneLib } from "./phone-format.ts";
import styles from "./verification.module.css";

export interface PhoneChangeDetail {
  /** ISO code of the selected country, e.g. "US". */
  country: string;
  /** What the field shows. */
  raw: string;
}

export interface PhoneInputProps {
  /** Label of the number field; "Phone number" by default. */
  label?: string;
  /** Label of the country picker; "Country" by default. */
  countryLabel?: string;
  /** ISO code preselected in the country picker ("US" when absent or unknown). */
  defaultCountry?: string;
  defaultValue?: string;
  /** Called with the E.164 number (null while the number is not possible) on every change. */
  onChange?: (e164: string | null, detail: PhoneChangeDetail) => void;
  /** An error from outside (e.g. the server refused the number); shown like a validation message. */
  error?: string | null;
  /** A hint under the field while there is no error. */
  hint?: string;
  disabled?: boolean;
  required?: boolean;
  autoFocus?: boolean;
  /** Form field names: "phone" and "country" by default. */
  name?: string;
  countryName?: string;
  id?: string;
  className?: string;
}

/**
 * A country picker and a phone number field with as-you-type formatting. A number typed or pasted with "+" and a
 * country code selects its country. The message for an impossible number appears once the field is left or its
 * form is submitted, never while the person is still typing.
 */
export function PhoneInput({
  label = "Phone number",
  countryLabel = "Country",
  defaultCountry,
  defaultValue = "",
  onChange,
  error,
  hint,
  disabled,
  required,
  autoFocus,
  name = "phone",
  countryName = "country",
  id,
  className,
}: PhoneInputProps) {
  const autoId = useId();
  const inputId = id ?? `${autoId}-phone`;
  const countryId = `${inputId}-country`;
  const messageId = `${inputId}-message`;
  const inputRef = useRef<HTMLInputElement>(null);

  const lib = usePhoneLib();
  const initialCountry = findCountry(defaultCountry)?.code ?? "US";
  const [country, setCountry] = useState(initialCountry);
  const [raw, setRaw] = useState(() => analysePhone(lib, defaultValue, initialCountry).formatted);
  const [touched, setTouched] = useState(false);
  const [countryChosen, setCountryChosen] = useState(false);
  const [seenDefault, setSeenDefault] = useState(defaultCountry);

  // A default that arrives later (e.g. from a config request) applies until the person picks a country or types.
  if (seenDefault !== defaultCountry) {
    setSeenDefault(defaultCountry);
    const next = findCountry(defaultCountry)?.code;
    if (next && !countryChosen && raw === "") setCountry(next);
  }

  // Show the validation message when the surrounding form is submitted (a native listener runs before React's).
  useEffect(() => {
    const form = inputRef.current?.form;
    if (!form) return;
    const onSubmit = () => setTouched(true);
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, []);

  // Once the phone library has loaded, format what was typed before it and tell the parent the result.
  const [libSeen, setLibSeen] = useState(lib !== null);
  useEffect(() => {
    if (!lib || libSeen) return;
    setLibSeen(true);
    if (raw === "") return;
    const next = analysePhone(lib, raw, country);
    const nextCountry = next.detectedCountry ?? country;
    setRaw(next.formatted);
    setCountry(nextCountry);
    onChange?.(next.e164, { country: nextCountry, raw: next.formatted });
  }, [lib, libSeen, raw, country, onChange]);

  const analysis = analysePhone(lib, raw, country);
  const validation = touched ? (raw.trim() === "" ? (required === false ? null : "Enter a phone number.") : analysis.problem) : null;
  const message = error || validation;

  function emit(nextRaw: string, nextCountry: string) {
    onChange?.(analysePhone(lib, nextRaw, nextCountry).e164, { country: nextCountry, raw: nextRaw });
  }

  function handleInput(event: ChangeEvent<HTMLInputElement>) {
    const field = event.target;
    const value = field.value;
    const inputType = (event.nativeEvent as InputEvent).inputType ?? "";
    const atEnd = field.selectionStart === null || field.selectionStart === value.length;
    const next = analysePhone(lib, value, country);
    // Reformat only while typing at the end: deleting a bracket or editing the middle keeps what was typed.
    const shown = atEnd && !inputType.startsWith("delete") ? next.formatted : value;
    const nextCountry = next.detectedCountry ?? country;
    setRaw(shown);
    if (nextCountry !== country) setCountry(nextCountry);
    if (touched && next.problem === null) setTouched(false);
    emit(shown, nextCountry);
  }

  function handleCountry(event: ChangeEvent<HTMLSelectElement>) {
    const nextCountry = event.target.value;
    setCountry(nextCountry);
    setCountryChosen(true);
    // A national number reads differently in another country: format it again.
    const nextRaw = raw.trimStart().startsWith("+") ? raw : analysePhone(lib, raw, nextCountry).formatted;
    setRaw(nextRaw);
    emit(nextRaw, nextCountry);
  }

  return (
    <div className={[styles.phoneInput, className].filter(Boolean).join(" ")}>
      <div className={styles.countryField}>
        <Label htmlFor={countryId}>{countryLabel}</Label>
        <select
          id={countryId}
          name={countryName}
          className={styles.select}
          value={country}
          disabled={disabled}
          autoComplete="tel-country-code"
          onChange={handleCountry}
        >
          <CountryOptions />
        </select>
      </div>
      <div className={styles.numberField}>
        <Label htmlFor={inputId}>{label}</Label>
        <Input
          ref={inputRef}
          id={inputId}
          name={name}
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          spellCheck={false}
          value={raw}
          disabled={disabled}
          required={required}
          autoFocus={autoFocus}
          invalid={Boolean(message)}
          aria-describedby={message || hint ? messageId : undefined}
          onChange={handleInput}
          onBlur={() => {
            if (raw.trim() !== "") setTouched(true);
          }}
        />
      </div>
      {message ? (
        <div role="alert" className={styles.phoneMessage}>
          <FieldMessage id={messageId} tone="error">
            {message}
          </FieldMessage>
        </div>
      ) : hint ? (
        <div className={styles.phoneMessage}>
          <FieldMessage id={messageId}>{hint}</FieldMessage>
        </div>
      ) : null}
    </div>
  );
}
