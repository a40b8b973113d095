/**
 * Reads a JSON request body with a hard size limit.
 *
 * - No body (no Content-Length, or 0, and no Transfer-Encoding) → undefined; the route's schema decides.
 * - A body must be `application/json` (any charset parameter) and not content-encoded → else 415.
 * - Content-Length over the limit → 413 at once, nothing read; a streamed (chunked) body is counted
 *   and stops being buffered the moment it passes the limit → 413.
 * - Bytes that are not UTF-8 or text that is not JSON → 400 invalid_json.
 *
 * After a 413 the rest of the body is read and thrown away, so the answer reaches the client and the
 * connection stays usable; past DISCARD_LIMIT the socket is destroyed instead.
 */
import type { IncomingMessage } from "node:http";
import { TextgateError } from "../../lib/errors.ts";
import { ClientAbortError } from "./client-abort.ts";

const DISCARD_LIMIT = 4 * 1024 * 1024;
const utf8 = new TextDecoder("utf-8", { fatal: true });

export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semicolon = header.indexOf(";");
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === "application/json";
}

function hasBody(req: IncomingMessage): boolean {
  if (req.headers["transfer-encoding"] !== undefined) return true;
  const length = req.headers["content-length"];
  return length !== undefined && length !== "0";
}

/** Keeps reading (and dropping) what is left of an over-long body; gives up on the socket past a limit. */
function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT) req.socket.destroy();
  });
  req.resume();
}

function parseJson(bytes: Buffer): unknown {
  if (bytes.length === 0) return undefined;
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch {
    throw new TextgateError("invalid_json");
  }
}

export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (!hasBody(req)) return undefined;
  const encoding = req.headers["content-encoding"];
  if ((encoding && encoding.toLowerCase() !== "identity") || !isJsonContentType(req.headers["content-type"])) {
    throw new TextgateError("unsupported_media_type");
  }
  return parseJson(await readRawBody(req, maxBytes));
}

/**
 * Reads a request body as bytes, whatever its type, with the same limits as readJsonBody (413 past
 * `maxBytes`, 415 when content-encoded). Carrier webhooks need the exact bytes: signatures cover them.
 * No body → an empty Buffer.
 */
export function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (!hasBody(req)) return Promise.resolve(Buffer.alloc(0));
  const encoding = req.headers["content-encoding"];
  if (encoding && encoding.toLowerCase() !== "identity") {
    return Promise.reject(new TextgateError("unsupported_media_type", "The request body must not be content-encoded."));
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    discardRest(req);
    return Promise.reject(new TextgateError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("aborted", onAborted);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        chunks.length = 0;
        discardRest(req);
        reject(new TextgateError("payload_too_large", `The request body is larger than ${maxBytes} bytes.`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onAborted = () => {
      cleanup();
      reject(new ClientAbortError());
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("aborted", onAborted);
  });
}

export function isFormContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semicolon = header.indexOf(";");
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase() === "application/x-www-form-urlencoded";
}

/** An application/x-www-form-urlencoded body as ordered pairs (repeated names kept); 400 when not UTF-8. */
export function parseFormBody(bytes: Buffer): [string, string][] {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new TextgateError("invalid_request", "The form body is not valid UTF-8.");
  }
  return [...new URLSearchParams(text)];
}

/** A JSON body from bytes already read (webhooks), with the same errors as readJsonBody. */
export function parseJsonBytes(bytes: Buffer): unknown {
  return parseJson(bytes);
}
