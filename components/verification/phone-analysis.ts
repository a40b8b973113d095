/**
 * Browser-side phone helpers, free of React so the /login script can use them too, on libphonenumber-js's
 * "min" metadata (the smallest set: lengths and formats, no per-type patterns). The client only checks that a number is *possible* and formats it; the server parses with
 * the full metadata (lib/phone.ts) and has the last word on validity.
 *
 * The library (about 30 KB gzip with its metadata) is loaded with a dynamic import when a phone field mounts, so
 * it is not part of the sign-in page's first-load JavaScript. Until it arrives, a number typed with "+" and the
 * country code still works (E.164 by a plain check); formatting and country detection start once it is there.
 */
import { isE164 } from "../../lib/e164.ts";

export type PhoneLib = typeof import("./phone-lib.ts");

let loaded: PhoneLib | null = null;
let loading: Promise<PhoneLib> | null = null;

export function loadPhoneLib(): Promise<PhoneLib> {
  loading ??= import("./phone-lib.ts").then((lib) => {
    loaded = lib;
    return lib;
  });
  return loading;
}

/** The phone library if it has already loaded, else null. */
export function loadedPhoneLib(): PhoneLib | null {
  return loaded;
}

export interface PhoneAnalysis {
  /** What the field should show. */
  formatted: string;
  /** E.164 when the number is possible, otherwise null. */
  e164: string | null;
  /** The country the number belongs to when it was typed with a "+" and the prefix says so. */
  detectedCountry: string | undefined;
  /** Why the number cannot be right, or null (also null for an empty field). */
  problem: string | null;
}

/** Characters a person may type into a phone field; anything else is dropped. */
const TYPED = /[^0-9+ ()./-]/g;

export function analysePhone(lib: PhoneLib | null, raw: string, country: string | undefined): PhoneAnalysis {
  const text = raw.replace(TYPED, "");
  const international = text.trimStart().startsWith("+");
  const digits = text.replace(/\D/g, "");
  if (!lib) {
    const compact = `+${digits}`;
    const e164 = international && isE164(compact) ? compact : null;
    const problem = digits === "" || e164 ? null : "Enter the number with + and the country code, e.g. +1 415 555 0123.";
    return { formatted: text, e164, detectedCountry: undefined, problem };
  }

  const defaultCountry = country && lib.isSupportedCountry(country) ? country : undefined;
  const typer = new lib.AsYouType(international ? undefined : defaultCountry);
  const formatted = text.trim() === "" ? "" : typer.input(text);
  const detectedCountry = international ? typer.getCountry() : undefined;
  if (digits === "") return { formatted, e164: null, detectedCountry, problem: null };

  if (!international && !defaultCountry) {
    return { formatted, e164: null, detectedCountry, problem: "Choose a country or start the number with + and the country code." };
  }
  const parsed = lib.parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry } : undefined);
  if (parsed?.isPossible()) return { formatted, e164: parsed.number, detectedCountry, problem: null };

  let problem = "This is not a possible phone number.";
  try {
    const length = lib.validatePhoneNumberLength(text, defaultCountry ? { defaultCountry } : undefined);
    if (length === "TOO_SHORT" || length === "NOT_A_NUMBER") problem = "This phone number is too short.";
    else if (length === "TOO_LONG") problem = "This phone number is too long.";
    else if (length === "INVALID_COUNTRY") problem = "That country code does not exist.";
  } catch {
    // validatePhoneNumberLength throws on input it cannot read at all; the generic message fits.
  }
  return { formatted, e164: null, detectedCountry, problem };
}

/** "+447860021130" → "+44 7860 021130"; the E.164 form until the library has loaded. */
export function formatInternational(e164: string, lib: PhoneLib | null = loaded): string {
  return lib?.parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

