/**
 * Configuration: every environment variable textgate reads, validated once at boot.
 * `.env.example` documents the same variables with their defaults; keep the two in step.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { isE164, LINE_TYPES, type LineType } from "../lib/phone.ts";
import { isDevelopmentCarrier } from "./carriers/registry.ts";
import { type DatabaseTarget, resolveDatabaseTarget } from "./db/database-url.ts";
import { readTestNumbers, type TestNumberSettings } from "./verification/test-numbers.ts";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z.string().transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

/**
 * Refused by default (docs/architecture.md, "Where codes may go"): premium-rate and shared-cost numbers
 * earn their holder money per message or call (the SMS-pumping payout), VoIP is what NIST 800-63B
 * §5.1.3.1 says SHALL NOT receive out-of-band codes, and personal (follow-me) numbers forward to
 * anywhere at a premium rate.
 */
export const DEFAULT_BLOCKED_LINE_TYPES = ["PREMIUM_RATE", "SHARED_COST", "VOIP", "PERSONAL_NUMBER"] as const satisfies readonly LineType[];
const lineTypes = z
  .string()
  .transform((v) => (v.trim().toLowerCase() === "none" ? [] : v.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean)))
  .pipe(
    z.array(
      z
        .enum(LINE_TYPES)
        .refine((t) => t !== "FIXED_LINE_OR_MOBILE", "FIXED_LINE_OR_MOBILE means the type cannot be told, and such numbers always pass"),
    ),
  );

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Port of the one HTTP server (pages, API, sockets). */
  PORT: int(0, 65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  /** The public origin, used in links and for checking Origin headers. */
  PUBLIC_URL: z.url().optional(),
  /** postgres://… for PostgreSQL, file:<path> for SQLite. */
  DATABASE_URL: z.string().optional(),
  /** Apply pending migrations at start (otherwise refuse to start when any is pending). */
  AUTO_MIGRATE: bool.default(true),
  /** Secret (32+ characters) that keys code hashes and seals codes. Generated into ./data/secret in development. */
  TEXTGATE_SECRET: z.string().min(32, "TEXTGATE_SECRET must be at least 32 characters").optional(),
  /** Carriers for SMS, in order of preference (comma-separated): sandbox, console. */
  SMS_CARRIERS: list.optional(),
  /** Carriers for text-to-speech calls, in order of preference. */
  VOICE_CARRIERS: list.optional(),
  /** Allow the development carriers (sandbox, console) when NODE_ENV=production: they show every code. */
  SANDBOX_IN_PRODUCTION: bool.default(false),
  /** Default sender id / from number for outgoing texts and calls. */
  DEFAULT_SENDER: z.string().max(20).optional(),
  DEFAULT_BRAND: z.string().min(1).max(18).default("textgate"),
  DEFAULT_LOCALE: z.string().default("en"),
  DEFAULT_CODE_LENGTH: int(4, 20).default(6),
  DEFAULT_VALIDITY_SECONDS: int(0, 604_800).default(600),
  DEFAULT_MAX_ATTEMPTS: int(1, 20).default(5),
  /** End code texts with "@<PUBLIC_URL host> #<code>", the line WebOTP and Safari read to fill the code in. */
  ORIGIN_BOUND_CODES: bool.default(true),
  /** Android SMS Retriever's app hash (11 characters), added to code texts for an Android app that reads them. */
  ANDROID_APP_HASH: z.string().regex(/^[A-Za-z0-9+/]{11}$/, "11 characters of the app's hash (letters, digits, + and /)").optional(),
  /** What a new request to a number with a verification pending does: replace (fresh code), resend (same code), reject (409). */
  PENDING_POLICY: z.enum(["replace", "resend", "reject"]).default("replace"),
  /** At most this many codes sent to one number per window (Twilio allows 5 per 10 minutes). */
  SEND_LIMIT_PER_NUMBER: int(1, 1_000_000).default(5),
  SEND_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(600),
  /** A verification can be canceled only this many seconds after it was created (Textmagic's rule: 30). */
  CANCEL_MIN_AGE_SECONDS: int(0, 3600).default(30),
  /** Seconds a caller must wait between two resends of one verification. */
  RESEND_COOLDOWN_SECONDS: int(0, 3600).default(30),
  /** ISO country codes verifications may be sent to (comma-separated); empty means all. */
  ALLOWED_COUNTRIES: list.default([]),
  /** libphonenumber line types codes are never sent to (comma-separated), or "none". Numbers of undetermined type pass. */
  BLOCKED_LINE_TYPES: lineTypes.default([...DEFAULT_BLOCKED_LINE_TYPES]),
  /**
   * Wrong codes in a row for one number (every surface, across IPs) after which each further one locks
   * the number: 30 s, doubling up to 1 h (server/verification/guess-limits.ts). A right code resets.
   */
  GUESS_LOCK_AFTER_FAILURES: int(1, 100).default(10),
  /** Wrong codes in a row that lock a number for 24 h (NIST SP 800-63B allows at most 100). */
  GUESS_MAX_FAILURES_PER_DAY: int(1, 100).default(100),
  /** Messages handed to carriers per rolling hour, for the whole deployment (shared over Redis); 0 = no budget. */
  SEND_BUDGET_PER_HOUR: int(0, 1_000_000_000).default(1000),
  /**
   * The low-conversion alarm (server/owners/conversion-alarms.ts): owners are texted once, and
   * `conversion.low` is emitted, when a country's or a carrier's conversion (approved ÷ started) over the
   * last hour is below this share (0..1); 0 turns the alarm off.
   */
  CONVERSION_ALARM_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  /** Verifications a country or carrier must have started in the hour before its conversion counts. */
  CONVERSION_ALARM_MIN_STARTED: int(1, 1_000_000_000).default(20),
  /** How often the scheduler checks the last hour's conversion, in seconds. */
  CONVERSION_ALARM_CHECK_SECONDS: int(10, 3600).default(60),
  /** Largest request body accepted, in bytes. */
  MAX_BODY_BYTES: int(1024, 1_048_576).default(16_384),
  /** Time a client has to send a request's headers, in milliseconds (then 408 and the connection closes). */
  HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  /** Time a client has to send a whole request, headers and body, in milliseconds (then 408 and the connection closes). */
  HTTP_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /** How often the scheduler looks for due workflow steps and expired verifications, in milliseconds. */
  SCHEDULER_INTERVAL_MS: int(20, 60_000).default(250),
  /** How often the /owner insights' rollup recounts recent hours (server/owners/insights/rollup.ts), in milliseconds. */
  INSIGHTS_ROLLUP_INTERVAL_MS: int(500, 3_600_000).default(60_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Sign-in by phone (the NextAuth SMS provider): the verification each sign-in starts. */
  AUTH_CHANNEL: z.enum(["sms", "voice"]).default("sms"),
  AUTH_CODE_LENGTH: int(4, 20).default(6),
  AUTH_CODE_ALPHANUMERIC: bool.default(false),
  AUTH_CODE_VALIDITY_SECONDS: int(1, 3600).default(600),
  AUTH_MAX_ATTEMPTS: int(1, 20).default(3),
  /** Sign-ins started per number and per client IP, per 10 minutes (429 with Retry-After beyond). */
  AUTH_START_LIMIT_PER_NUMBER: int(1, 1_000_000).default(5),
  AUTH_START_LIMIT_PER_IP: int(1, 1_000_000).default(30),
  /** Distinct countries one client IP may start sign-ins to in 24 h; starts beyond are answered as usual but not sent. */
  AUTH_COUNTRIES_PER_IP: int(1, 250).default(5),
  /** A phone-number change needs a sign-in at most this many seconds old. */
  AUTH_REAUTH_MAX_AGE_SECONDS: int(30, 86_400).default(600),
  /** How long a session lasts, in seconds (30 days). */
  AUTH_SESSION_MAX_AGE_SECONDS: int(300, 31_536_000).default(2_592_000),
  /** Secret that signs session cookies; derived from TEXTGATE_SECRET when unset. */
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  /** Serve the Next.js pages from this process; false serves only the API (tests, API-only nodes). */
  SERVE_PAGES: bool.default(true),
  /** Serve the HTTP API from this process; false (with SERVE_PAGES=false) leaves a sockets-only node (`npm run start:ws`): upgrades and /healthz. */
  SERVE_API: bool.default(true),
  /** Redis for several nodes: shared limits and send budget, and events (SMS replies and owner decisions reach the node holding the socket); optional. */
  REDIS_URL: z.string().optional(),
  /** PostgreSQL connection pool size per process. */
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  /** Origins allowed to open WebSockets (comma-separated, exact match); empty means PUBLIC_URL's origin. */
  WS_ALLOWED_ORIGINS: list.default([]),
  /**
   * Origins that may frame the embeddable pages (/embed; comma-separated, exact `scheme://host[:port]`), in
   * their Content-Security-Policy `frame-ancestors`; empty: only this origin. Every other page may not be framed.
   */
  EMBED_ALLOWED_ORIGINS: list
    .default([])
    .refine((origins) => origins.every(isOrigin), "must be origins such as https://shop.example.com (scheme, host and port only; no path, no wildcard)"),
  /** Open sockets (pending or admitted) per user; more are refused with 429. */
  WS_MAX_CONNECTIONS_PER_USER: int(1, 10_000).default(5),
  /** Messages per second one socket may send; more close it with 4008. */
  WS_MESSAGES_PER_SECOND: int(1, 10_000).default(20),
  /** Heartbeat: ping every socket and re-check its session this often, in milliseconds. */
  WS_HEARTBEAT_MS: int(100, 600_000).default(15_000),
  /** How long the demo socket endpoints (/ws/demo/*) wait for a unit (code, SMS reply), in milliseconds. */
  WS_DEMO_UNIT_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  /** Validity of codes started through the Twilio-compatible API (Twilio: 10 minutes; Support can set 2 min–24 h). */
  COMPAT_TWILIO_VALID_FOR_SECONDS: int(1, 86_400).default(600),
  /** Validity of codes started through the Textmagic-compatible API. */
  COMPAT_TEXTMAGIC_VALID_FOR_SECONDS: int(1, 604_800).default(300),
  /** The `price` the Textmagic-compatible API answers with. */
  COMPAT_TEXTMAGIC_PRICE: z.coerce.number().min(0).default(0),
  /**
   * Vonage applications whose JWTs the Vonage-compatible API accepts (comma-separated
   * `<application id>=<path to the application's public key, PEM>`); empty: Basic auth only.
   */
  COMPAT_VONAGE_JWT_APPLICATIONS: list.default([]),
  /** Owners' numbers (comma-separated E.164): texted by the owner-alert unit, and allowed on /owner. */
  OWNER_PHONES: list
    .default([])
    .refine((phones) => phones.every(isE164), "must be E.164 numbers, e.g. +12125550100"),
  /**
   * Test numbers (server/verification/test-numbers.ts), comma-separated `<E.164>=<code>`, e.g.
   * `+12125550100=123456`: nothing is sent to them and the fixed code checks; every other rule applies.
   */
  TEST_NUMBERS: list.default([]),
  /** When test numbers stop working: `2027-06-30` (through that day, UTC) or an ISO 8601 time; required with TEST_NUMBERS. */
  TEST_NUMBERS_VALID_UNTIL: z.string().optional(),
  /**
   * Webhooks (server/webhooks/): allow URLs that resolve to loopback, private, link-local or metadata
   * addresses, and plain http://, in production (development always allows loopback).
   */
  WEBHOOKS_ALLOW_PRIVATE_URLS: bool.default(false),
  /** How often the webhook dispatcher looks for new events and due retries, in milliseconds. */
  WEBHOOKS_INTERVAL_MS: int(20, 60_000).default(250),
  /**
   * Whether this node delivers webhooks (default true). With several nodes on one PostgreSQL database,
   * false on the API nodes leaves delivery to the others (every node still writes events and serves the stream).
   */
  WEBHOOKS_DELIVER: bool.default(true),
  /** How long a node holds a webhook delivery it is sending before another node may take it over. */
  WEBHOOKS_LEASE_MS: int(1000, 600_000).default(30_000),
  /**
   * Bearer token of GET /metrics (Prometheus text, this node's counts; server/http/metrics.ts); unset: no
   * /metrics route. At least 16 characters, e.g. `openssl rand -hex 24`.
   */
  METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 24)").optional(),
  /**
   * OTLP/HTTP endpoint of an OpenTelemetry collector (`http://localhost:4318`; `/v1/traces` is appended):
   * when set, spans of API requests, engine operations and carrier calls are exported there. Unset: no
   * tracing SDK is loaded. The SDK's own variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, …) apply.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** `service.name` of the exported spans. */
  OTEL_SERVICE_NAME: z.string().min(1).default("textgate"),
});

