/**
 * A seeded fuzz of every endpoint, over the real server: hostile requests (prototype keys, wrong types,
 * huge numbers, deep nesting, invalid UTF-8, wrong content types, bad percent-encoding in paths and
 * queries, odd methods, garbage headers and cookies) must never get a 5xx or hang, and every failure
 * under /api/ must be the one error shape with a code of lib/errors.ts (the compat APIs: their vendor's
 * error body). The server must print no raw error to stderr and log no error line. @see issue 10.
 *
 * FUZZ_REQUESTS_PER_ENDPOINT (default 500) sets the size, FUZZ_SEED replays a run (the seed is printed).
 * With the production build the Next routes (/api/auth, /api/account, /api/owner) are fuzzed too;
 * without it only the custom server's endpoints are (CI always builds first, see scripts/test.sh).
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERRORS } from "../../lib/errors.ts";
import { uniquePhone } from "../helpers/phones.ts";
import { REPO_ROOT, startServer, type TestServer } from "../helpers/server.ts";

const built = fs.existsSync(path.join(REPO_ROOT, ".next/BUILD_ID"));
if (!built && process.env.CI === "true") throw new Error("No production build: `npm test` builds it before the tests run.");

const PER_ENDPOINT = Number(process.env.FUZZ_REQUESTS_PER_ENDPOINT ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 12;
const METRICS_TOKEN = "fuzz-metrics-token-0123456789";
const REQUEST_TIMEOUT_MS = 15_000;

/** mulberry32: small, seedable, good enough to pick test inputs. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

type Surface = "native" | "next" | "twilio" | "signalwire" | "textmagic" | "vonage";

interface Endpoint {
  method: string;
  /** `:name` segments are filled from `ids`. */
  path: string;
  surface: Surface;
  fields: readonly string[];
  /** Sends form bodies by default (Twilio, next-auth), else JSON. */
  form?: boolean;
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf", "__defineGetter__"];
const NATIVE_FIELDS = ["to", "channel", "locale", "codeLength", "workflow", "template", "validFor", "maxAttempts", "purpose", "code", "brand", "from", "body", "metadata"];
const TWILIO = "/compat/twilio/v2/Services";
const SIGNALWIRE = "/compat/signalwire/api/relay/rest/mfa";
const TEXTMAGIC = "/compat/textmagic/api/v2/verify";
const VONAGE = "/compat/vonage/v2/verify";

