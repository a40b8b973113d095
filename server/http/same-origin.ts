/**
 * The CSRF guard of every cookie-authenticated state change: the route handlers under /api/account and
 * /api/owner (Next, through `requireSameOrigin` in server/auth/route-helpers.ts) and the sandbox reply when
 * an owner's cookie authorises it (server/http/routes/sandbox.ts).
 *
 * SameSite=Lax cookies stop cross-site forms but not same-site ones (a sibling subdomain, a page on another
 * port of the same host), and `text/plain` bodies need no CORS preflight. So a state change is accepted
 * only when:
 *
 * 1. its `Origin` is exactly PUBLIC_URL's origin, or, when a browser sent no `Origin` at all, its
 *    `Sec-Fetch-Site` is `same-origin` (Fetch Metadata; browsers send one or the other on every POST).
 *    Anything else, including `Origin: null` and a request with neither header, is 403
 *    `cross_site_request`: a client outside a browser sets `Origin` itself (it has no victim to forge for);
 * 2. its `Content-Type` is `application/json` (parameters such as charset allowed): anything else is 415
 *    `unsupported_media_type`, because only JSON needs the preflight that other origins cannot pass.
 *
 * The origin is checked first, so a forged request learns nothing from the second check.
 */
import { TextgateError } from "../../lib/errors.ts";

export interface StateChangeHeaders {
  origin: string | null | undefined;
  secFetchSite: string | null | undefined;
  contentType: string | null | undefined;
}

/** `application/json`, with or without parameters; nothing else (not `application/jsonp`, not `text/json`). */
export function isJsonContentType(contentType: string | null | undefined): boolean {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() === "application/json";
}

/** Throws 403 cross_site_request or 415 unsupported_media_type unless the request comes from `expectedOrigin`'s pages as JSON. */
export function assertSameOriginJson(headers: StateChangeHeaders, expectedOrigin: string): void {
  const sameOrigin = headers.origin ? headers.origin === expectedOrigin : headers.secFetchSite === "same-origin";
  if (!sameOrigin) throw new TextgateError("cross_site_request");
  if (!isJsonContentType(headers.contentType)) throw new TextgateError("unsupported_media_type");
}

/** The origin (scheme, host, port) of PUBLIC_URL, as browsers write it in `Origin`. */
export function publicOrigin(publicUrl: string): string {
  return new URL(publicUrl).origin;
}
