/**
 * A guard around next-auth's route handler (app/api/auth/[...nextauth]/route.ts), so that its endpoints
 * answer like every other /api/ path: bad input gets a 4xx with the one error shape (lib/errors.ts), and
 * nothing next-auth would throw on (a non-JSON body sent as JSON, a GET on the credentials callback) or
 * answer in text/plain ("This action with HTTP POST is not supported") reaches it or the client.
 *
 * next-auth's successful answers and its redirects (302, or `{ url }` with `json=true`, which the /login
 * script in components/verification/credentials-sign-in.ts and next-auth/react read, failures included)
 * are passed through untouched.
 *
 * The actions and methods are next-auth 4's own (node_modules/next-auth/core/index.js, AuthHandler).
 */
import type { Logger } from "pino";
import { ERRORS, type ErrorCode, TextgateError } from "../../lib/errors.ts";
import { isClientAbort } from "../http/client-abort.ts";
import { errorAsResponse } from "../http/respond.ts";

/** Largest body of a next-auth POST: a CSRF token, a callback URL and the credentials fit in far less. */
export const NEXTAUTH_MAX_BODY_BYTES = 16_384;

type Segments = "none" | "provider" | "optional-provider";

/** next-auth 4's actions: which methods each serves and whether a provider id follows. */
const ACTIONS: Readonly<Record<string, Partial<Record<"GET" | "POST", Segments>>>> = Object.assign(Object.create(null), {
  providers: { GET: "none" },
  session: { GET: "none", POST: "none" },
  csrf: { GET: "none" },
  signin: { GET: "optional-provider", POST: "provider" },
  signout: { GET: "none", POST: "none" },
  // The credentials provider signs in only by POST (next-auth answers a GET with a 500).
  callback: { POST: "provider" },
  "verify-request": { GET: "none" },
  error: { GET: "optional-provider" },
  _log: { POST: "none" },
});

export interface NextAuthGuardDeps {
  /** Provider ids next-auth knows ("sms"). */
  providerIds: () => readonly string[];
  logger: () => Logger | undefined;
}

export function errorJson(code: ErrorCode, message?: string, headers: Record<string, string> = {}): Response {
  return errorAsResponse(new TextgateError(code, message), headers);
}

/** next-auth's callback URL cookie, plain and with the __Secure- prefix (useSecureCookies, server/auth/options.ts). */
const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/**
 * next-auth's own test of a callback URL (isValidHttpUrl in node_modules/next-auth/core/lib/assert.js): a path,
 * or an absolute http(s) URL. next-auth answers any other value, in the query or the cookie, as a server
 * configuration error (500, and the value logged at error level).
 */
