/**
 * Phone numbers: everything is normalised to E.164 before it is hashed, keyed, rate limited or stored.
 * Only ASCII digits, "+", spaces and ( ) - . are accepted, so look-alike digits from other scripts
 * cannot make two spellings of one number.
 */
import { type CountryCode, type NumberType, parsePhoneNumberWithError } from "libphonenumber-js/max";

/** What kind of line a number is, from libphonenumber's full ("max") metadata. */
export type LineType = NonNullable<NumberType>;

/** Every line type libphonenumber tells apart. */
export const LINE_TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "FIXED_LINE_OR_MOBILE",
  "PREMIUM_RATE",
  "TOLL_FREE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const satisfies readonly LineType[];

export interface ParsedPhone {
  e164: string;
  country: string | undefined;
  /**
   * The line type by the number's range (not a carrier lookup, so ported numbers keep their range's type);
   * undefined when the metadata cannot tell. Computed on call: it costs a few microseconds.
   */
  lineType(): LineType | undefined;
}

const ALLOWED = /^\+?[0-9 ().-]{2,32}$/;

/**
 * The latest parses, oldest first: one request parses the same number in several places (the sign-in
 * limits, the engine, the carrier's pick), at up to 70 µs each for a +1 number (docs/benchmarks.md, "Full sign-in").
 */
const recentParses = new Map<string, ParsedPhone | null>();
const RECENT_PARSES = 1024;

/** Parses a number in E.164 or local format (with `country`); null when it is not a valid number. */
export function parsePhone(input: string, country?: string): ParsedPhone | null {
  const text = input.trim();
  if (!ALLOWED.test(text)) return null;
  if (!text.startsWith("+") && !country) return null;
  const key = `${country ?? ""} ${text}`;
  const recent = recentParses.get(key);
  if (recent !== undefined) return recent;
  const parsed = parseValid(text, country);
  if (recentParses.size >= RECENT_PARSES) recentParses.delete(recentParses.keys().next().value as string);
  recentParses.set(key, parsed);
  return parsed;
}

function parseValid(text: string, country: string | undefined): ParsedPhone | null {
  try {
    const phone = parsePhoneNumberWithError(text, country ? { defaultCountry: country as CountryCode } : undefined);
    if (!phone.isValid()) return null;
    return Object.freeze({ e164: phone.number, country: phone.country, lineType: () => phone.getType() });
  } catch {
    return null;
  }
}

export { isE164 } from "./e164.ts";

/**
 * The ISO 3166-1 country of a stored (E.164) number, or "unknown" when the metadata cannot place it: the
 * one grouping by country that metrics (server/telemetry/) and any count by country share, since
 * verifications store the number, not its country. About 10 µs.
 */
export function countryOf(e164: string): string {
  try {
    return parsePhoneNumberWithError(e164).country ?? "unknown";
  } catch {
    return "unknown";
  }
}

/** "+14155550123" → "+1•••••••123": for logs and pages that must not show a whole number. */
export function maskPhone(e164: string): string {
  return e164.length <= 6 ? "•••" : `${e164.slice(0, 2)}${"•".repeat(e164.length - 5)}${e164.slice(-3)}`;
}