/** `https://host[:port]` or `http://…` exactly as a browser serialises an origin (so nothing else reaches a CSP). */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    // A host name or IPv4 address (no wildcard: CSP would read `*.` as one), as the URL parser wrote it back.
    return (url.protocol === "https:" || url.protocol === "http:") && /^[a-z0-9.-]+$/.test(url.hostname) && url.origin === value;
  } catch {
    return false;
  }
}

export type RawEnv = z.infer<typeof schema>;

export interface Config
  extends Omit<RawEnv, "TEXTGATE_SECRET" | "SMS_CARRIERS" | "VOICE_CARRIERS" | "PUBLIC_URL" | "NEXTAUTH_SECRET" | "TEST_NUMBERS" | "TEST_NUMBERS_VALID_UNTIL"> {
  TEXTGATE_SECRET: string;
  NEXTAUTH_SECRET: string;
  SMS_CARRIERS: string[];
  VOICE_CARRIERS: string[];
  PUBLIC_URL: string;
  database: DatabaseTarget;
  production: boolean;
  /** COMPAT_VONAGE_JWT_APPLICATIONS read at boot: each application id with its public key. */
  vonageJwtKeys: ReadonlyMap<string, crypto.KeyObject>;
  /** TEST_NUMBERS and TEST_NUMBERS_VALID_UNTIL read at boot (the raw text, which holds the codes, is not kept). */
  testNumbers: TestNumberSettings;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`textgate cannot start: the configuration is not valid.\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable and its default.`);
    this.name = "ConfigError";
  }
}

