/**
 * What every HTTP carrier adapter shares: one request with a timeout, and the mapping of transport
 * failures and HTTP statuses to CarrierError. Adapters refine the mapping with their own error codes.
 */
import { E164_DIGITS, INTERNATIONAL_NUMBER_PATTERN, isE164 } from "../../lib/e164.ts";
import { CarrierError, type CarrierErrorCode } from "./types.ts";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface CarrierResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/** Codes a retry (later, or on another carrier) can fix. Everything else is permanent. */
const RETRYABLE: ReadonlySet<CarrierErrorCode> = new Set(["rate_limited", "carrier_unavailable", "timeout", "network_error"]);

export function carrierError(carrier: string, code: CarrierErrorCode, message: string, cause?: unknown): CarrierError {
  return new CarrierError(carrier, code, message, RETRYABLE.has(code), cause === undefined ? {} : { cause });
}

/** The code an HTTP status means when the body says nothing more precise. */
export function codeForStatus(status: number): CarrierErrorCode {
  if (status === 401 || status === 403) return "auth_failed";
  if (status === 402) return "insufficient_funds";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "carrier_unavailable";
  return "rejected";
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * One request to a carrier, abandoned after `timeoutMs`. A timeout or a network failure becomes a
 * retryable CarrierError; any HTTP answer is returned for the adapter to judge.
 */
export async function carrierFetch(
  carrier: string,
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<CarrierResponse> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, redirect: "error", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw transportError(carrier, error, timeoutMs);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw transportError(carrier, error, timeoutMs);
  }
  return { status: response.status, text, json: parseJson(text) };
}

/** A failure before any HTTP answer: the carrier may or may not have the request, so retrying is allowed. */
export function transportError(carrier: string, error: unknown, timeoutMs: number): CarrierError {
  const name = (error as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return carrierError(carrier, "timeout", `${carrier} did not answer within ${timeoutMs} ms`, error);
  }
  return carrierError(carrier, "network_error", `${carrier} could not be reached: ${(error as Error)?.message ?? String(error)}`, error);
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

/** "+447700900000" → "447700900000": the format of carriers that want international digits without "+". */
export function withoutPlus(e164: string): string {
  return e164.startsWith("+") ? e164.slice(1) : e164;
}

/** "447700900000" → "+447700900000"; null when the result is not E.164 (an alphanumeric sender, say). */
export function toE164(value: string | undefined | null): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const candidate = trimmed.startsWith("+") ? trimmed : `+${trimmed}`;
  return isE164(candidate) ? candidate : null;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** A number (E.164, its "+" optional where `plusOptional`) or an alphanumeric sender id of up to 11 characters. */
export function senderPattern(plusOptional: boolean): RegExp {
  return new RegExp(`^(\\+${plusOptional ? "?" : ""}${E164_DIGITS}|[A-Za-z0-9 ]{1,11})$`);
}

/** A phone number or an alphanumeric sender id as it goes out; a phone number for calls. */
export function isPhoneNumber(value: string): boolean {
  return INTERNATIONAL_NUMBER_PATTERN.test(value);
}