const ENDPOINTS: Endpoint[] = [
  { method: "POST", path: "/api/v1/verifications", surface: "native", fields: NATIVE_FIELDS },
  { method: "GET", path: "/api/v1/verifications/:id", surface: "native", fields: [] },
  ...["check", "cancel", "approve", "resend"].map((op) => ({ method: "POST", path: `/api/v1/verifications/:id/${op}`, surface: "native" as const, fields: ["code", "channel", "locale"] })),
  { method: "POST", path: "/api/v1/notices", surface: "native", fields: ["to", "notice", "yes", "locale", "brand"] },
  { method: "POST", path: "/api/v1/owner-alerts", surface: "native", fields: ["who", "path", "waitForDecision", "connectionId", "timeoutSeconds"] },
  { method: "DELETE", path: "/api/v1/owner-alerts/:reference", surface: "native", fields: [] },
  { method: "GET", path: "/api/v1/sandbox/messages", surface: "native", fields: ["to", "limit"] },
  { method: "GET", path: "/api/sandbox/numbers", surface: "native", fields: ["limit"] },
  { method: "GET", path: "/api/sandbox/messages", surface: "native", fields: ["to", "limit"] },
  { method: "POST", path: "/api/sandbox/reply", surface: "native", fields: ["from", "to", "body"] },
  { method: "GET", path: "/api/v1/openapi.json", surface: "native", fields: [] },
  // Webhook endpoints, except create: a fuzzed body that happens to be a valid https URL would make the
  // dispatcher resolve a name off this machine. GET /api/v1/events is a stream that stays open by design.
  { method: "GET", path: "/api/v1/webhooks", surface: "native", fields: [] },
  { method: "GET", path: "/api/v1/webhooks/:id", surface: "native", fields: [] },
  { method: "PATCH", path: "/api/v1/webhooks/:id", surface: "native", fields: ["url", "events", "description", "includePhoneNumbers", "enabled"] },
  { method: "DELETE", path: "/api/v1/webhooks/:id", surface: "native", fields: [] },
  ...["rotate-secret", "test"].map((op) => ({ method: "POST", path: `/api/v1/webhooks/:id/${op}`, surface: "native" as const, fields: [] })),
  { method: "GET", path: "/api/v1/webhooks/:id/deliveries", surface: "native", fields: ["limit", "status"] },
  { method: "POST", path: "/api/v1/webhooks/:id/deliveries/:deliveryId/retry", surface: "native", fields: [] },
  ...["inbound", "status", "voice"].map((kind) => ({ method: "POST", path: `/api/webhooks/:carrier/${kind}`, surface: "native" as const, fields: ["From", "To", "Body", "MessageSid", "msisdn", "text", "token", "status"], form: true })),
  { method: "GET", path: "/healthz", surface: "native", fields: [] },
  // Prometheus text for its token (METRICS_TOKEN below), the one error shape otherwise.
  { method: "GET", path: "/metrics", surface: "native", fields: [] },
  { method: "POST", path: TWILIO, surface: "twilio", fields: ["FriendlyName", "CodeLength", "Psd2Enabled"], form: true },
  { method: "GET", path: `${TWILIO}/:serviceSid`, surface: "twilio", fields: [], form: true },
  { method: "POST", path: `${TWILIO}/:serviceSid/Verifications`, surface: "twilio", fields: ["To", "Channel", "Locale", "CustomCode", "Amount"], form: true },
  { method: "GET", path: `${TWILIO}/:serviceSid/Verifications/:sid`, surface: "twilio", fields: [], form: true },
  { method: "POST", path: `${TWILIO}/:serviceSid/Verifications/:sid`, surface: "twilio", fields: ["Status"], form: true },
  { method: "POST", path: `${TWILIO}/:serviceSid/VerificationCheck`, surface: "twilio", fields: ["To", "Code", "VerificationSid"], form: true },
  { method: "POST", path: `${SIGNALWIRE}/sms`, surface: "signalwire", fields: ["to", "from", "message", "token_length", "max_attempts", "allow_alphas", "valid_for"] },
  { method: "POST", path: `${SIGNALWIRE}/call`, surface: "signalwire", fields: ["to", "from", "message", "token_length"] },
  { method: "POST", path: `${SIGNALWIRE}/:id/verify`, surface: "signalwire", fields: ["token"] },
  { method: "POST", path: TEXTMAGIC, surface: "textmagic", fields: ["phone", "brand", "codeLength", "workflowId", "language", "senderId", "country"] },
  { method: "PUT", path: TEXTMAGIC, surface: "textmagic", fields: ["verifyId", "code"] },
  { method: "DELETE", path: `${TEXTMAGIC}/:id`, surface: "textmagic", fields: [] },
  { method: "POST", path: VONAGE, surface: "vonage", fields: ["brand", "workflow", "locale", "code_length", "channel_timeout", "client_ref", "code"] },
  { method: "POST", path: `${VONAGE}/:id`, surface: "vonage", fields: ["code"] },
  { method: "DELETE", path: `${VONAGE}/:id`, surface: "vonage", fields: [] },
  { method: "POST", path: `${VONAGE}/:id/next_workflow`, surface: "vonage", fields: [] },
];

