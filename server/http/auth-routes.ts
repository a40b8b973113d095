/**
 * /api/auth/* from the custom server instead of Next (issue 14): the sign-in routes of `textgate/next-auth`
 * (server/auth/sign-in-routes.ts) and next-auth's own actions, behind the same guard as its Next route
 * (server/auth/nextauth-guard.ts), run by next-auth's core handler (server/auth/nextauth-core.ts) with the
 * same options. A sign-in is two small JSON requests, and Next's pipeline around each cost more than the
 * sign-in itself (docs/benchmarks.md, "Full sign-in").
 *
 * The handlers are the Web `Request` → `Response` functions the Next routes export; this file only turns
 * Node's request into a Request and writes the Response back. server.ts calls it after `guardNextApi` (which
 * answers unknown paths and methods under /api/ as JSON) and after setting the page security headers, so
 * everything around the handlers is as it was. What it does not claim stays with Next's routes under
 * app/api/auth: HEAD and OPTIONS (Next derives them), and paths Next would rewrite or redirect first (a
 * trailing slash, percent-encoding, empty or dot segments).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextAuthOptions } from "next-auth";
import type { Logger } from "pino";
import { TextgateError } from "../../lib/errors.ts";
import { handleNextAuth } from "../auth/nextauth-core.ts";
import { guardNextAuth } from "../auth/nextauth-guard.ts";
import type { SmsAuthRoutes } from "../kit/next-auth.ts";
import { BufferedRequest, BufferedResponse } from "./buffered-body.ts";
import { isClientAbort } from "./client-abort.ts";
import { errorResponse, sendJson } from "./respond.ts";

/** The largest body read: over every limit of the routes (4 KB for the sign-in routes, 16 KB for next-auth's), which answer 413 past theirs. */
const MAX_BODY_BYTES = 65_536;

/** Paths claimed here: /api/auth/ and plain segments, the way Next hands them to the routes unchanged. */
const CLAIMED = /^\/api\/auth(?:\/[A-Za-z0-9_-]+)+$/;

export interface AuthRoutesDeps {
  signIn: SmsAuthRoutes;
  nextAuthOptions: () => NextAuthOptions;
  logger: Logger;
  /** The origin requests are resolved against (PUBLIC_URL): next-auth takes its own from NEXTAUTH_URL. */
  origin: string;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toRequest(req: IncomingMessage, url: string, method: string, body: Buffer | null): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return new BufferedRequest(url, { method, headers }, body && (new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer>));
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const buffered = response instanceof BufferedResponse && !response.bodyUsed ? response.bufferedBytes : null;
  const body = buffered ? Buffer.from(buffered.buffer, buffered.byteOffset, buffered.byteLength) : Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers).end(body);
}

/** Returns whether it answers the request; false leaves it to Next. */
export function createAuthRoutesHandler(deps: AuthRoutesDeps): (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean {
  const { signIn, logger } = deps;
  const sms: Record<string, { method: string; route: (request: Request) => Promise<Response> }> = {
    "/api/auth/sms/start": { method: "POST", route: signIn.start.POST },
    "/api/auth/sms/resend": { method: "POST", route: signIn.resend.POST },
    "/api/auth/sms/config": { method: "GET", route: signIn.config.GET },
  };
  const nextAuth = guardNextAuth((request: Request, segments: readonly string[]) => handleNextAuth(request, segments, deps.nextAuthOptions()), {
    // A provider factory's own options (CredentialsProvider({ id: "sms" })) override its default id, as next-auth merges them.
    providerIds: () => deps.nextAuthOptions().providers.map((provider) => (provider as { options?: { id?: string } }).options?.id ?? provider.id),
    logger: () => logger,
  });

  async function answer(req: IncomingMessage, res: ServerResponse, pathname: string, method: string): Promise<void> {
    let body: Buffer | null = null;
    if (method === "POST") {
      try {
        body = await readBody(req);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        const refused = errorResponse(new TextgateError("payload_too_large"));
        res.setHeader("connection", "close");
        return sendJson(res, refused.status, refused.body, refused.headers);
      }
    }
    let request: Request;
    try {
      request = toRequest(req, deps.origin + (req.url ?? pathname), method, body);
    } catch {
      // A header value Node's parser let through but the Fetch API refuses.
      const refused = errorResponse(new TextgateError("invalid_request", "A request header is not valid."));
      return sendJson(res, refused.status, refused.body, refused.headers);
    }
    const route = sms[pathname];
    const response = route ? await route.route(request) : await nextAuth(request, pathname.slice("/api/auth/".length).split("/"));
    await writeResponse(res, response);
  }

  return (req, res, pathname) => {
    const method = req.method ?? "GET";
    if ((method !== "GET" && method !== "POST") || !CLAIMED.test(pathname)) return false;
    const route = sms[pathname];
    // A wrong method on a sign-in route was answered by guardNextApi already; this is only a guard against drift.
    if (route && route.method !== method) return false;
    answer(req, res, pathname, method).catch((error: unknown) => {
      if (isClientAbort(error)) logger.debug({ err: error, url: req.url }, "client went away during an auth request");
      else logger.error({ err: error, url: req.url }, "auth request failed");
      if (res.headersSent) return void res.end();
      sendJson(res, 500, new TextgateError("internal_error").toBody());
    });
    return true;
  };
}
