/**
 * Recognising a client that went away mid-request (closed the connection, reset it, or was cut off by
 * the server's request timeout). Nothing is wrong with the server then and nobody is left to answer,
 * so these are logged at debug, never as errors.
 */

/** Thrown by the body readers (server/http/body.ts) when the request ends before its body did. */
export class ClientAbortError extends Error {
  readonly code = "ECONNABORTED";
  constructor(message = "request aborted by the client") {
    super(message);
    this.name = "ClientAbortError";
  }
}

const ABORT_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE", "ERR_HTTP_REQUEST_TIMEOUT", "UND_ERR_ABORTED"]);
const ABORT_NAMES = new Set(["ClientAbortError", "AbortError", "ResponseAborted"]);

/** True for an error that only says the client's connection ended (also one wrapped as a `cause`). */
export function isClientAbort(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (typeof e.code === "string" && ABORT_CODES.has(e.code)) return true;
  if (typeof e.name === "string" && ABORT_NAMES.has(e.name)) return true;
  // Node's IncomingMessage and undici's body readers say only this when the peer closes early.
  if (e.message === "aborted" || e.message === "terminated") return true;
  return isClientAbort(e.cause, depth + 1);
}