const NEXT_ENDPOINTS: Endpoint[] = [
  ...["csrf", "session", "providers", "signin", "signout", "error", "verify-request"].map((action) => ({ method: "GET", path: `/api/auth/${action}`, surface: "next" as const, fields: ["callbackUrl", "error", "csrf"], form: true })),
  { method: "POST", path: "/api/auth/callback/sms", surface: "next", fields: ["verificationId", "code", "name", "csrfToken", "json", "callbackUrl"], form: true },
  { method: "POST", path: "/api/auth/signin/sms", surface: "next", fields: ["csrfToken", "json", "callbackUrl"], form: true },
  { method: "POST", path: "/api/auth/signout", surface: "next", fields: ["csrfToken", "json", "callbackUrl"], form: true },
  { method: "POST", path: "/api/auth/session", surface: "next", fields: ["csrfToken", "data"], form: true },
  { method: "POST", path: "/api/auth/_log", surface: "next", fields: ["code", "level", "message"], form: true },
  { method: "GET", path: "/api/auth/sms/config", surface: "next", fields: [] },
  { method: "POST", path: "/api/auth/sms/start", surface: "next", fields: ["phone", "country"] },
  { method: "POST", path: "/api/auth/sms/resend", surface: "next", fields: ["verificationId"] },
  { method: "POST", path: "/api/account/phone/start", surface: "next", fields: ["phone", "country"] },
  { method: "POST", path: "/api/account/phone/confirm", surface: "next", fields: ["verificationId", "code"] },
  { method: "POST", path: "/api/account/sessions/revoke-all", surface: "next", fields: [] },
  { method: "POST", path: "/api/account/profile", surface: "next", fields: ["name"] },
  { method: "GET", path: "/api/owner/verifications", surface: "next", fields: ["limit", "status", "surface"] },
  { method: "GET", path: "/api/owner/test-numbers", surface: "next", fields: [] },
  { method: "GET", path: "/api/owner/requests", surface: "next", fields: [] },
  { method: "POST", path: "/api/owner/requests/:reference/decision", surface: "next", fields: ["decision"] },
  { method: "GET", path: "/api/owner/webhooks", surface: "next", fields: [] },
  { method: "POST", path: "/api/owner/webhooks/:id/deliveries/:deliveryId/retry", surface: "next", fields: [] },
  { method: "GET", path: "/api/owner/insights", surface: "next", fields: ["range"] },
  { method: "GET", path: "/api/owner/insights/costs", surface: "next", fields: [] },
  { method: "POST", path: "/api/owner/insights/costs", surface: "next", fields: ["carrier", "country", "currency", "pricePerMessage"] },
  { method: "POST", path: "/api/owner/insights/costs/remove", surface: "next", fields: ["carrier", "country"] },
];

interface Known {
  key: string;
  /** METRICS_TOKEN of the server, the Bearer token of /metrics. */
  metricsToken: string;
  verificationIds: string[];
  serviceSid: string;
  sessionCookie: string | null;
  csrfCookie: string | null;
  csrfToken: string | null;
}

/** encodeURIComponent throws on a lone surrogate; such a value goes out as U+FFFD. */
const enc = (text: string) => encodeURIComponent((text as string & { toWellFormed(): string }).toWellFormed());

const HUGE = ["1e309", "-1e309", "123456789012345678901234567890", "9007199254740993", "-0", "1e-400", "0.1e1"];

function hostileString(rng: Rng, known: Known): string {
  switch (rng.int(16)) {
    case 0:
      return uniquePhone();
    case 1:
      return `+1212555${String(rng.int(10_000)).padStart(4, "0")}`;
    case 2:
      return rng.pick(known.verificationIds);
    case 3:
      return "x".repeat(rng.pick([0, 1, 65, 300, 5000]));
    case 4:
      return rng.pick(PROTO_KEYS);
    case 5:
      return rng.pick(["abc", "//evil.example", "/\\evil.example", "javascript:alert(1)", "http://[::1", "%zz", "/account", "https://evil.example/"]);
    case 6:
      return rng.pick(["\u0000", "\ud800", "\u202e+1212", "+１２１２５５５０１００", "١٢٣٤٥٦", "😀".repeat(20), "\r\nSet-Cookie: x=1"]);
    case 7:
      return String(rng.int(1_000_000)).padStart(6, "0");
    case 8:
      return rng.pick(["sms", "voice", "whatsapp", "email", "SMS", "", " "]);
    case 9:
      return rng.pick(["' OR '1'='1", '"; DROP TABLE verifications;--', "${jndi:ldap://x}", "{{7*7}}", "<script>alert(1)</script>"]);
    case 10:
      return known.csrfToken ?? "x";
    case 11:
      return rng.pick(["true", "false", "null", "accept", "deny", "pending", "approved", "canceled"]);
    case 12:
      return rng.pick(["en", "fr", "xx", "en-US", "zz-ZZ", "../../etc/passwd"]);
    default:
      return Array.from({ length: rng.int(12) }, () => String.fromCharCode(32 + rng.int(95))).join("");
  }
}

