/**
 * Test numbers (TEST_NUMBERS, TEST_NUMBERS_VALID_UNTIL): numbers whose code is fixed in configuration,
 * for app-store reviews and CI against a real deployment, as Firebase Auth's "phone numbers for
 * testing" and Supabase Auth's `sms_test_otp` + `sms_test_otp_valid_until`.
 *
 * - Read once at boot (server/env.ts). Every entry is a number lib/phone.ts accepts, written in E.164:
 *   every surface (the native API, the four compatible APIs, sign-in, sockets) parses a number with it
 *   before the engine sees it, so a number it refuses would be refused before it could be a test number.
 *   The NANP fictional range 555-0100…0199 of a real area code (+12125550100) is valid and never assigned.
 * - A test number's type and country must pass the destination policy (a VoIP test number would be
 *   refused at every request, so it is refused at boot), and it may not be an owner's phone (the fixed
 *   code would open /owner to whoever knows it).
 * - Whether a number is a test number is decided per request from the clock (engine.ts), so a process
 *   running past TEST_NUMBERS_VALID_UNTIL treats them as ordinary numbers from that instant on; a test
 *   verification created before it expires at it at the latest.
 * - The code is a secret: it is kept here and in the verification's hash and seal like every code, and
 *   nothing else (logs, boot errors, /owner, responses, events) ever contains it.
 */
import type { Logger } from "pino";
import { TextgateError } from "../../lib/errors.ts";
import { maskPhone, parsePhone } from "../../lib/phone.ts";
import { LIMITS } from "../../lib/validations/verification.ts";
import { ALPHANUMERIC, DIGITS } from "./codes.ts";
import { assertDestinationAllowed, type DestinationPolicy } from "./destination-policy.ts";

/** `carrier` of a delivery that a test number "sent": recorded as sent, handed to no carrier. */
export const TEST_NUMBER_CARRIER = "test-number";

export interface TestNumber {
  e164: string;
  /** The fixed code, normalised (upper case). */
  code: string;
}

export interface TestNumberSettings {
  numbers: readonly TestNumber[];
  /** The instant they stop working (exclusive); null only when there are none. */
  validUntil: Date | null;
}

export const NO_TEST_NUMBERS: TestNumberSettings = { numbers: [], validUntil: null };

/** The fixed code of `e164` when it is a test number at `now`, else null (an ordinary number). */
export function testCodeFor(settings: TestNumberSettings | undefined, e164: string, now: Date): string | null {
  if (!settings?.validUntil || now >= settings.validUntil) return null;
  return settings.numbers.find((n) => n.e164 === e164)?.code ?? null;
}

/** Whether the test numbers still work at `now`. */
export function testNumbersActive(settings: TestNumberSettings | undefined, now: Date): boolean {
  return Boolean(settings?.numbers.length && settings.validUntil && now < settings.validUntil);
}

const CODE_RULE = `4 to ${LIMITS.codeLength.max} digits, or 4 to ${LIMITS.codeLength.max} of ${ALPHANUMERIC} (the alphabet of generated letter codes)`;

function validCode(code: string): boolean {
  if (code.length < LIMITS.codeLength.min || code.length > LIMITS.codeLength.max) return false;
  const alphabet = /^[0-9]+$/.test(code) ? DIGITS : ALPHANUMERIC;
  return [...code].every((c) => alphabet.includes(c));
}

/**
 * `2027-06-30` (through the end of that day, UTC) or an ISO 8601 time with its offset
 * (`2027-06-30T18:00:00+02:00`): the instant test numbers stop, or a problem.
 */
export function parseValidUntil(text: string): Date | string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const start = new Date(Date.UTC(y, m - 1, d));
    if (start.getUTCFullYear() !== y || start.getUTCMonth() !== m - 1 || start.getUTCDate() !== d) return `"${text}" is not a date`;
    return new Date(start.getTime() + 86_400_000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    return `"${text}" is neither a date (2027-06-30, meaning through that day in UTC) nor an ISO 8601 time with its offset (2027-06-30T18:00:00Z)`;
  }
  return new Date(Date.parse(text));
}

export interface TestNumberInput {
  /** TEST_NUMBERS split at commas. */
  entries: readonly string[];
  validUntil: string | undefined;
  policy: DestinationPolicy;
  ownerPhones: readonly string[];
  now: Date;
}

