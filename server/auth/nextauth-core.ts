/**
 * next-auth 4's route handler for a plain Web Request, without Next's request pipeline: what
 * `NextAuthRouteHandler` (node_modules/next-auth/next/index.js) does, with the cookies and headers read from
 * the request itself instead of `next/headers` (which works only inside Next's request scope). The custom
 * server answers /api/auth/* with it from the lean router (server/http/auth-routes.ts); the route under
 * app/api/auth/[...nextauth] still serves what the lean router leaves to Next (HEAD, OPTIONS).
 *
 * The answer is next-auth's exactly: its status, headers and cookies (`toResponse` of next-auth/next/utils.js),
 * and the `{ url }` JSON in place of a redirect when the body asked for `json=true`.
 */
import { createRequire } from "node:module";
import path from "node:path";
import type { NextAuthOptions, OutgoingResponse, RequestInternal } from "next-auth";
import { BufferedResponse } from "../http/buffered-body.ts";

const require = createRequire(import.meta.url);

// next-auth's core handler and its own toResponse, so that the answer is built exactly as its Next handler
// builds it. Its package exports neither file, so they are loaded by path from the package's own root.
const nextAuthRoot = path.dirname(require.resolve("next-auth"));
const { AuthHandler } = require(path.join(nextAuthRoot, "core/index.js")) as {
  AuthHandler: (params: { req: RequestInternal; options: NextAuthOptions }) => Promise<OutgoingResponse>;
};
const { toResponse } = require(path.join(nextAuthRoot, "next/utils.js")) as { toResponse: (response: OutgoingResponse) => Response };

/**
 * The request's cookies as Next's `cookies()` reads them (parseCookie of @edge-runtime/cookies): pairs split
 * on "; ", a name without "=" is "true", a value that does not percent-decode is dropped, the last one wins.
 */
export function parseRequestCookies(header: string | null): Record<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return {};
  for (const pair of header.split(/; */)) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    if (eq === -1) {
      cookies.set(pair, "true");
      continue;
    }
    try {
      cookies.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    } catch {
      // dropped, as Next drops it
    }
  }
  return Object.fromEntries(cookies);
}

/** The body as next-auth's getBody reads it (next-auth/next/utils.js): JSON or a form, on POST only. */
async function bodyOf(request: Request): Promise<Record<string, unknown> | undefined> {
  if (request.method !== "POST") return undefined;
  const type = request.headers.get("content-type");
  const json = type?.includes("application/json");
  if (!json && !type?.includes("application/x-www-form-urlencoded")) return undefined;
  // Read as text, not through `request.body`: a buffered request (server/http/buffered-body.ts) has no stream to make.
  const text = await request.text();
  if (text === "") return undefined;
  return json ? (JSON.parse(text) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(text));
}

/**
 * next-auth's handler for `request`, whose path after /api/auth/ is `segments` (decoded, as Next hands
 * `params.nextauth` over). `options.secret` must be set (next-auth's Next handler falls back to NEXTAUTH_SECRET).
 */
export async function handleNextAuth(request: Request, segments: readonly string[], options: NextAuthOptions): Promise<Response> {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const body = await bodyOf(request);
  const internal = await AuthHandler({
    req: {
      body,
      query,
      cookies: parseRequestCookies(request.headers.get("cookie")),
      headers: Object.fromEntries(request.headers),
      method: request.method,
      action: segments[0] as never,
      providerId: segments[1],
      error: query.error ?? segments[1],
    },
    options,
  });
  const response = toResponse(internal);
  const redirect = response.headers.get("Location");
  if (body?.json === "true" && redirect) {
    response.headers.delete("Location");
    response.headers.set("Content-Type", "application/json");
    return new BufferedResponse(JSON.stringify({ url: redirect }), { status: internal.status, headers: response.headers });
  }
  return response;
}