function hostileValue(rng: Rng, known: Known, fields: readonly string[], depth = 0): unknown {
  const kind = depth > 3 ? rng.int(5) : rng.int(9);
  switch (kind) {
    case 0:
    case 1:
      return hostileString(rng, known);
    case 2:
      return rng.pick([0, -1, 1, 3, 4, 6, 10, 2 ** 31, 2 ** 53 + 1, 1.5, Number.MAX_SAFE_INTEGER, -1e300]);
    case 3:
      return rng.pick([true, false, null]);
    case 4:
      return rng.chance(0.5) ? [] : {};
    case 5:
    case 6:
      return hostileObject(rng, known, fields, depth + 1);
    default:
      return Array.from({ length: rng.int(4) }, () => hostileValue(rng, known, fields, depth + 1));
  }
}

function hostileObject(rng: Rng, known: Known, fields: readonly string[], depth = 0): Record<string, unknown> {
  // A prototype-less object, so that "__proto__" is serialised as a key like any other.
  const object: Record<string, unknown> = Object.create(null);
  const count = rng.int(6);
  for (let i = 0; i < count; i++) {
    const key = rng.chance(0.25) || fields.length === 0 ? rng.pick([...PROTO_KEYS, "extra", "", "a.b", "0"]) : rng.pick(fields);
    object[key] = hostileValue(rng, known, fields, depth);
  }
  return object;
}

/** JSON text that JSON.stringify would not write: huge numbers as literals, deep nesting, duplicate keys. */
function hostileJsonText(rng: Rng, known: Known, fields: readonly string[]): string {
  switch (rng.int(10)) {
    case 0:
      return `{"${rng.pick(fields.length ? fields : PROTO_KEYS)}":${rng.pick(HUGE)}}`;
    case 1: {
      const depth = rng.pick([50, 500, 5000]);
      return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    }
    case 2:
      return `${"[".repeat(rng.pick([100, 3000]))}`;
    case 3:
      return `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`;
    case 4:
      return rng.pick(["", "{", "nul", "[1,]", "{'a':1}", "\"unterminated", "{}garbage", "1", "null", "[]", "\"\""]);
    case 5:
      return JSON.stringify(hostileValue(rng, known, fields));
    default:
      return JSON.stringify(hostileObject(rng, known, fields));
  }
}

function formText(rng: Rng, known: Known, fields: readonly string[]): string {
  const object = hostileObject(rng, known, fields);
  const pairs = Object.keys(object).map((k) => `${enc(k)}=${enc(String(JSON.stringify(object[k]) ?? ""))}`);
  if (rng.chance(0.2)) pairs.push(rng.pick(["%zz=1", "a=%", "%E0%A4%A=1", "a=%FF%FE", "=", "&&", "a"]));
  return pairs.join("&");
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
  endpoint: Endpoint;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD"];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/xml",
  "a/b/c",
  "application/json, text/plain",
  "APPLICATION/JSON",
];

function fillPath(rng: Rng, template: string, known: Known): string {
  return template
    .split("/")
    .map((segment, index) => {
      // The leading "", the surface ("api", "compat", "healthz") and a compat vendor's name stay, so the
      // request stays on that surface (and a compat failure is that vendor's to answer).
      if (index < (template.startsWith("/compat/") ? 3 : 2)) return segment;
      if (!segment.startsWith(":")) return rng.chance(0.02) ? rng.pick(["%zz", "%", "..", "%2e%2e", "%00", segment.toUpperCase()]) : segment;
      const name = segment.slice(1);
      if (name === "serviceSid" && rng.chance(0.6)) return known.serviceSid;
      if (name === "carrier") return rng.pick(["sandbox", "twilio", "vonage", "signalwire", "textlocal", "textmagic", "nope", "__proto__", "constructor"]);
      if (rng.chance(0.4)) {
        const id = rng.pick(known.verificationIds);
        return name === "sid" ? `VE${id.replace(/-/g, "")}` : id;
      }
      return rng.pick([
        "00000000-0000-4000-8000-000000000000",
        "%zz",
        "%E0%A4%A",
        "%",
        "K7Q2",
        "__proto__",
        "constructor",
        encodeURIComponent("😀"),
        "x".repeat(300),
        "%2F..%2F",
        "VE0000",
        "null",
      ]);
    })
    .join("/");
}

