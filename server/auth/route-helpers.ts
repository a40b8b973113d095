/**
 * Helpers for the auth route handlers that run inside Next (App Router): JSON in and out with the
 * one error shape, the client IP set by server.ts, and the current session.
 */
import { getServerSession, type Session } from "next-auth";
import type { z } from "zod";
import { TextgateError } from "../../lib/errors.ts";
import { isClientAbort } from "../http/client-abort.ts";
import { errorAsResponse } from "../http/respond.ts";
import { assertSameOriginJson, publicOrigin } from "../http/same-origin.ts";
import { getRuntime, type Runtime } from "../runtime.ts";
import { invalidCallbackCookie } from "./nextauth-guard.ts";
import { authOptionsFor } from "./options.ts";

import { CLIENT_IP_HEADER } from "./client-ip.ts";

export { CLIENT_IP_HEADER };
const MAX_BODY_BYTES = 4096;

export { jsonResponse as json } from "../http/respond.ts";

/** The answer to a failed auth route (server/http/respond.ts maps it); unexpected errors are logged. */
export function errorResponse(error: unknown, runtime?: Runtime): Response {
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

export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw new TextgateError("unsupported_media_type");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new TextgateError("payload_too_large");
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    throw new TextgateError("invalid_json");
  }
  return schema.parse(value);
}

/**
 * The CSRF guard (server/http/same-origin.ts) of every state-changing route under /api/account and
 * /api/owner: Origin is PUBLIC_URL's (403 cross_site_request) and the body JSON (415). Call it first.
 */
export function requireSameOrigin(request: Request, runtime: Runtime): void {
  assertSameOriginJson(
    { origin: request.headers.get("origin"), secFetchSite: request.headers.get("sec-fetch-site"), contentType: request.headers.get("content-type") },
    publicOrigin(runtime.config.PUBLIC_URL),
  );
}

export function clientIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

export async function currentSession(runtime: Runtime): Promise<Session> {
  // getServerSession throws on a callback URL cookie next-auth refuses (nextauth-guard.ts says why): a 400, not a 500.
  const { cookies, headers } = await import("next/headers");
  const cookieHeader = (await cookies()).getAll().map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join("; ");
  if (invalidCallbackCookie(cookieHeader, `http://${(await headers()).get("host") ?? "localhost"}`)) {
    throw new TextgateError("invalid_request", "The callback URL cookie is not valid: sign in again.");
  }
  const session = await getServerSession(authOptionsFor(runtime));
  if (!session?.user?.id) throw new TextgateError("unauthorized", "Sign in first.");
  return session;
}

/** Wraps a handler: the runtime, and every thrown error as a JSON error response. */
export function handler(fn: (request: Request, runtime: Runtime) => Promise<Response>): (request: Request) => Promise<Response> {
  return async (request) => {
    let runtime: Runtime | undefined;
    try {
      runtime = getRuntime();
      return await fn(request, runtime);
    } catch (error) {
      return errorResponse(error, runtime);
    }
  };
}
