/**
 * Security headers of everything the pages side serves: Next's pages, route handlers and assets, and the
 * HTML server.ts writes itself (the sandbox's refusal page). server.ts sets them on the response before Next
 * renders, and puts the Content-Security-Policy on the *request* too: Next reads the nonce from the request's
 * `content-security-policy` header and adds it to every script it renders, App Router and Pages Router alike
 * (node_modules/next/dist/server/app-render/get-script-nonce-from-header.js). A client's own header of that
 * name is overwritten, never trusted.
 *
 * The policy follows Next's CSP guide (https://nextjs.org/docs/app/guides/content-security-policy), except:
 * - `script-src 'self' 'nonce-…'` without `'strict-dynamic'`: Next's chunks and /login's script
 *   (public/_textgate/, with its lazily imported chunk) load from this origin under `'self'`, and the inline
 *   payloads carry the nonce. With `'strict-dynamic'`, `'self'` would be ignored and every external script
 *   would need the nonce as well.
 * - In development `'unsafe-eval'` (React's dev build evaluates code for its call stacks, as the guide says)
 *   and `style-src 'unsafe-inline'` (Next's dev server injects `<style>` elements for hot reload).
 * - `connect-src 'self'` covers this origin's `ws:`/`wss:` (sockets, and dev hot reload) in CSP Level 3 browsers.
 *
 * `frame-ancestors 'none'` (and `X-Frame-Options: DENY` for older browsers) everywhere but the embeddable
 * pages (`isEmbeddablePage`), which this origin and EMBED_ALLOWED_ORIGINS may frame; they get no
 * X-Frame-Options, which cannot express a list. `Referrer-Policy: strict-origin-when-cross-origin` keeps
 * the `Origin` header on same-origin POSTs, which the CSRF guard (server/http/same-origin.ts) needs
 * (`no-referrer` would make browsers send `Origin: null`). HSTS only when PUBLIC_URL is https.
 */
import { randomBytesPooled } from "../../lib/random.ts";

export interface PageSecurityOptions {
  /** Development relaxes the policy for Next's dev runtime (see above). */
  production: boolean;
  publicUrl: string;
  /** EMBED_ALLOWED_ORIGINS: sites that may frame the embeddable pages. */
  embedOrigins: readonly string[];
}

/** The pages other sites may frame (when listed in EMBED_ALLOWED_ORIGINS): /embed, the components in a plain page. */
export function isEmbeddablePage(pathname: string): boolean {
  return pathname === "/embed" || pathname.startsWith("/embed/");
}

/** 128 random bits, base64 (the characters Next's nonce parser accepts). */
export function newNonce(): string {
  return randomBytesPooled(16).toString("base64");
}

export function contentSecurityPolicy(pathname: string, nonce: string, options: PageSecurityOptions): string {
  const https = options.publicUrl.startsWith("https://");
  const ancestors = isEmbeddablePage(pathname) ? ["'self'", ...options.embedOrigins].join(" ") : "'none'";
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${options.production ? "" : " 'unsafe-eval'"}`,
    options.production ? `style-src 'self' 'nonce-${nonce}'` : "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every header for a response of `pathname` (the CSP included). */
export function pageSecurityHeaders(pathname: string, nonce: string, options: PageSecurityOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": contentSecurityPolicy(pathname, nonce, options),
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-content-type-options": "nosniff",
  };
  if (!isEmbeddablePage(pathname)) headers["x-frame-options"] = "DENY";
  // One year; no includeSubDomains or preload: which other hosts of the domain speak https is the deployer's call.
  if (options.publicUrl.startsWith("https://")) headers["strict-transport-security"] = "max-age=31536000";
  return headers;
}
