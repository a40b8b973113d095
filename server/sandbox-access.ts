/**
 * Who may use the sandbox (the /sandbox handset and every /api/sandbox/* and /api/v1/sandbox/* route).
 *
 * The sandbox shows every code it "sends" and lets its caller text in as any number, so whoever can use it
 * can sign in as anyone and, replying from an owner's number, admit an owner-gated socket.
 *
 * - In development (and tests, NODE_ENV ≠ production) it stays open: zero setup on a developer's machine.
 * - In production (only with SANDBOX_IN_PRODUCTION=true, since the sandbox carrier is refused otherwise)
 *   a caller must be one of:
 *   - an API key (`Authorization: Bearer <key>`, server/http/auth.ts): automated tests;
 *   - a signed-in owner: the next-auth session cookie, decoded with NEXTAUTH_SECRET, whose auth_sessions
 *     row is valid (not revoked, not expired) and whose user's number is in OWNER_PHONES.
 *   Anyone else gets 401 `unauthorized`; a signed-in user who is not an owner gets 403 `forbidden`.
 *   A Bearer header that is present but wrong is 401 even with an owner's cookie beside it: a caller gets
 *   the answer for the credential it chose.
 */
import type { IncomingMessage } from "node:http";
import { decodeJwt } from "./auth/jwt.ts";
import { TextgateError } from "../lib/errors.ts";
import type { ApiKeyAuthenticator, ApiKeyIdentity } from "./api-keys.ts";
import type { SessionStore, ValidSession } from "./auth/sessions.ts";
import { parseBearer } from "./http/auth.ts";
import { cookieValue } from "./ws/upgrade.ts";

export type SandboxCaller = { via: "development" } | { via: "api_key"; key: ApiKeyIdentity } | { via: "owner"; session: ValidSession };

export interface SandboxAccessOptions {
  production: boolean;
  owners: readonly string[];
  /** next-auth's session cookie name (server/ws/index.ts `sessionCookieName`). */
  cookieName: string;
  /** NEXTAUTH_SECRET. */
  secret: string;
  sessions: Pick<SessionStore, "validate">;
  authenticate: ApiKeyAuthenticator;
}

/** Resolves the caller of a sandbox request, or throws 401 unauthorized / 403 forbidden (see above). */
export type SandboxAccess = (req: IncomingMessage) => Promise<SandboxCaller>;

const SIGN_IN_FIRST =
  "In production the sandbox is for owners only: sign in with a number in OWNER_PHONES, or send an API key (Authorization: Bearer <key>).";
const NOT_AN_OWNER = "Only owners (OWNER_PHONES) may use the sandbox in production.";

export function createSandboxAccess(options: SandboxAccessOptions): SandboxAccess {
  const owners = new Set(options.owners);
  return async (req) => {
    if (!options.production) return { via: "development" };
    if (req.headers.authorization !== undefined) {
      const token = parseBearer(req.headers.authorization);
      const key = token === null ? null : await options.authenticate(token);
      if (!key) throw new TextgateError("unauthorized");
      return { via: "api_key", key };
    }
    const cookie = cookieValue(req.headers.cookie, options.cookieName);
    const jwt = cookie ? await decodeJwt({ token: cookie, secret: options.secret }).catch(() => null) : null;
    const session = jwt && typeof jwt.sid === "string" ? await options.sessions.validate(jwt.sid) : null;
    if (!session) throw new TextgateError("unauthorized", SIGN_IN_FIRST);
    if (!session.user.phone || !owners.has(session.user.phone)) throw new TextgateError("forbidden", NOT_AN_OWNER);
    return { via: "owner", session };
  };
}

/** The handset page and anything Next serves under it (`/sandbox`, `/sandbox/…`, `/sandbox.txt`, RSC requests). */
export function isSandboxPage(pathname: string): boolean {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape: judged as written (Next answers it 400 or 404 anyway).
  }
  return /^\/+sandbox(?:[/.]|$)/i.test(decoded);
}
