/**
 * Adapters that let <VerifyFlow> talk to a backend: `nextAuthAdapter` for sites that sign in with textgate's
 * next-auth provider (the /api/auth/sms/* endpoints plus `signIn("sms")`), and `restAdapter` for sites that only
 * proxy textgate's REST API (their backend adds the API key). Both map answers to the contract's shapes.
 */
import type { SignInError, SmsChallenge } from "../../lib/auth/contract.ts";
import { parseSignInError } from "../../lib/auth/contract.ts";
import { describeWait } from "../../lib/durations.ts";
import { isTextgateRequestError, requestErrorFrom, TextgateRequestError } from "../../lib/errors.ts";

export interface VerifyExtra {
  /** Display name for a new account (passwordless sign-up). */
  name?: string;
}

export type VerifyResult = { ok: true } | { ok: false; error: SignInError };

export interface VerifyAdapter {
  /** Sends a code to `phone` (E.164). Throws a TextgateRequestError when the server refuses. */
  start(phone: string, country?: string): Promise<SmsChallenge>;
  /** Checks a code. Wrong, expired and locked codes are results, not exceptions. */
  verify(challenge: SmsChallenge, code: string, extra?: VerifyExtra): Promise<VerifyResult>;
  /** Sends the code again. A 404 (TextgateRequestError.status) means: start a new verification. */
  resend(challenge: SmsChallenge): Promise<SmsChallenge>;
}

/** "Too many requests — try again in 10 min" (or without the time when the server did not say). */
export function tooManyRequestsMessage(retryAfter: number | undefined): string {
  return retryAfter && retryAfter > 0 ? `Too many requests — try again in ${describeWait(Math.ceil(retryAfter))}` : "Too many requests — try again later";
}

/**
 * What to tell the user after Resend: a resend repeats the same code (the verification is the same),
 * while a locked or expired one is replaced by a new verification with a new code.
 */
export function resentMessage(previous: { verificationId: string }, next: { verificationId: string; to: string }, formatNumber: (e164: string) => string): string {
  return next.verificationId === previous.verificationId
    ? `We sent the same code again to ${formatNumber(next.to)}.`
    : `We sent a new code to ${formatNumber(next.to)}.`;
}

/** Reads a textgate error body (lib/errors.ts); a 429 is told as "Too many requests — try again in …". */
export async function toRequestError(response: Response): Promise<TextgateRequestError> {
  const error = await requestErrorFrom(response);
  if (response.status !== 429) return error;
  return new TextgateRequestError(error.status, error.code, tooManyRequestsMessage(error.retryAfter), error.retryAfter);
}

/** POSTs JSON and returns the parsed answer, or throws a TextgateRequestError. */
export async function postJson<T>(url: string, body: unknown, headers?: HeadersInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", ...headersObject(headers) },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new TextgateRequestError(0, "network_error", "Could not reach the server. Check your connection and try again.");
  }
  if (!response.ok) throw await toRequestError(response);
  return (await response.json()) as T;
}

function headersObject(headers: HeadersInit | undefined): Record<string, string> {
  return headers ? Object.fromEntries(new Headers(headers).entries()) : {};
}

/** The last wrong attempt locks the verification: show it as locked rather than "no attempts left". */
export function normalizeSignInError(error: SignInError): SignInError {
  if (error.kind === "invalid_code" && error.attemptsLeft <= 0) return { kind: "locked" };
  // next-auth's own codes ("CredentialsSignin", "Callback") mean nothing to a person.
  if (error.kind === "unknown" && /^[A-Z][A-Za-z]+$/.test(error.message)) {
    return { kind: "unknown", message: "Sign-in failed. Request a new code and try again." };
  }
  return error;
}

/** Only same-origin paths: "/account" yes, "//evil.example", "https://…" and "/\\evil" no. */
export function safeCallbackUrl(value: string | null | undefined, fallback = "/account"): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  return value;
}

export interface NextAuthAdapterOptions {
  /** Where to go after signing in; a same-origin path. */
  callbackUrl: string;
  /**
   * Where the app serves next-auth and textgate's sign-in routes (`<basePath>/sms/start`,
   * `<basePath>/sms/resend`); "/api/auth" by default, next-auth's own default.
   */
  basePath?: string;
  /** Display name for a new account (can also be passed per call as `extra.name`). */
  name?: string;
  /** The next-auth provider id; "sms" by default. */
  providerId?: string;
  /** Navigate to `callbackUrl` after a successful sign-in; true by default. */
  navigate?: boolean;
  /**
   * How to post the code to next-auth: `signIn` from next-auth/react (loaded when a code is checked) by
   * default. The /login page passes `postCredentials` (credentials-sign-in.ts), which needs no React.
   */
  signIn?: CredentialsSignIn;
}