/** Reads TEST_NUMBERS and TEST_NUMBERS_VALID_UNTIL; each problem names its entry (never its code). */
export function readTestNumbers(input: TestNumberInput): { settings: TestNumberSettings; problems: string[] } {
  const problems: string[] = [];
  const numbers: TestNumber[] = [];
  const firstEntry = new Map<string, number>();
  input.entries.forEach((entry, index) => {
    const name = `TEST_NUMBERS entry ${index + 1}`;
    const at = entry.indexOf("=");
    const number = entry.slice(0, at).trim();
    const code = entry.slice(at + 1).trim().toUpperCase();
    if (at < 1 || !code) {
      problems.push(`${name} is not <number>=<code>, e.g. +12125550100=123456`);
      return;
    }
    const label = `${name} (${number})`;
    const phone = parsePhone(number);
    if (!phone) {
      problems.push(
        `${label}: not a valid phone number by lib/phone.ts, which every surface parses numbers with; use a fictional number of a real range, such as +12125550100 (555-0100 to 555-0199 of any US area code)`,
      );
      return;
    }
    if (phone.e164 !== number) {
      problems.push(`${label}: write it in E.164, ${phone.e164}`);
      return;
    }
    if (!validCode(code)) problems.push(`${label}: the code must be ${CODE_RULE}`);
    try {
      assertDestinationAllowed(phone, input.policy);
    } catch (error) {
      if (!(error instanceof TextgateError)) throw error;
      problems.push(`${label}: ${error.message} (ALLOWED_COUNTRIES / BLOCKED_LINE_TYPES refuse it, so it could never be used)`);
    }
    if (input.ownerPhones.includes(phone.e164)) problems.push(`${label}: is on OWNER_PHONES; its fixed code would let anyone who knows it into /owner`);
    const earlier = firstEntry.get(phone.e164);
    if (earlier !== undefined) problems.push(`${label}: repeats entry ${earlier + 1}`);
    else {
      firstEntry.set(phone.e164, index);
      numbers.push({ e164: phone.e164, code });
    }
  });
  const validUntil = readValidUntil(input.validUntil, input.entries.length > 0, input.now, problems);
  return { settings: numbers.length && validUntil ? { numbers, validUntil } : NO_TEST_NUMBERS, problems };
}

/** TEST_NUMBERS_VALID_UNTIL: required with test numbers, in the future; null with a problem otherwise. */
function readValidUntil(text: string | undefined, withEntries: boolean, now: Date, problems: string[]): Date | null {
  if (text === undefined) {
    if (withEntries) {
      problems.push("TEST_NUMBERS_VALID_UNTIL: required with TEST_NUMBERS (a date such as 2027-06-30): a test number's fixed code must not stay valid forever by oversight");
    }
    return null;
  }
  const parsed = parseValidUntil(text.trim());
  if (typeof parsed === "string") {
    problems.push(`TEST_NUMBERS_VALID_UNTIL: ${parsed}`);
    return null;
  }
  if (parsed <= now && withEntries) {
    // Also after a restart past the date: the owner removes the test numbers (or extends them) instead of
    // keeping settings that do nothing; a process already running simply stops honouring them.
    problems.push(
      `TEST_NUMBERS_VALID_UNTIL: ${parsed.toISOString()} is in the past, so the test numbers would never work; remove TEST_NUMBERS (and this) or set a later date`,
    );
    return null;
  }
  return parsed;
}

/**
 * The boot log's line: masked numbers (as every log line and /owner show numbers) and
 * the end, never the codes. A warning in production, where a fixed code is a standing way in.
 */
export function logTestNumbers(logger: Pick<Logger, "info" | "warn">, settings: TestNumberSettings, production: boolean): void {
  if (!settings.numbers.length || !settings.validUntil) return;
  const fields = { testNumbers: settings.numbers.map((n) => maskPhone(n.e164)), validUntil: settings.validUntil.toISOString() };
  const message = `${settings.numbers.length} test number(s) active until ${fields.validUntil}: nothing is sent to them and their configured codes check`;
  if (production) logger.warn(fields, message);
  else logger.info(fields, message);
}
