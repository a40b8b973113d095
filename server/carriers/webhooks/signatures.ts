/**
 * Webhook signature algorithms, written from the carriers' documentation (docs/carriers.md;
 * https://developer.vonage.com/getting-started/concepts/signing-messages,
 * https://www.twilio.com/docs/usage/webhooks/webhooks-security,
 * https://developer.signalwire.com/guides/webhook-security). Every comparison is constant-time.
 */
import crypto from "node:crypto";
import type { WebhookRequest } from "../types.ts";

/** Constant-time string equality (the length is not secret: signatures have a fixed length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/**
 * Twilio's `X-Twilio-Signature` (also SignalWire's `X-SignalWire-Signature` on the compatibility API):
 * base64(HMAC-SHA1(key, url + every POST parameter as key+value, keys sorted in code-unit order; a
 * repeated key contributes its sorted unique values)).
 */
export function twilioSignature(key: string, url: string, params: readonly (readonly [string, string])[]): string {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of params) grouped.set(name, [...(grouped.get(name) ?? []), value]);
  let data = url;
  for (const name of [...grouped.keys()].sort()) {
    const values = grouped.get(name) as string[];
    const list = values.length > 1 ? [...new Set(values)].sort() : values;
    for (const value of list) data += name + value;
  }
  return crypto.createHmac("sha1", key).update(data, "utf8").digest("base64");
}

/**
 * The URL spellings Twilio's own validator accepts for one request: as given, without an explicit port,
 * and with the scheme's default port added (a proxy or the carrier may add or drop :443/:80).
 */
export function urlVariants(url: string): string[] {
  const parsed = new URL(url);
  const variants = new Set<string>([url]);
  const defaultPort = parsed.protocol === "https:" ? "443" : parsed.protocol === "http:" ? "80" : "";
  const withoutPort = new URL(url);
  withoutPort.port = "";
  variants.add(withoutPort.toString());
  if (defaultPort && (parsed.port === "" || parsed.port === defaultPort)) {
    // URL normalises the default port away, so splice it into the authority by hand.
    variants.add(withoutPort.toString().replace(`${parsed.protocol}//${parsed.host}`, `${parsed.protocol}//${parsed.hostname}:${defaultPort}`));
  }
  return [...variants];
}

export function verifyTwilioStyle(key: string, signature: string | undefined, request: WebhookRequest): boolean {
  if (!signature) return false;
  // GET webhooks carry their parameters in the URL, which is signed as is; POST adds the form fields.
  const params = request.method === "GET" ? [] : request.form;
  return urlVariants(request.url).some((url) => safeEqual(twilioSignature(key, url, params), signature));
}

export const VONAGE_SIGNATURE_METHODS = ["md5hash", "md5hmac", "sha1hmac", "sha256hmac", "sha512hmac"] as const;
export type VonageSignatureMethod = (typeof VONAGE_SIGNATURE_METHODS)[number];

/**
 * Vonage SMS API `sig`: every received parameter but `sig`, keys sorted, each value with `&` and `=`
 * replaced by `_`, joined as `&k=v&k=v`; then md5_hex(string + secret) or hex HMAC keyed with the
 * account's signature secret. Upper-case hex, as in Vonage's examples (the comparison ignores case).
 */
export function vonageSignature(params: Readonly<Record<string, string>>, secret: string, method: VonageSignatureMethod): string {
  let data = "";
  for (const name of Object.keys(params).sort()) {
    if (name === "sig") continue;
    data += `&${name}=${(params[name] as string).replace(/[&=]/g, "_")}`;
  }
  const hex =
    method === "md5hash"
      ? crypto.createHash("md5").update(data + secret, "utf8").digest("hex")
      : crypto.createHmac(method.replace("hmac", ""), secret).update(data, "utf8").digest("hex");
  return hex.toUpperCase();
}

/**
 * Vonage's guidance for signed requests: the `timestamp` parameter (Unix seconds, UTC) is within five
 * minutes of now, so a captured webhook cannot be replayed later with a valid `sig`
 * (https://developer.vonage.com/getting-started/concepts/signing-messages). Replays inside the window
 * are caught by the stored message id (server/http/routes/webhooks.ts).
 */
export const VONAGE_SIGNATURE_MAX_SKEW_SECONDS = 300;

/** True when a signed request's `timestamp` is a Unix time at most five minutes from `now`, either way. */
export function vonageTimestampFresh(timestamp: string | undefined, now: Date): boolean {
  if (timestamp === undefined || !/^[0-9]{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= VONAGE_SIGNATURE_MAX_SKEW_SECONDS;
}

/** For carriers that sign nothing: the webhook URL carries `?token=<secret>`, compared in constant time. */
export function verifyUrlToken(expected: string | undefined, request: WebhookRequest): boolean {
  if (!expected) return false;
  const given = request.query.filter(([name]) => name === "token").map(([, value]) => value);
  return given.length === 1 && safeEqual(given[0] as string, expected);
}

/** Query and body parameters as one object (the body wins), for carriers that send either (Vonage, Textlocal). */
export function allParams(request: WebhookRequest): Record<string, string> {
  // Names come from the carrier's request: a prototype-less map, so "constructor" is not a function here.
  const params: Record<string, string> = Object.create(null);
  for (const [name, value] of request.query) params[name] = value;
  for (const [name, value] of request.form) params[name] = value;
  if (request.json && typeof request.json === "object" && !Array.isArray(request.json)) {
    for (const [name, value] of Object.entries(request.json as Record<string, unknown>)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") params[name] = String(value);
    }
  }
  return params;
}

export function sha256Hex(data: Buffer | string): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

export function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