/** The part of next-auth/react's `signIn(provider, { redirect: false, … })` the adapter uses. */
export type CredentialsSignIn = (
  providerId: string,
  fields: Record<string, string>,
) => Promise<{ ok: boolean; status: number; error: string | null | undefined } | undefined>;

const nextAuthReactSignIn: CredentialsSignIn = async (providerId, fields) => {
  const { signIn } = await import("next-auth/react");
  return signIn(providerId, { redirect: false, ...fields });
};

/**
 * Signs in with textgate's next-auth provider. next-auth/react is loaded only when a code is checked, so pages
 * that show the phone step first do not pay for it up front.
 */
export function nextAuthAdapter(options: NextAuthAdapterOptions): VerifyAdapter {
  const callbackUrl = safeCallbackUrl(options.callbackUrl, "/");
  const base = (options.basePath ?? "/api/auth").replace(/\/+$/, "");
  return {
    start: (phone, country) => postJson<SmsChallenge>(`${base}/sms/start`, country ? { phone, country } : { phone }),
    resend: (challenge) => postJson<SmsChallenge>(`${base}/sms/resend`, { verificationId: challenge.verificationId }),
    async verify(challenge, code, extra) {
      const signIn = options.signIn ?? nextAuthReactSignIn;
      const name = (extra?.name ?? options.name)?.trim();
      let result: Awaited<ReturnType<CredentialsSignIn>>;
      try {
        result = await signIn(options.providerId ?? "sms", {
          verificationId: challenge.verificationId,
          code,
          ...(name ? { name } : {}),
          callbackUrl,
        });
      } catch {
        return { ok: false, error: { kind: "unknown", message: "Could not reach the server. Check your connection and try again." } };
      }
      if (!result) return { ok: false, error: { kind: "unknown", message: "Sign-in failed. Try again." } };
      if (result.error) return { ok: false, error: normalizeSignInError(parseSignInError(result.error)) };
      if (result.status === 429) return { ok: false, error: { kind: "unknown", message: tooManyRequestsMessage(undefined) } };
      if (!result.ok) return { ok: false, error: { kind: "unknown", message: "Sign-in failed. Try again." } };
      if (options.navigate !== false) window.location.assign(callbackUrl);
      return { ok: true };
    },
  };
}

export interface RestAdapterOptions {
  /** Where the site proxies textgate's /api/v1, e.g. "/api/textgate". The proxy adds the API key. */
  baseUrl: string;
  headers?: HeadersInit;
  /** Seconds before "Resend code" is offered (textgate's RESEND_COOLDOWN_SECONDS); 30 by default. */
  resendCooldownSeconds?: number;
}

interface RestVerification {
  id: string;
  to: string;
  channel: string;
  codeLength: number;
  alphanumeric: boolean;
  attemptsLeft: number;
  expiresAt: string;
}

interface RestCheck {
  valid: boolean;
  status: string;
  attemptsLeft: number;
}

/** Verifies against textgate's REST API through the site's own proxy, without next-auth. */
export function restAdapter(options: RestAdapterOptions): VerifyAdapter {
  const base = options.baseUrl.replace(/\/+$/, "");
  const cooldown = options.resendCooldownSeconds ?? 30;
  const toChallenge = (v: RestVerification): SmsChallenge => ({
    verificationId: v.id,
    to: v.to,
    channel: v.channel === "voice" ? "voice" : "sms",
    codeLength: v.codeLength,
    alphanumeric: v.alphanumeric,
    attemptsLeft: v.attemptsLeft,
    expiresAt: v.expiresAt,
    resendAvailableAt: new Date(Date.now() + cooldown * 1000).toISOString(),
  });
  const path = (id: string, action: string) => `${base}/verifications/${encodeURIComponent(id)}/${action}`;

  return {
    start: async (phone, country) =>
      toChallenge(await postJson<RestVerification>(`${base}/verifications`, country && !phone.startsWith("+") ? { to: phone, country } : { to: phone }, options.headers)),
    resend: async (challenge) => toChallenge(await postJson<RestVerification>(path(challenge.verificationId, "resend"), {}, options.headers)),
    async verify(challenge, code) {
      let check: RestCheck;
      try {
        check = await postJson<RestCheck>(path(challenge.verificationId, "check"), { code }, options.headers);
      } catch (error) {
        if (!isTextgateRequestError(error)) throw error;
        if (error.status === 404) return { ok: false, error: { kind: "expired_or_used" } };
        if (error.status === 400) return { ok: false, error: { kind: "invalid_format", message: error.message } };
        return { ok: false, error: { kind: "unknown", message: error.message } };
      }
      if (check.valid) return { ok: true };
      if (check.status === "max_attempts_reached" || (check.status === "pending" && check.attemptsLeft <= 0)) {
        return { ok: false, error: { kind: "locked" } };
      }
      if (check.status !== "pending") return { ok: false, error: { kind: "expired_or_used" } };
      return { ok: false, error: { kind: "invalid_code", attemptsLeft: check.attemptsLeft } };
    },
  };
}
