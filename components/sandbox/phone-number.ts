import { isE164 } from "../../lib/e164.ts";

/** Drops the separators people type: spaces, dashes, dots, parentheses. */
function compact(value: string): string {
  return value.replace(/[\s().-]/g, "");
}

/** The E.164 form of what the user typed, or null when it is not a full international number. */
export function parsePhoneInput(value: string): string | null {
  const number = compact(value);
  return isE164(number) ? number : null;
}

/**
 * The E.164 number in a `?to=` value, or null. Lenient, because a raw "+" in a query string is decoded as a
 * space (`?to=+14155550123` arrives as " 14155550123"), and people paste numbers without the plus.
 */
export function parsePhoneParam(value: string | null): string | null {
  if (value === null) return null;
  const number = compact(value);
  if (!number) return null;
  return parsePhoneInput(number.startsWith("+") ? number : `+${number}`);
}

export const PHONE_FORMAT_HINT = "Use the international E.164 format: a plus, the country code and the number, e.g. +14155550123.";
