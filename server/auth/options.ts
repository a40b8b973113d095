/**
 * textgate's next-auth configuration.
 *
 * Session strategy: JWT carrying a server-side session id. next-auth 4 runs Credentials providers
 * (ours) only with JWT sessions; a JWT alone cannot be ended before it expires, so each token names a
 * row of `auth_sessions` and every session read checks that row. Signing out revokes it, "sign out
 * everywhere" revokes all rows of the user, and the WebSocket server can validate a cookie the same
 * way (decode the JWT, then check the row).
 */
import type { NextAuthOptions, Session } from "next-auth";
import type { Logger } from "pino";
import type { AuthSettings } from "../config-sections.ts";
import type { InProcessSignIn } from "../kit/in-process.ts";
import { SmsProvider } from "../kit/next-auth.ts";
import { decodeJwt, encodeJwt } from "./jwt.ts";
import type { SessionStore } from "./sessions.ts";

/**
 * Where next-auth may send the browser after signing in or out: `url` when it is on this origin (a path,
 * or an absolute URL of the same origin), else the origin itself, as next-auth's default does, but never
 * throwing, whatever `url` holds (it comes from a query string, a form field or a cookie).
 */
export function sameOriginRedirect(url: unknown, baseUrl: string): string {
  if (typeof url !== "string" || url === "") return baseUrl;
  // "//evil.example" and "/\evil.example" are other origins to a browser although they start with "/".
  if (url.startsWith("/") && !url.startsWith("//") && !url.startsWith("/\\")) {
    try {
      const resolved = new URL(url, baseUrl);
      if (resolved.origin === new URL(baseUrl).origin) return resolved.href;
    } catch {
      return baseUrl;
    }
    return baseUrl;
  }
  try {
    const resolved = new URL(url);
    return resolved.origin === new URL(baseUrl).origin ? resolved.href : baseUrl;
  } catch {
    return baseUrl;
  }
}

/** jose's error name or code ("JWEDecryptionFailed", "ERR_JWE_INVALID"); next-auth's formatError keeps the code, not always the name. */
function errorName(metadata: unknown): string {
  const e = ((metadata as { error?: unknown } | null)?.error ?? metadata) as { name?: unknown; code?: unknown } | null;
  return [e?.name, e?.code].filter((v) => typeof v === "string" && v !== "").join(" ");
}

/**
 * A session cookie that is not a token this server sealed (garbage, or sealed with another NEXTAUTH_SECRET):
 * jose's JWE/JWT errors, which next-auth logs as JWT_SESSION_ERROR or SIGNOUT_ERROR. Anyone can send one,
 * so it is a warning; the reader gets "no session" as usual.
 */
function isUndecodableToken(metadata: unknown): boolean {
  return /(^|\s)(JWE|JWT|JWS|JOSE|ERR_JW[ESTK]|ERR_JOSE)/.test(errorName(metadata));
}

export interface AuthOptionsDeps {
  settings: Pick<AuthSettings, "nextAuthSecret" | "sessionMaxAgeSeconds" | "publicUrl">;
  sessions: SessionStore;
  signIn: InProcessSignIn;
  logger: Logger;
}

/** textgate's own next-auth options: the in-process mode of `textgate/next-auth`'s SmsProvider, with server-side sessions. */
export function nextAuthOptions({ settings, sessions, signIn, logger }: AuthOptionsDeps): NextAuthOptions {
  return {
    secret: settings.nextAuthSecret,
    providers: [SmsProvider({ textgate: { auth: { signIn } } })],
    session: { strategy: "jwt", maxAge: settings.sessionMaxAgeSeconds },
    // next-auth's own token format, with the key derived once per secret instead of per call (server/auth/jwt.ts).
    jwt: { encode: encodeJwt, decode: decodeJwt },
    pages: { signIn: "/login", error: "/login" },
    useSecureCookies: settings.publicUrl.startsWith("https://"),
    callbacks: {
      // The default callback throws on a relative URL without a leading slash (`?callbackUrl=abc` was a 500).
      redirect: ({ url, baseUrl }) => sameOriginRedirect(url, baseUrl),
      async jwt({ token, user }) {
        if (user) {
          const session = await sessions.create(user.id);
          token.sid = session.id;
          token.authAt = session.createdAt.toISOString();
          token.sub = user.id;
          token.accountExisted = user.accountExisted === true;
        }
        return token;
      },
      async session({ session, token }) {
        const valid = await sessions.validate(typeof token.sid === "string" ? token.sid : null);
        // An empty object is "no session" to next-auth's client and getServerSession alike.
        if (!valid) return {} as Session;
        return {
          expires: session.expires,
          authenticatedAt: valid.createdAt.toISOString(),
          accountExisted: token.accountExisted === true,
          user: { id: valid.user.id, name: valid.user.name, phone: valid.user.phone, email: null, image: null },
        };
      },
    },
    events: {
      async signOut({ token }) {
        await sessions.revoke(typeof token?.sid === "string" ? token.sid : null);
      },
    },
    logger: {
      // `nextAuthCode`, not `code`: the logger redacts every field named code (server/logger.ts).
      error: (code, metadata) => {
        if (isUndecodableToken(metadata)) logger.warn({ nextAuthCode: code, reason: errorName(metadata) }, "next-auth: a session cookie that does not decode");
        else logger.error({ nextAuthCode: code, metadata }, "next-auth error");
      },
      warn: (code) => logger.warn({ nextAuthCode: code }, "next-auth warning"),
      debug: () => {},
    },
  };
}
