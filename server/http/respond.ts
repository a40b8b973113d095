/**
 * Writing responses: every API answer is JSON with `cache-control: no-store`, and every failure goes
 * through `errorResponse`, the one place that turns an error into a status and an `{ error }` body:
 * `sendError` writes it on a Node response, `errorAsResponse` returns it to the route handlers Next runs.
 */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import { ERRORS, type ErrorBody, isTextgateError } from "../../lib/errors.ts";
import { BufferedResponse } from "./buffered-body.ts";

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

const JSON_HEADERS = { "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store" } as const;

export function sendRawJson(res: ServerResponse, status: number, json: string, headers?: Readonly<OutgoingHttpHeaders>): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, {
    ...JSON_HEADERS,
    "content-length": Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<OutgoingHttpHeaders>): void {
  sendRawJson(res, status, JSON.stringify(body), headers);
}

/** A JSON answer as a Fetch API Response, for the route handlers Next runs (app/api/) and the lean auth router (auth-routes.ts). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new BufferedResponse(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

export interface ValidationDetail {
  /** Dotted path of the offending field ("workflow.0.channel"); "" for the body itself. */
  path: string;
  message: string;
}

/** zod issues as `{ path, message }`; an unknown field is reported at its own path. Never echoes input values. */
export function validationDetails(error: z.ZodError): ValidationDetail[] {
  const details: ValidationDetail[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details.push({ path: base ? `${base}.${key}` : key, message: "unknown field" });
    } else {
      details.push({ path: base, message: issue.message });
    }
  }
  return details;
}

/** Also a ZodError of another copy of zod (Next bundles route handlers' zod separately from this file's). */
function isZodError(error: unknown): error is z.ZodError {
  return error instanceof z.ZodError || (error instanceof Error && error.name === "ZodError" && Array.isArray((error as { issues?: unknown }).issues));
}

/** Maps any thrown value to the response it deserves. Pure, so it is easy to test. */
export function errorResponse(error: unknown): ErrorResponse {
  if (isTextgateError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(error.retryAfter)));
    if (error.code === "unauthorized") headers["www-authenticate"] = "Bearer";
    if (error.code === "metrics_unauthorized") headers["www-authenticate"] = 'Bearer realm="metrics"';
    return { status: error.status, body: error.toBody(), headers };
  }
  if (isZodError(error)) {
    return {
      status: ERRORS.invalid_request.status,
      body: { error: { code: "invalid_request", message: ERRORS.invalid_request.message, details: validationDetails(error) } },
      headers: {},
    };
  }
  return {
    status: ERRORS.internal_error.status,
    body: { error: { code: "internal_error", message: ERRORS.internal_error.message } },
    headers: {},
  };
}

/**
 * Answers with the error. Unexpected errors (500) are logged with their stack; their message is
 * never sent, since it may hold internals.
 */
export function sendError(res: ServerResponse, error: unknown, logger: Logger, context?: { method?: string; path?: string }): void {
  const response = errorResponse(error);
  if (response.status >= 500) logger.error({ err: error, ...context }, "API request failed");
  sendJson(res, response.status, response.body, response.headers);
}

/** errorResponse as a Fetch API Response; `headers` are added (an `allow`, say). */
export function errorAsResponse(error: unknown, headers: Record<string, string> = {}): Response {
  const response = errorResponse(error);
  return jsonResponse(response.body, response.status, { ...response.headers, ...headers });
}
