/**
 * Each feature's own part of the configuration: createTextgate (server/textgate.ts) hands a feature its
 * section, never the whole `Config`, so what a feature reads is visible in its type and a host (or a test)
 * can build one feature with only the settings it needs. The HTTP API (with the compatible APIs) takes
 * its part as `ApiRuntime["config"]` (server/http/types.ts), a `Pick` of the few variables it reads.
 */
import type { SignInCode } from "../lib/auth/credentials.ts";
import type { Config } from "./env.ts";
import type { EngineDefaults } from "./verification/engine.ts";
import type { NoticeSettings } from "./verification/notices.ts";
import type { TestNumberSettings } from "./verification/test-numbers.ts";

export type { NoticeSettings };

/** How sign-in codes are sent (AUTH_*), unless a caller of the sign-in says otherwise. */
export type SignInCodeSettings = SignInCode;

export interface AuthSettings {
  code: SignInCodeSettings;
  sessionMaxAgeSeconds: number;
  reauthMaxAgeSeconds: number;
  resendCooldownSeconds: number;
  countriesPerIp: number;
  startLimitPerIp: number;
  startLimitPerNumber: number;
  nextAuthSecret: string;
  publicUrl: string;
  /** Preselected in phone inputs: the first of ALLOWED_COUNTRIES, else US. */
  defaultCountry: string;
  /** Texts about an account (its number changed): brand and default language. */
  notices: NoticeSettings;
}

export interface OwnerSettings {
  phones: readonly string[];
  testNumbers: TestNumberSettings;
  notices: NoticeSettings;
  /** Only with REDIS_URL do events reach other nodes; the desk then leaves decisions to the node holding the socket. */
  crossNodeEvents: boolean;
  /** How often this node reports its open sockets (the census on /owner). */
  censusIntervalMs: number;
  /** The low-conversion alarm (server/owners/conversion-alarms.ts); threshold 0: off. */
  conversionAlarm: { threshold: number; minStarted: number; checkMs: number };
}

export interface SocketSettings {
  allowedOrigins: readonly string[];
  maxConnectionsPerUser: number;
  messagesPerSecond: number;
  heartbeatMs: number;
  unitTimeoutMs: number;
  publicUrl: string;
  nextAuthSecret: string;
  /** Keys the Reply unit's shared secrets (server/ws/units/reply.ts). */
  textgateSecret: string;
  notices: NoticeSettings;
}

export interface ConfigSections {
  /** The verification engine's defaults and policies (DEFAULT_*, destination policy, guessing limits, test numbers). */
  engine: EngineDefaults;
  auth: AuthSettings;
  owners: OwnerSettings;
  ws: SocketSettings;
}

export function configSections(config: Config): ConfigSections {
  const notices: NoticeSettings = { brand: config.DEFAULT_BRAND, defaultLocale: config.DEFAULT_LOCALE };
  return {
    engine: {
      brand: config.DEFAULT_BRAND,
      locale: config.DEFAULT_LOCALE,
      codeLength: config.DEFAULT_CODE_LENGTH,
      validForSeconds: config.DEFAULT_VALIDITY_SECONDS,
      maxAttempts: config.DEFAULT_MAX_ATTEMPTS,
      sender: config.DEFAULT_SENDER,
      pendingPolicy: config.PENDING_POLICY,
      resendCooldownSeconds: config.RESEND_COOLDOWN_SECONDS,
      allowedCountries: config.ALLOWED_COUNTRIES,
      blockedLineTypes: config.BLOCKED_LINE_TYPES,
      cancelMinAgeSeconds: config.CANCEL_MIN_AGE_SECONDS,
      guessLimits: { lockAfter: config.GUESS_LOCK_AFTER_FAILURES, maxPerDay: config.GUESS_MAX_FAILURES_PER_DAY },
      originHost: config.ORIGIN_BOUND_CODES ? new URL(config.PUBLIC_URL).hostname : null,
      appHash: config.ANDROID_APP_HASH ?? null,
      testNumbers: config.testNumbers,
    },
    auth: {
      code: {
        channel: config.AUTH_CHANNEL,
        codeLength: config.AUTH_CODE_LENGTH,
        alphanumeric: config.AUTH_CODE_ALPHANUMERIC,
        validFor: config.AUTH_CODE_VALIDITY_SECONDS,
        maxAttempts: config.AUTH_MAX_ATTEMPTS,
      },
      sessionMaxAgeSeconds: config.AUTH_SESSION_MAX_AGE_SECONDS,
      reauthMaxAgeSeconds: config.AUTH_REAUTH_MAX_AGE_SECONDS,
      resendCooldownSeconds: config.RESEND_COOLDOWN_SECONDS,
      countriesPerIp: config.AUTH_COUNTRIES_PER_IP,
      startLimitPerIp: config.AUTH_START_LIMIT_PER_IP,
      startLimitPerNumber: config.AUTH_START_LIMIT_PER_NUMBER,
      nextAuthSecret: config.NEXTAUTH_SECRET,
      publicUrl: config.PUBLIC_URL,
      defaultCountry: config.ALLOWED_COUNTRIES[0] ?? "US",
      notices,
    },
    owners: {
      phones: config.OWNER_PHONES,
      testNumbers: config.testNumbers,
      notices,
      crossNodeEvents: Boolean(config.REDIS_URL),
      censusIntervalMs: config.WS_HEARTBEAT_MS,
      conversionAlarm: {
        threshold: config.CONVERSION_ALARM_THRESHOLD,
        minStarted: config.CONVERSION_ALARM_MIN_STARTED,
        checkMs: config.CONVERSION_ALARM_CHECK_SECONDS * 1000,
      },
    },
    ws: {
      allowedOrigins: config.WS_ALLOWED_ORIGINS.length ? config.WS_ALLOWED_ORIGINS : [new URL(config.PUBLIC_URL).origin],
      maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
      messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
      heartbeatMs: config.WS_HEARTBEAT_MS,
      unitTimeoutMs: config.WS_DEMO_UNIT_TIMEOUT_MS,
      publicUrl: config.PUBLIC_URL,
      nextAuthSecret: config.NEXTAUTH_SECRET,
      textgateSecret: config.TEXTGATE_SECRET,
      notices,
    },
  };
}