function hostileQuery(rng: Rng, known: Known, fields: readonly string[]): string {
  if (rng.chance(0.5)) return "";
  const parts = Array.from({ length: 1 + rng.int(3) }, () => {
    const key = rng.chance(0.3) ? rng.pick(PROTO_KEYS) : rng.pick([...fields, "callbackUrl", "error", "to", "limit"]);
    return `${enc(key)}=${enc(hostileString(rng, known))}`;
  });
  if (rng.chance(0.25)) parts.push(rng.pick(["%zz", "a=%", "callbackUrl=abc", "error=%0A", "to=%2B1%", "limit=99999999999999999999"]));
  return `?${parts.join("&")}`;
}

function hostileHeaders(rng: Rng, endpoint: Endpoint, known: Known, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  const basic = (user: string, secret: string) => `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`;
  switch (rng.int(8)) {
    case 0:
    case 1:
      headers.authorization =
        endpoint.path === "/metrics" ? `Bearer ${known.metricsToken}` : endpoint.surface === "native" ? `Bearer ${known.key}` : basic("AC00000000000000000000000000000000", known.key);
      break;
    case 2:
      headers.authorization = rng.pick(["Bearer", "Bearer tg_nothing", "Basic !!!", "Basic Og==", `Basic ${"A".repeat(4000)}`, "Digest x", basic("", ""), `Bearer ${known.key}x`]);
      break;
    default:
      break;
  }
  if (hasBody || rng.chance(0.2)) {
    if (rng.chance(0.75)) headers["content-type"] = endpoint.form ? rng.pick(["application/x-www-form-urlencoded", ...CONTENT_TYPES]) : rng.pick(["application/json", ...CONTENT_TYPES]);
  }
  if (rng.chance(0.1)) headers["content-encoding"] = rng.pick(["gzip", "identity", "br", "x"]);
  const cookies: string[] = [];
  if (known.sessionCookie && rng.chance(0.4)) cookies.push(`next-auth.session-token=${known.sessionCookie}`);
  if (known.csrfCookie && rng.chance(0.3)) cookies.push(`next-auth.csrf-token=${known.csrfCookie}`);
  if (rng.chance(0.2)) cookies.push(rng.pick(["next-auth.session-token=garbage", "next-auth.callback-url=abc", "next-auth.callback-url=%zz", "next-auth.csrf-token=a|b", "=;;=", "a=%ff"]));
  if (cookies.length) headers.cookie = cookies.join("; ");
  if (rng.chance(0.1)) headers["idempotency-key"] = rng.pick(["k", "x".repeat(300), "é", ""]);
  if (rng.chance(0.1)) headers[rng.pick(["x-forwarded-host", "x-forwarded-proto", "origin", "host", "accept", "x-twilio-signature", "range"])] = rng.pick(["evil.example", "javascript", "null", "*/*", "bytes=0-1", "", "\u00ff"]);
  if (rng.chance(0.05)) headers[`x-${"a".repeat(rng.int(50))}`] = "1";
  return headers;
}

function buildRequest(rng: Rng, endpoint: Endpoint, known: Known): FuzzRequest {
  const method = rng.chance(0.8) ? endpoint.method : rng.pick(METHODS);
  const path = fillPath(rng, endpoint.path, known) + hostileQuery(rng, known, endpoint.fields);
  const sendsBody = method !== "GET" && method !== "HEAD" && method !== "TRACE" ? rng.chance(0.9) : rng.chance(0.05);
  let body: Buffer | null = null;
  if (sendsBody) {
    const roll = rng.int(20);
    if (roll === 0) body = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]); // {"a":"<invalid UTF-8>"}
    else if (roll === 1) body = Buffer.alloc(20_000 + rng.int(10_000), 0x61);
    else if (roll === 2) body = Buffer.from(`{"${rng.pick(endpoint.fields.length ? endpoint.fields : PROTO_KEYS)}":"${"x".repeat(17_000)}"}`);
    else body = Buffer.from(endpoint.form && rng.chance(0.6) ? formText(rng, known, endpoint.fields) : hostileJsonText(rng, known, endpoint.fields));
  }
  const headers = hostileHeaders(rng, endpoint, known, body !== null);
  // TRACE with a body is refused by Node's own client; the server never sees it.
  if (method === "TRACE") body = null;
  return { method, path, headers, body, endpoint };
}

