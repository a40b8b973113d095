/**
 * The one error dictionary of textgate, shared by the server (HTTP status, default message) and by
 * clients (stable `code` to branch on). Every error response is `{ "error": { "code", "message" } }`.
 */
export const ERRORS = {
  invalid_request: { status: 400, message: "The request is not valid." },
  invalid_json: { status: 400, message: "The request body is not valid JSON." },
  invalid_phone_number: { status: 400, message: "The phone number is not a valid number." },
  unsupported_locale: { status: 400, message: "That locale is not supported." },
  invalid_template: { status: 400, message: "The message template is not valid." },
  message_too_long: { status: 400, message: "The message does not fit in one SMS segment or voice message." },
  channel_unavailable: { status: 400, message: "No carrier is configured for that channel." },
  unauthorized: { status: 401, message: "A valid API key is required: send Authorization: Bearer <key>." },
  metrics_unauthorized: { status: 401, message: "A valid metrics token is required: send Authorization: Bearer <METRICS_TOKEN>." },
  forbidden: { status: 403, message: "This key may not do that." },
  cross_site_request: {
    status: 403,
    message: "This request did not come from this server's own pages (its Origin is not PUBLIC_URL's origin), so it was refused.",
  },
  invalid_signature: { status: 403, message: "The webhook signature (or token) is missing or not valid." },
  country_not_allowed: { status: 403, message: "Verifications to that country are not allowed on this server." },
  line_type_not_allowed: {
    status: 403,
    message: "Codes are not sent to this kind of number (such as premium-rate, shared-cost or VoIP) on this server. Use a mobile number.",
  },
  not_found: { status: 404, message: "No such resource." },
  verification_not_found: {
    status: 404,
    message: "The verification was not found, was already approved, was canceled, has expired or has no attempts left.",
  },
  sandbox_disabled: { status: 404, message: "The sandbox carrier is not active on this server." },
  webhook_not_found: { status: 404, message: "No webhook endpoint has this id." },
  webhook_delivery_not_found: { status: 404, message: "This webhook endpoint has no delivery with this id." },
  invalid_last_event_id: { status: 400, message: "Last-Event-ID must be the id of an event this stream sent (a whole number)." },
  method_not_allowed: { status: 405, message: "That method is not allowed on this path." },
  invalid_code: { status: 400, message: "That code is not right." },
  reauth_required: { status: 403, message: "For your security, sign in again before changing your number." },
  phone_unavailable: { status: 409, message: "That number cannot be used for this account." },
  verification_pending: { status: 409, message: "A verification to this number is already pending." },
  owner_request_elsewhere: {
    status: 409,
    message: "Another node holds this request, and without REDIS_URL a decision cannot reach it. Decide on that node, or set REDIS_URL.",
  },
  cancel_too_early: { status: 409, message: "A verification can be canceled only 30 seconds after it was created." },
  idempotency_key_reused: {
    status: 422,
    message: "This Idempotency-Key was already used with a different request body.",
  },
  request_timeout: { status: 408, message: "The request was not received in time." },
  payload_too_large: { status: 413, message: "The request body is too large." },
  unsupported_media_type: { status: 415, message: "Send the request body as application/json." },
  headers_too_large: { status: 431, message: "The request headers are too large." },
  rate_limited: { status: 429, message: "Too many requests. Try again later." },
  send_limit_reached: { status: 429, message: "Too many codes were sent to this number. Try again later." },
  too_many_failed_attempts: {
    status: 429,
    message: "Too many wrong codes were entered for this number. Codes for it cannot be checked for a while: see Retry-After.",
  },
  internal_error: { status: 500, message: "Something went wrong on the server." },
  send_budget_exhausted: {
    status: 503,
    message: "This server has sent as many messages as its hourly budget allows. Try again later.",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** A failure the caller can act on. Thrown by the domain, turned into a response by one helper. */
export class TextgateError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  /** Seconds after which a retry may succeed (sent as Retry-After). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message?: string, options: { details?: unknown; retryAfter?: number; cause?: unknown } = {}) {
    super(message ?? ERRORS[code].message, { cause: options.cause });
    this.name = "TextgateError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/**
 * True for a TextgateError, also one thrown by another copy of this module (Next bundles server code
 * separately from the custom server, so `instanceof` alone is not enough).
 */
export function isTextgateError(value: unknown): value is TextgateError {
  if (value instanceof TextgateError) return true;
  const e = value as { name?: unknown; code?: unknown; status?: unknown } | null;
  return e?.name === "TextgateError" && typeof e.code === "string" && e.code in ERRORS && typeof e.status === "number";
}

/** Codes a client branches on: the dictionary's, plus failures that never got a textgate answer. */
export type ClientErrorCode = ErrorCode | "network_error" | "invalid_response" | `http_${number}`;

/**
 * The one error every textgate client throws for a refused request: the server's `code` and `message`,
 * its Retry-After in seconds, and `status` 0 when no answer came at all (network_error, invalid_response).
 */
export class TextgateRequestError extends Error {
  readonly status: number;
  readonly code: ClientErrorCode | (string & {});
  readonly retryAfter?: number;

  constructor(status: number, code: ClientErrorCode | (string & {}), message: string, retryAfter?: number) {
    super(message);
    this.name = "TextgateRequestError";
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export function isTextgateRequestError(value: unknown): value is TextgateRequestError {
  return value instanceof TextgateRequestError;
}

/** Retry-After in seconds (a number of seconds or an HTTP date); undefined when absent or unreadable. */
function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get("Retry-After");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Reads a refused answer's `{ error: { code, message } }` into a TextgateRequestError. An answer that is not
 * one (a proxy's error page) gets `http_<status>` and a sentence naming the status.
 */
export async function requestErrorFrom(response: Response): Promise<TextgateRequestError> {
  let code = `http_${response.status}`;
  let message = `The server answered ${response.status}.`;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } } | null;
    if (typeof body?.error?.code === "string") code = body.error.code;
    if (typeof body?.error?.message === "string") message = body.error.message;
  } catch {
    // Not JSON: keep the generic code and message.
  }
  return new TextgateRequestError(response.status, code, message, retryAfterSeconds(response));
}