/** Reads a secret from ./data/secret, creating it on first use (development and tests only). */
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, "secret");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), now = new Date()): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`));
  }
  const { TEST_NUMBERS, TEST_NUMBERS_VALID_UNTIL, ...raw } = parsed.data;
  const problems: string[] = [];
  const production = raw.NODE_ENV === "production";

  let database: DatabaseTarget | undefined;
  try {
    database = resolveDatabaseTarget(raw.DATABASE_URL, cwd);
  } catch (error) {
    problems.push(`DATABASE_URL: ${(error as Error).message}`);
  }

  // Node refuses a headers timeout longer than the request timeout (http.createServer throws).
  if (raw.HTTP_HEADERS_TIMEOUT_MS > raw.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push("HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)");
  }

  const developmentCarriersAllowed = !production || raw.SANDBOX_IN_PRODUCTION;
  const defaultCarriers = developmentCarriersAllowed ? ["sandbox"] : [];
  const SMS_CARRIERS = raw.SMS_CARRIERS?.length ? raw.SMS_CARRIERS : defaultCarriers;
  const VOICE_CARRIERS = raw.VOICE_CARRIERS?.length ? raw.VOICE_CARRIERS : defaultCarriers;
  if (!SMS_CARRIERS.length) {
    problems.push("SMS_CARRIERS: no carrier is configured for production; name one, or set SANDBOX_IN_PRODUCTION=true to run with the sandbox carrier");
  }
  const development = [...SMS_CARRIERS, ...VOICE_CARRIERS].filter(isDevelopmentCarrier);
  if (!developmentCarriersAllowed && development.length) {
    problems.push(
      `SMS_CARRIERS/VOICE_CARRIERS: ${[...new Set(development)].join(" and ")} show codes to whoever reads them and are refused in production unless SANDBOX_IN_PRODUCTION=true`,
    );
  }

  let secret = raw.TEXTGATE_SECRET;
  if (!secret) {
    if (production) problems.push("TEXTGATE_SECRET: required in production (32+ random characters, e.g. `openssl rand -base64 32`)");
    else secret = developmentSecret(path.resolve(cwd, "data"));
  }
  if (raw.GUESS_LOCK_AFTER_FAILURES > raw.GUESS_MAX_FAILURES_PER_DAY) {
    problems.push(
      `GUESS_LOCK_AFTER_FAILURES (${raw.GUESS_LOCK_AFTER_FAILURES}) must not exceed GUESS_MAX_FAILURES_PER_DAY (${raw.GUESS_MAX_FAILURES_PER_DAY})`,
    );
  }
  for (const country of raw.ALLOWED_COUNTRIES) {
    if (!/^[A-Z]{2}$/.test(country)) problems.push(`ALLOWED_COUNTRIES: "${country}" is not an upper-case ISO 3166-1 alpha-2 code`);
  }
  const vonageJwtKeys = readVonageJwtKeys(raw.COMPAT_VONAGE_JWT_APPLICATIONS, cwd, problems);
  const testNumbers = readTestNumbers({
    entries: TEST_NUMBERS,
    validUntil: TEST_NUMBERS_VALID_UNTIL,
    policy: { allowedCountries: raw.ALLOWED_COUNTRIES, blockedLineTypes: raw.BLOCKED_LINE_TYPES },
    ownerPhones: raw.OWNER_PHONES,
    now,
  });
  problems.push(...testNumbers.problems);
  if (problems.length || !database || !secret) throw new ConfigError(problems);

  return {
    ...raw,
    TEXTGATE_SECRET: secret,
    NEXTAUTH_SECRET:
      raw.NEXTAUTH_SECRET ??
      Buffer.from(crypto.hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), "textgate/nextauth/v1", 32)).toString("base64url"),
    SMS_CARRIERS,
    VOICE_CARRIERS,
    PUBLIC_URL: raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`,
    database,
    production,
    vonageJwtKeys,
    testNumbers: testNumbers.settings,
  };
}

/** `<application id>=<public key path>` entries: each file read and parsed as an RSA public key now, at boot. */
function readVonageJwtKeys(entries: readonly string[], cwd: string, problems: string[]): Map<string, crypto.KeyObject> {
  const keys = new Map<string, crypto.KeyObject>();
  for (const entry of entries) {
    const at = entry.indexOf("=");
    const applicationId = entry.slice(0, at).trim();
    const file = entry.slice(at + 1).trim();
    if (at < 1 || !file) {
      problems.push(`COMPAT_VONAGE_JWT_APPLICATIONS: "${entry}" is not <application id>=<path to its public key>`);
      continue;
    }
    try {
      const key = crypto.createPublicKey(fs.readFileSync(path.resolve(cwd, file)));
      if (key.asymmetricKeyType !== "rsa") throw new Error(`it is a ${key.asymmetricKeyType ?? "non-RSA"} key; Vonage signs with RS256`);
      keys.set(applicationId, key);
    } catch (error) {
      problems.push(`COMPAT_VONAGE_JWT_APPLICATIONS: the public key of ${applicationId} (${file}) cannot be used: ${(error as Error).message}`);
    }
  }
  return keys;
}