interface Outcome {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function send(agent: http.Agent, url: string, request: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { ...request.headers };
    if (request.body) headers["content-length"] = request.body.length;
    // host and port apart from the path: a URL would normalise "/a/../b" and "%2e%2e" before sending.
    const { hostname, port } = new URL(url);
    const req = http.request({ hostname, port, path: request.path, method: request.method, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on("error", reject);
    req.end(request.body ?? undefined);
  });
}

const KNOWN_CODES = new Set(Object.keys(ERRORS));

/** What is wrong with this answer, or null. */
function problemWith(request: FuzzRequest, outcome: Outcome): string | null {
  if (outcome.status >= 500) return `status ${outcome.status}: ${outcome.text.slice(0, 200)}`;
  if (outcome.status < 400 || request.method === "HEAD") return null;
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return `a ${outcome.status} that is not JSON (${outcome.headers["content-type"]}): ${outcome.text.slice(0, 120)}`;
  }
  const native = body as { error?: { code?: unknown; message?: unknown } };
  const nativeShape = typeof native.error?.code === "string" && KNOWN_CODES.has(native.error.code) && typeof native.error.message === "string" && native.error.message.length > 0;
  const dictionaryStatus = nativeShape && ERRORS[native.error?.code as keyof typeof ERRORS].status === outcome.status;
  const type = String(outcome.headers["content-type"] ?? "");
  if (request.endpoint.surface === "native" || request.endpoint.surface === "next") {
    if (!type.startsWith("application/json")) return `content-type ${type}`;
    return dictionaryStatus ? null : `not the error shape: ${outcome.text.slice(0, 200)}`;
  }
  const vendor = body as Record<string, unknown>;
  switch (request.endpoint.surface) {
    case "twilio":
      return typeof vendor.code === "number" && typeof vendor.message === "string" && vendor.status === outcome.status ? null : `not Twilio's error: ${outcome.text.slice(0, 200)}`;
    case "textmagic":
      return vendor.code === outcome.status && typeof vendor.message === "string" ? null : `not Textmagic's error: ${outcome.text.slice(0, 200)}`;
    case "signalwire": {
      const first = (vendor.errors as { code?: unknown; message?: unknown }[] | undefined)?.[0];
      return typeof first?.code === "string" && typeof first.message === "string" ? null : `not SignalWire's error: ${outcome.text.slice(0, 200)}`;
    }
    case "vonage":
      return typeof vendor.type === "string" && typeof vendor.title === "string" ? null : `not Vonage's problem document: ${outcome.text.slice(0, 200)}`;
  }
  return null;
}

/** Signs a new user in through next-auth (as the /login page does) for the session cookie and a CSRF pair. */
async function signIn(server: TestServer, phone: string): Promise<Pick<Known, "sessionCookie" | "csrfCookie" | "csrfToken">> {
  const jar = new Map<string, string>();
  const call = async (pathname: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set("cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${server.url}${pathname}`, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(";")[0] as string;
      jar.set(pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1));
    }
    return res;
  };
  const start = await call("/api/auth/sms/start", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone }) });
  expect(start.status).toBe(200);
  const { verificationId } = (await start.json()) as { verificationId: string };
  const messages = (await (await fetch(`${server.url}/api/sandbox/messages?to=${encodeURIComponent(phone)}`, { headers: { authorization: `Bearer ${server.key}` } })).json()) as { messages: { body: string }[] };
  const code = /([0-9]{6})$/.exec(messages.messages[0]?.body ?? "")?.[1] ?? "";
  const { csrfToken } = (await (await call("/api/auth/csrf")).json()) as { csrfToken: string };
  const form = new URLSearchParams({ verificationId, code, csrfToken, json: "true", callbackUrl: "/account" });
  const callback = await call("/api/auth/callback/sms", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
  expect(callback.status).toBe(200);
  return { sessionCookie: jar.get("next-auth.session-token") ?? null, csrfCookie: jar.get("next-auth.csrf-token") ?? null, csrfToken };
}

