/**
 * `textgate/next-auth`: sign-in by phone for next-auth, in two modes chosen by what `textgate` is.
 *
 * - Remote: a host app that keeps its own users and next-auth sessions and talks to a textgate server
 *   over its REST API with an API key.
 *
 *     const textgate = { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! };
 *     providers: [SmsProvider({ textgate })]                      // next-auth options
 *     export const { POST } = createSmsAuthRoutes({ textgate }).start;   // app/api/auth/sms/start/route.ts
 *
 *   The routes send codes only within per-IP and per-number limits (so the host is not an open SMS
 *   relay), only for sign-in (`purpose`), and the provider accepts only verifications of that purpose.
 *
 * - In process: `textgate` is a Textgate built in this process by createTextgate (server/textgate.ts),
 *   or a function returning it. Codes, limits (AUTH_START_LIMIT_PER_IP, AUTH_START_LIMIT_PER_NUMBER, the
 *   country spread), users and server-side sessions are that textgate's own (server/auth/sign-in.ts);
 *   textgate's own /login runs this way (server/auth/sign-in-routes.ts).
 *
 * The pages' side is `nextAuthAdapter` of `textgate/react`, which posts to these routes.
 */
import credentialsModule from "next-auth/providers/credentials";
import { z } from "zod";
import type { AuthClientConfig, SmsChallenge } from "../../lib/auth/contract.ts";
import { DEFAULT_SIGN_IN_CODE, SignInFailure, signInCredentialsSchema, UNREADABLE_CODE } from "../../lib/auth/credentials.ts";
import type { TextgateClient, Verification } from "../../lib/client/index.ts";
import { ERRORS, isTextgateRequestError } from "../../lib/errors.ts";
import { clientIpOf, consume, errorJson, guarded, json, limiter, readBody, type Route } from "./http.ts";
import { type InProcessTextgate, isInProcess } from "./in-process.ts";
import { clientOf, type RemoteTextgate } from "./remote.ts";

export { clientIpOf, type InProcessTextgate, type RemoteTextgate };

// next-auth 4 ships CommonJS: Next's bundler hands over the factory, while Node's own ESM loader (a
// custom server building textgate in process) hands over the module with the factory as `default`.
const CredentialsProvider = ((credentialsModule as unknown as { default?: typeof credentialsModule }).default ?? credentialsModule) as typeof credentialsModule;

export interface SmsSignInOptions {
  /** The textgate server or a client of it (remote mode), or a textgate of this process (in-process mode). */
  textgate: RemoteTextgate | TextgateClient | InProcessTextgate | (() => InProcessTextgate);
  /** What verifications for sign-in are created with, and what the provider accepts; "login" by default. */
  purpose?: string;
  channel?: "sms" | "voice";
  /** 4–10 digits (or letters with `alphanumeric`); 6 by default. */
  codeLength?: number;
  alphanumeric?: boolean;
  /** Seconds a code works; 600 by default. */
  validFor?: number;
  /** Wrong codes a verification takes; 3 by default. */
  maxAttempts?: number;
  /** The brand in the text; the textgate server's DEFAULT_BRAND when unset. */
  brand?: string;
}

export interface SmsAuthRoutesOptions extends SmsSignInOptions {
  /** Remote mode: codes sent to one number per 10 minutes; 5 by default (in process, the textgate's AUTH_START_LIMIT_PER_NUMBER). */
  limitPerNumber?: number;
  /** Remote mode: codes (and resends) asked for by one client IP per 10 minutes; 20 by default (in process, AUTH_START_LIMIT_PER_IP). */
  limitPerIp?: number;
  /**
   * The client's address when your server knows it better than X-Forwarded-For (textgate's own server
   * sets a header no client can send); takes the place of `trustedProxies`.
   */
  clientIp?: (request: Request) => string;
  /**
   * Proxies in front of the app that append to X-Forwarded-For (a load balancer: 1; a CDN before it: 2).
   * The client IP is the entry appended by the first of them: the header's last entry with one proxy, the
   * one before it with two. Set it right: too high lets a client choose its IP with a forged header, too
   * low puts every visitor behind a proxy's one address. With no proxy (0, the default) the header is
   * whatever the client sent, as Next fills it in from the connection only when it is missing: a custom
   * server should then set it from the socket (examples/next-host/server.mjs does), else one client can
   * spread its requests over made-up IPs and only the per-number limit holds.
   */
  trustedProxies?: number;
  /** ISO country preselected in phone inputs ("US" by default). */
  defaultCountry?: string;
  /** Whether the textgate server runs the sandbox carrier (pages then link to its handset). */
  sandbox?: boolean;
}