export function isValidCallbackUrl(url: string, origin: string): boolean {
  try {
    return /^https?:/.test(new URL(url, url.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** The name of a callback URL cookie next-auth would refuse, parsed as Next parses cookies (one that does not decode is dropped). */
export function invalidCallbackCookie(header: string | null, origin: string): string | null {
  if (!header) return null;
  let found: string | null = null;
  for (const pair of header.split(/; */)) {
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    if (!CALLBACK_URL_COOKIES.includes(name)) continue;
    let value: string;
    try {
      value = decodeURIComponent(eq === -1 ? "true" : pair.slice(eq + 1));
    } catch {
      continue;
    }
    // The last one wins, as in a Map.
    found = value !== "" && !isValidCallbackUrl(value, origin) ? name : null;
  }
  return found;
}

/** The answer to a request carrying a callback URL cookie next-auth would refuse: 400, and the cookie cleared. */
function refuseCallbackCookie(name: string): Response {
  const secure = name.startsWith("__Secure-") ? "; Secure" : "";
  return errorJson("invalid_request", "The callback URL cookie is not valid; it has been cleared.", {
    "set-cookie": `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
  });
}

/** The path segments after /api/auth/, decoded as Next hands them to next-auth; null when one does not decode. */
function segmentsOf(url: URL): string[] | null {
  try {
    return url.pathname.replace(/^\/api\/auth\/?/, "").split("/").filter((s) => s !== "").map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** Refuses what next-auth would fail on or answer outside the error shape; null when the request may go on. */
export async function refuseRequest(request: Request, deps: NextAuthGuardDeps): Promise<Response | null> {
  const url = new URL(request.url);
  const segments = segmentsOf(url);
  if (!segments) return errorJson("invalid_request", "The path is not valid percent-encoding.");
  const [action = "", provider, ...rest] = segments;
  const methods = ACTIONS[action];
  if (!methods || rest.length > 0) return errorJson("not_found");
  const method = request.method === "HEAD" ? "GET" : request.method;
  const shape = methods[method as "GET" | "POST"];
  if (!shape) {
    const allow = Object.keys(methods).flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m]));
    return errorJson("method_not_allowed", undefined, { allow: allow.join(", ") });
  }
  if (shape === "none" && provider !== undefined) return errorJson("not_found");
  if (shape === "provider" && provider === undefined) return errorJson("not_found");
  if (action !== "error" && provider !== undefined && !deps.providerIds().includes(provider)) return errorJson("not_found", "No such sign-in provider.");
  // next-auth puts the error name into a Location header unencoded; a header cannot carry control or non-ASCII characters.
  // Every `error` of the query: next-auth reads the last (Object.fromEntries), and the path's when there is none.
  const errorNames = [...url.searchParams.getAll("error"), ...(action === "error" && provider !== undefined ? [provider] : [])];
  if (errorNames.some((name) => !/^[\x20-\x7e]*$/.test(name))) return errorJson("invalid_request", "The error name is not valid.");
  // next-auth reads the last callbackUrl of the query (Object.fromEntries) and the cookie, and fails on one it cannot use.
  const callbackUrl = url.searchParams.getAll("callbackUrl").at(-1);
  if (callbackUrl && !isValidCallbackUrl(callbackUrl, url.origin)) return errorJson("invalid_request", "The callbackUrl is not a path or an http(s) URL.");
  const badCookie = invalidCallbackCookie(request.headers.get("cookie"), url.origin);
  if (badCookie) return refuseCallbackCookie(badCookie);
  if (method === "POST") return refuseBody(request);
  return null;
}

/** A POST body next-auth can read: within the size limit, and JSON when it says so (next-auth would throw). */
async function refuseBody(request: Request): Promise<Response | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > NEXTAUTH_MAX_BODY_BYTES) return errorJson("payload_too_large");
  const type = request.headers.get("content-type") ?? "";
  // With a declared length (the usual case, and always within the limit here) the body is read whole; a chunked
  // one is counted as it comes.
  const text = request.headers.has("content-length") ? await request.clone().text() : await readLimited(request.clone());
  if (text === null || Buffer.byteLength(text) > NEXTAUTH_MAX_BODY_BYTES) return errorJson("payload_too_large");
  // The same test as next-auth's getBody (node_modules/next-auth/next/utils.js): it calls req.json() on these.
  if (type.includes("application/json")) {
    try {
      JSON.parse(text);
    } catch {
      return errorJson("invalid_json");
    }
  }
  return null;
}

/** The body as text, or null past NEXTAUTH_MAX_BODY_BYTES (a chunked body has no length to check first: counted as it comes). */
async function readLimited(request: Request): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > NEXTAUTH_MAX_BODY_BYTES) {
      // Not awaited: a branch of a teed (cloned) body settles its cancel only once the other branch cancels too.
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The code of a status next-auth answered without the error shape. */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    default:
      return status >= 500 ? "internal_error" : "invalid_request";
  }
}

/** Keeps next-auth's answer unless it is a failure outside the error shape (and is not a redirect or `{ url }`). */
export async function normaliseResponse(response: Response, logger: Logger | undefined): Promise<Response> {
  if (response.status < 400 || response.headers.has("location")) return response;
  const type = response.headers.get("content-type") ?? "";
  const text = await response.clone().text();
  if (type.includes("application/json")) {
    try {
      const body = JSON.parse(text) as { url?: unknown; error?: { code?: unknown } } | null;
      // A credentials sign-in that failed, asked with json=true: { url: "…?error=…" } is the client's answer.
      if (typeof body?.url === "string" || typeof body?.error?.code === "string") return response;
    } catch {
      // not JSON after all: answered below
    }
  }
  const code = codeForStatus(response.status);
  if (ERRORS[code].status >= 500) logger?.error({ status: response.status }, "next-auth answered with a server error");
  return errorJson(code);
}

/**
 * POST /api/auth/_log: next-auth/react reports its client-side errors here, and next-auth would log whatever
 * the body says at whatever level it names (an unauthenticated way to write error lines, and a TypeError for
 * an unknown level). Logged here as a warning with the code only; the answer is next-auth's (200, no body).
 */
async function clientLog(request: Request, logger: Logger | undefined): Promise<Response> {
  const text = await request.text();
  const type = request.headers.get("content-type") ?? "";
  let code: unknown;
  if (type.includes("application/json")) code = (JSON.parse(text) as { code?: unknown } | null)?.code;
  else if (type.includes("application/x-www-form-urlencoded")) code = new URLSearchParams(text).get("code");
  logger?.warn({ nextAuthCode: typeof code === "string" ? code.slice(0, 64) : null }, "next-auth client log");
  return new Response(null, { status: 200 });
}

/** Wraps next-auth's route handler: refuses bad requests first, normalises failures, and maps what it throws. */
export function guardNextAuth<C>(handler: (request: Request, context: C) => Promise<Response>, deps: NextAuthGuardDeps) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      const refused = await refuseRequest(request, deps);
      if (refused) return refused;
      if (new URL(request.url).pathname.replace(/\/$/, "") === "/api/auth/_log") return await clientLog(request, deps.logger());
      return await normaliseResponse(await handler(request, context), deps.logger());
    } catch (error) {
      const logger = deps.logger();
      if (isClientAbort(error)) {
        logger?.debug({ err: error }, "client went away during a next-auth request");
      } else {
        logger?.error({ err: error, path: new URL(request.url).pathname }, "next-auth request failed");
      }
      return errorJson("internal_error");
    }
  };
}