describe("fuzz: hostile requests to every endpoint", () => {
  let server: TestServer;
  const owner = uniquePhone();
  const endpoints = built ? [...ENDPOINTS, ...NEXT_ENDPOINTS] : ENDPOINTS;

  beforeAll(async () => {
    server = await startServer({
      env: {
        ...(built ? { NODE_ENV: "production", SERVE_PAGES: "true", SANDBOX_IN_PRODUCTION: "true" } : {}),
        AUTH_START_LIMIT_PER_IP: "1000000",
        AUTH_START_LIMIT_PER_NUMBER: "1000000",
        AUTH_COUNTRIES_PER_IP: "250",
        OWNER_PHONES: owner,
        LOG_LEVEL: "warn",
        METRICS_TOKEN,
      },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it(
    `answers ${PER_ENDPOINT} hostile requests per endpoint with no 5xx, no hang and the error shape`,
    async () => {
      const verificationIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const created = await server.request<{ id: string }>("POST", "/api/v1/verifications", { json: { to: uniquePhone() } });
        expect(created.status).toBe(201);
        verificationIds.push(created.body.id);
      }
      const basic = `Basic ${Buffer.from(`AC00000000000000000000000000000000:${server.key}`).toString("base64")}`;
      const service = await server.request<{ sid: string }>("POST", TWILIO, { key: null, headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" }, body: "FriendlyName=fuzz" });
      expect(service.status).toBe(201);
      const session = built ? await signIn(server, owner) : { sessionCookie: null, csrfCookie: null, csrfToken: null };
      const known: Known = { key: server.key, metricsToken: METRICS_TOKEN, verificationIds, serviceSid: service.body.sid, ...session };

      console.log(`fuzz: seed ${SEED} (FUZZ_SEED=${SEED} replays it), ${PER_ENDPOINT} requests × ${endpoints.length} endpoints${built ? "" : " (no production build: Next routes left out)"}`);
      const rng = prng(SEED);
      const requests: FuzzRequest[] = [];
      for (const endpoint of endpoints) for (let i = 0; i < PER_ENDPOINT; i++) requests.push(buildRequest(rng, endpoint, known));
      // Interleaved, so no endpoint's requests all arrive at once.
      const order = requests.map((request, i) => ({ request, key: rng.next() + i * 0 })).sort((a, b) => a.key - b.key).map((e) => e.request);

      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let fiveHundreds = 0;
      let next = 0;
      const started = Date.now();
      const worker = async () => {
        while (next < order.length) {
          const request = order[next++] as FuzzRequest;
          let problem: string | null;
          try {
            const outcome = await send(agent, server.url, request);
            statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
            if (outcome.status >= 500) fiveHundreds++;
            problem = problemWith(request, outcome);
          } catch (error) {
            problem = `no answer: ${(error as Error).message}`;
          }
          if (problem && failures.length < 30) failures.push(`${request.method} ${request.path.slice(0, 160)} [${request.headers["content-type"] ?? "-"}] ${request.body?.subarray(0, 80).toString("utf8") ?? ""}\n    → ${problem}`);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      agent.destroy();
      const seconds = (Date.now() - started) / 1000;
      console.log(`fuzz: ${order.length} requests in ${seconds.toFixed(1)} s, ${fiveHundreds} × 5xx, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`);

      const logged = server.stdout().split("\n").filter((line) => /"level":(50|60)/.test(line));
      expect(failures, `seed ${SEED}; error lines logged:\n${logged.slice(0, 5).join("\n")}`).toEqual([]);
      expect(fiveHundreds).toBe(0);
      // Errors reach the pino log (stdout), never Next's raw prints on stderr (the submitted value with them).
      expect(server.stderr()).not.toMatch(/⨯|Error|error|Unhandled|at .+:\d+:\d+/);
      expect(logged, "error-level log lines").toEqual([]);
      // The server is still healthy.
      expect((await server.request("GET", "/healthz")).status).toBe(200);
    },
    // About 50 s for the default 26,000 requests on two idle cores; far longer on a loaded machine.
    300_000,
  );
});