export interface SmsAuthRoutes {
  /** POST <basePath>/sms/start `{ phone, country? }` → SmsChallenge. */
  start: { POST: Route };
  /** POST <basePath>/sms/resend `{ verificationId }` → SmsChallenge. */
  resend: { POST: Route };
  /** GET <basePath>/sms/config → AuthClientConfig. */
  config: { GET: Route };
}

const DEFAULTS = { purpose: "login", ...DEFAULT_SIGN_IN_CODE } as const;

function settingsOf(options: SmsSignInOptions) {
  return { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & SmsSignInOptions;
}

function challengeOf(v: Verification, resendAfterSeconds = 30): SmsChallenge {
  return {
    verificationId: v.id,
    to: v.to,
    channel: v.channel,
    codeLength: v.codeLength,
    alphanumeric: v.alphanumeric,
    attemptsLeft: v.attemptsLeft,
    expiresAt: v.expiresAt,
    resendAvailableAt: new Date(Date.now() + resendAfterSeconds * 1000).toISOString(),
  };
}

const startSchema = z.strictObject({ phone: z.string().min(1).max(64), country: z.string().regex(/^[A-Za-z]{2}$/).optional() });
const resendSchema = z.strictObject({ verificationId: z.string().min(1).max(64) });

/** The in-process textgate of `textgate` (read per request when it is a function), or null in remote mode. */
function inProcessOf(textgate: SmsSignInOptions["textgate"]): (() => InProcessTextgate) | null {
  if (!isInProcess(textgate)) return null;
  return typeof textgate === "function" ? textgate : () => textgate;
}

/** What the in-process sign-in is told of a host's code settings: only those it set. */
function codeOverrides(options: SmsSignInOptions) {
  const { channel, codeLength, alphanumeric, validFor, maxAttempts, brand } = options;
  return Object.fromEntries(Object.entries({ channel, codeLength, alphanumeric, validFor, maxAttempts, brand }).filter(([, v]) => v !== undefined));
}

export function createSmsAuthRoutes(options: SmsAuthRoutesOptions): SmsAuthRoutes {
  const ipOf = options.clientIp ?? ((request: Request) => clientIpOf(request, options.trustedProxies ?? 0));
  const local = inProcessOf(options.textgate);
  if (local) {
    const code = codeOverrides(options);
    return {
      start: { POST: guarded(async (request) => local().auth.signIn.start(request, ipOf(request), code)) },
      resend: { POST: guarded(async (request) => local().auth.signIn.resend(request, ipOf(request))) },
      config: { GET: guarded(async () => local().auth.signIn.config(code)) },
    };
  }
  const client = clientOf(options.textgate as RemoteTextgate | TextgateClient);
  const settings = settingsOf(options);
  const perNumber = limiter(options.limitPerNumber ?? 5, "tg-number");
  const perIp = limiter(options.limitPerIp ?? 20, "tg-ip");

  return {
    start: {
      POST: guarded(async (request) => {
        const body = await readBody(request, startSchema);
        const limited = (await consume(perIp, ipOf(request))) ?? (await consume(perNumber, body.phone.replace(/[^\d+]/g, "")));
        if (limited) return limited;
        const verification = await client.verifications.create({
          to: body.phone,
          ...(body.country && !body.phone.trim().startsWith("+") ? { country: body.country } : {}),
          purpose: settings.purpose,
          channel: settings.channel,
          codeLength: settings.codeLength,
          alphanumeric: settings.alphanumeric,
          validFor: settings.validFor,
          maxAttempts: settings.maxAttempts,
          ...(settings.brand ? { brand: settings.brand } : {}),
        });
        return json(challengeOf(verification));
      }),
    },
    resend: {
      POST: guarded(async (request) => {
        const { verificationId } = await readBody(request, resendSchema);
        const limited = await consume(perIp, ipOf(request));
        if (limited) return limited;
        const current = await client.verifications.get(verificationId);
        if (current.purpose !== settings.purpose) return errorJson("verification_not_found", 404, ERRORS.verification_not_found.message);
        const limitedNumber = await consume(perNumber, current.to);
        if (limitedNumber) return limitedNumber;
        return json(challengeOf(await client.verifications.resend(verificationId)));
      }),
    },
    config: {
      GET: async () =>
        json({
          sandbox: options.sandbox ?? false,
          codeLength: settings.codeLength,
          alphanumeric: settings.alphanumeric,
          channel: settings.channel,
          defaultCountry: options.defaultCountry ?? "US",
        } satisfies AuthClientConfig),
    },
  };
}

export interface SmsProviderOptions extends SmsSignInOptions {
  /** Provider id (default "sms": `signIn("sms", …)`). */
  id?: string;
  name?: string;
  /**
   * Remote mode: your user for a verified number (create it on a first sign-in: passwordless sign-up).
   * Default: a user whose id is the number, for apps that keep no user table. In process, the users are
   * the textgate's own (its users table).
   */
  authorizeUser?: (phone: string, details: { name?: string }) => Promise<{ id: string; name?: string | null } | null>;
}

/** Checks a sign-in code on the textgate server; the verified number, or a SignInFailure saying why not. */
export async function checkSignInCode(client: TextgateClient, purpose: string, input: unknown): Promise<{ phone: string; name?: string }> {
  const parsed = signInCredentialsSchema.safeParse(input);
  if (!parsed.success) throw new SignInFailure(UNREADABLE_CODE);
  const { verificationId, code, name } = parsed.data;
  try {
    const verification = await client.verifications.get(verificationId);
    if (verification.purpose !== purpose || verification.status !== "pending") throw new SignInFailure({ kind: "expired_or_used" });
    const result = await client.verifications.check(verificationId, code);
    if (result.valid) return { phone: verification.to, ...(name?.trim() ? { name: name.trim() } : {}) };
    throw new SignInFailure(result.attemptsLeft > 0 ? { kind: "invalid_code", attemptsLeft: result.attemptsLeft } : { kind: "locked" });
  } catch (error) {
    if (error instanceof SignInFailure || !isTextgateRequestError(error)) throw error;
    if (error.code === "verification_not_found") throw new SignInFailure({ kind: "expired_or_used" });
    if (error.code === "too_many_failed_attempts") throw new SignInFailure({ kind: "too_many_failed_attempts", retryAfter: error.retryAfter ?? 1 });
    if (error.status === 400) throw new SignInFailure({ kind: "invalid_format", message: error.message });
    throw new SignInFailure({ kind: "unknown", message: "The verification server could not check the code. Try again." });
  }
}

/** The next-auth Credentials provider that signs in with a code checked on the textgate server. */
export function SmsProvider(options: SmsProviderOptions) {
  const credentials = {
    verificationId: { label: "Verification", type: "text" },
    code: { label: "Code", type: "text" },
    name: { label: "Display name", type: "text" },
  };
  const id = options.id ?? "sms";
  const name = options.name ?? "SMS";
  const local = inProcessOf(options.textgate);
  if (local) {
    return CredentialsProvider({
      id,
      name,
      credentials,
      async authorize(input) {
        const user = await local().auth.signIn.authorize(input);
        return { id: user.id, name: user.name, phone: user.phone, email: null, accountExisted: user.existed };
      },
    });
  }
  const client = clientOf(options.textgate as RemoteTextgate | TextgateClient);
  const { purpose } = settingsOf(options);
  const authorizeUser = options.authorizeUser ?? (async (phone: string, details: { name?: string }) => ({ id: phone, name: details.name ?? null }));
  return CredentialsProvider({
    id,
    name,
    credentials,
    async authorize(input) {
      const verified = await checkSignInCode(client, purpose, input);
      const user = await authorizeUser(verified.phone, { name: verified.name });
      return user ? { id: user.id, name: user.name ?? null, email: null, phone: verified.phone } : null;
    },
  });
}

export { createVerifyRoutes, type VerifyRoutesOptions } from "./verify-routes.ts";
