/**
 * Helpers for the auth route handlers that run inside Next (App Router): JSON in and out with the
 * one error shape, the client IP set by server.ts, and the current session.
 */
import { getServerSession, type Session } from "next-auth";
import { TextgateError } from "../../lib/errors.ts";
import { currentTextgate } from "../bridge.ts";
import { isClientAbort } from "../http/client-abort.ts";
import { errorAsResponse } from "../http/respond.ts";
import { assertSameOriginJson, publicOrigin } from "../http/same-origin.ts";
import type { Textgate } from "../textgate.ts";
import { invalidCallbackCookie } from "./nextauth-guard.ts";

import { CLIENT_IP_HEADER } from "./client-ip.ts";

export { CLIENT_IP_HEADER };
export { readJson } from "./read-json.ts";
export { jsonResponse as json } from "../http/respond.ts";

/** The answer to a failed auth route (server/http/respond.ts maps it); unexpected errors are logged. */
export function errorResponse(error: unknown, runtime?: Pick<Textgate, "logger">): Response {
  const response = errorAsResponse(error);
  if (response.status < 500) return response;
  if (isClientAbort(error)) {
    // The client went away mid-request: nobody reads this answer, and nothing is wrong with the server.
    runtime?.logger.debug({ err: error }, "client went away during an auth route");
  } else {
    runtime?.logger.error({ err: error }, "auth route failed");
  }
  return response;
}

/**
 * The CSRF guard (server/http/same-origin.ts) of every state-changing route under /api/account and
 * /api/owner: Origin is PUBLIC_URL's (403 cross_site_request) and the body JSON (415). Call it first.
 */
export function requireSameOrigin(request: Request, textgate: Textgate): void {
  assertSameOriginJson(
    { origin: request.headers.get("origin"), secFetchSite: request.headers.get("sec-fetch-site"), contentType: request.headers.get("content-type") },
    publicOrigin(textgate.sections.auth.publicUrl),
  );
}

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

export async function currentSession(textgate: Textgate): Promise<Session> {
  // getServerSession throws on a callback URL cookie next-auth refuses (nextauth-guard.ts says why): a 400, not a 500.
  const { cookies, headers } = await import("next/headers");
  const cookieHeader = (await cookies()).getAll().map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; ");
  if (invalidCallbackCookie(cookieHeader, `http://${(await headers()).get("host") ?? "localhost"}`)) {
    throw new TextgateError("invalid_request", "The callback URL cookie is not valid: sign in again.");
  }
  const session = await getServerSession(textgate.auth.nextAuthOptions);
  if (!session?.user?.id) throw new TextgateError("unauthorized", "Sign in first.");
  return session;
}

/** The session of a signed-in owner: 401 signed out, 403 not in OWNER_PHONES (the /api/owner routes). */
export async function currentOwner(textgate: Textgate): Promise<Session> {
  return textgate.owners.requireOwner(await currentSession(textgate));
}

/** Wraps a handler: this process's Textgate (server/bridge.ts), and every thrown error as a JSON error response. */
export function handler(fn: (request: Request, textgate: Textgate) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    let textgate: Textgate | undefined;
    try {
      textgate = currentTextgate();
      return await fn(request, textgate);
    } catch (error) {
      return errorResponse(error, textgate);
    }
  };
}
