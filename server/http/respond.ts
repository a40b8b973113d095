/**
 * Writing responses: every API answer is JSON with `cache-control: no-store`, and every failure goes
 * through `sendError`, the one place that turns an error into a status and an `{ error }` body.
 */
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { z } from "zod";
import { ERRORS, type ErrorBody, isTextgateError } from "../../lib/errors.ts";

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function sendRawJson(res: ServerResponse, status: number, json: string, headers?: Readonly<OutgoingHttpHeaders>): void {
  if (res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.end();
    return;
  }
  res.writeHead(status, {
    "content-type": JSON_CONTENT_TYPE,
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Readonly<OutgoingHttpHeaders>): void {
  sendRawJson(res, status, JSON.stringify(body), headers);
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

/** Maps any thrown value to the response it deserves. Pure, so it is easy to test. */
export function errorResponse(error: unknown): ErrorResponse {
  if (isTextgateError(error)) {
    const headers: Record<string, string> = {};
    if (error.retryAfter !== undefined) headers["retry-after"] = String(Math.max(0, Math.ceil(error.retryAfter)));
    if (error.code === "unauthorized") headers["www-authenticate"] = "Bearer";
    return { status: error.status, body: error.toBody(), headers };
  }
  if (error instanceof z.ZodError) {
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
