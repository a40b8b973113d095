/**
 * The /api/ paths Next serves (route handlers under app/api), checked in server.ts before Next sees the
 * request, so that every /api/ path answers in the one error shape (lib/errors.ts): Next itself would
 * answer a bad percent-encoding with an HTML 400, an unknown path with its HTML 404 page, a wrong method
 * with an empty 405, and TRACE with a 500 (undici's Request refuses the method).
 *
 * NEXT_API_ROUTES lists app/api's route files and their methods; next-api.test.ts keeps it in step.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { TextgateError } from "../../lib/errors.ts";
import { errorResponse, sendJson } from "./respond.ts";
import { compileRoutes } from "./router.ts";

export interface NextApiRoute {
  /** As under app/api, with `:name` for a `[name]` folder; `/api/auth/*` is next-auth's `[...nextauth]`. */
  path: string;
  methods: readonly ("GET" | "POST")[];
}

export const NEXT_AUTH_PREFIX = "/api/auth/";

export const NEXT_API_ROUTES: readonly NextApiRoute[] = [
  { path: "/api/auth/sms/config", methods: ["GET"] },
  { path: "/api/auth/sms/start", methods: ["POST"] },
  { path: "/api/auth/sms/resend", methods: ["POST"] },
  { path: "/api/account/phone/start", methods: ["POST"] },
  { path: "/api/account/phone/confirm", methods: ["POST"] },
  { path: "/api/account/sessions/revoke-all", methods: ["POST"] },
  { path: "/api/account/profile", methods: ["POST"] },
  { path: "/api/owner/verifications", methods: ["GET"] },
  { path: "/api/owner/test-numbers", methods: ["GET"] },
  { path: "/api/owner/requests", methods: ["GET"] },
  { path: "/api/owner/requests/:reference/decision", methods: ["POST"] },
  { path: "/api/owner/webhooks", methods: ["GET"] },
  { path: "/api/owner/webhooks/:id/deliveries/:deliveryId/retry", methods: ["POST"] },
  { path: "/api/owner/insights", methods: ["GET"] },
  { path: "/api/owner/insights/costs", methods: ["GET", "POST"] },
  { path: "/api/owner/insights/costs/remove", methods: ["POST"] },
  // next-auth's catch-all; its actions are checked by server/auth/nextauth-guard.ts.
  { path: `${NEXT_AUTH_PREFIX}*`, methods: ["GET", "POST"] },
];

const router = compileRoutes(
  NEXT_API_ROUTES.filter((route) => !route.path.endsWith("*")).flatMap((route) => route.methods.map((method) => ({ method, path: route.path, value: route }))),
);

/** Whether a path decodes: Next (and decodeURIComponent in the route handlers) throws on `%zz` or a lone `%`. */
export function isValidPercentEncoding(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why Next must not serve this /api/ request, or null when it may: a path that does not decode (400), no
 * such route (404), a method the route does not serve (405, with Allow). OPTIONS goes on: Next answers it
 * for every route handler with 204 and Allow.
 */
export function refuseNextApi(method: string, path: string): TextgateError | { allow: string } | null {
  if (!isValidPercentEncoding(path)) return new TextgateError("invalid_request", "The path is not valid percent-encoding.");
  // Next resolves "." and ".." (also written %2e) before routing, which could lead out of /api/ to an HTML page.
  if (path.split("/").some((segment) => /^(\.|%2e){1,2}$/i.test(segment))) return new TextgateError("not_found");
  // Next redirects a trailing slash to the path without it (308); the route is the same.
  const bare = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
  const match = router.match(method === "OPTIONS" ? "GET" : method, bare);
  if (match.kind === "found") return null;
  if (match.kind === "method_not_allowed") return method === "OPTIONS" ? null : { allow: match.allow };
  if (bare.startsWith(NEXT_AUTH_PREFIX) && bare.length > NEXT_AUTH_PREFIX.length) {
    return method === "GET" || method === "HEAD" || method === "POST" || method === "OPTIONS" ? null : { allow: "GET, HEAD, POST" };
  }
  return new TextgateError("not_found");
}

/** Answers (and returns true) when an /api/ request must not reach Next; false for a request Next may serve. */
export function guardNextApi(req: IncomingMessage, res: ServerResponse): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.startsWith("/api/") && path !== "/api") return false;
  const refused = refuseNextApi(req.method ?? "GET", path);
  if (refused === null) return false;
  if (refused instanceof TextgateError) {
    const response = errorResponse(refused);
    sendJson(res, response.status, response.body, response.headers);
  } else {
    const response = errorResponse(new TextgateError("method_not_allowed"));
    sendJson(res, response.status, response.body, { allow: refused.allow });
  }
  // The body is not read: drop it so the answer reaches the client and the connection stays usable.
  req.resume();
  return true;
}
