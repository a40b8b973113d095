/**
 * textgate's WebSocket protocol, shared by the socket server (`server/ws/`) and its clients.
 *
 * Every frame is one JSON text message with a `type`. Binary frames are refused (close 1003).
 *
 * Lifecycle: after the HTTP upgrade (authenticated by the session cookie and the Origin header), a
 * socket is **pending**: the server runs the session's connect units in order and, for each, sends
 * `pending` telling the client what to do (enter an SMS code, show a code the user texts back, wait for
 * the user's SMS reply). When a unit passes the server sends `unit_passed`; when all have passed it sends
 * `admitted`, and only then are the client's `message` frames handed to the application. A failed or
 * timed-out unit closes the socket with one of the close codes below.
 *
 * Server → client:
 * - `{ type: "pending", unit: "send-token", codeLength, attemptsLeft }`: a code was texted to the user;
 *   send it back with `{ type: "token", code }`.
 * - `{ type: "pending", unit: "reply", code }`: show `code`; the user texts it in answer to the SMS.
 * - `{ type: "pending", unit: "reply-secret" }`: the user answers the SMS with their shared secret.
 * - `{ type: "pending", unit: "confirm-reply" }`: the user answers the SMS with YES.
 * - `{ type: "pending", unit: "owner-approval", reference }`: an owner (OWNER_PHONES) was texted about this
 *   socket and must answer ACCEPT/DENY `reference` (or decide on /owner); a denial closes with 4001.
 * - `{ type: "unit_passed", unit }`, `{ type: "token_rejected", attemptsLeft }`, `{ type: "admitted" }`.
 * - `{ type: "message", data }`: application data (admitted sockets only).
 * - `{ type: "error", code, message }`: a frame was refused; fatal ones are followed by a close.
 *
 * Client → server: `{ type: "token", code }` (send-token unit), `{ type: "message", data }` (admitted).
 *
 * Upgrade refusals (before any handshake, plain HTTP): 401 no/invalid/revoked session, 403 Origin not
 * allowed or no phone number for a session that needs one, 404 no such socket path, 429 too many
 * sockets for this user, 431 too many (or too large) request headers.
 */

export const UNIT_NAMES = ["confirm", "confirm-reply", "send-token", "reply", "reply-secret", "owner-alert"] as const;
export type UnitName = (typeof UNIT_NAMES)[number];

/** Close codes and the reasons the server sends with them. */
export const CLOSE = {
  /** Normal closure. */
  normal: 1000,
  /** Binary frame (only JSON text frames are accepted). */
  unsupported: 1003,
  /** A text frame that is not valid UTF-8 (sent by `ws` itself). */
  invalidData: 1007,
  /**
   * Policy violation: signed out / session revoked or expired, a frame that is not valid JSON of this
   * protocol, a message in more than MAX_FRAGMENTS fragments (sent by `ws` itself).
   */
  policy: 1008,
  /** Frame larger than the server's maxPayload (sent by `ws` itself). */
  tooBig: 1009,
  /** Server error while running a unit. */
  serverError: 1011,
  /** A unit denied the connection (e.g. the user answered NO). */
  denied: 4001,
  /** A unit timed out. */
  timedOut: 4002,
  /** No attempts left for the code. */
  noAttemptsLeft: 4003,
  /** Too many messages per second, too many codes sent, or too many wrong codes for the number. */
  rateLimited: 4008,
  /** Too many sockets for this user (normally refused with 429 at upgrade). */
  tooManyConnections: 4009,
} as const;
export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];

export const CLOSE_REASON = {
  signedOut: "signed out",
  invalidFrame: "invalid frame",
  binary: "binary frames are not accepted",
  denied: "denied",
  deniedByOwner: "denied by owner",
  noOwner: "no owner to approve",
  timedOut: "timed out",
  noAttemptsLeft: "no attempts left",
  rateLimited: "rate limited",
  /** Sent with 4008 and "; retry in <seconds> s": the number is locked by wrong codes in a row. */
  tooManyWrongCodes: "too many wrong codes",
  serverError: "server error",
} as const;

export type PendingMessage =
  | { type: "pending"; unit: "send-token"; codeLength: number; attemptsLeft: number }
  | { type: "pending"; unit: "reply"; code: string }
  | { type: "pending"; unit: "reply-secret" }
  | { type: "pending"; unit: "confirm-reply" }
  | { type: "pending"; unit: "owner-approval"; reference: string };

export type ErrorCode = "invalid_frame" | "not_admitted" | "unexpected_token" | "invalid_token";

export type ServerMessage =
  | PendingMessage
  | { type: "unit_passed"; unit: UnitName }
  | { type: "token_rejected"; attemptsLeft: number }
  | { type: "admitted" }
  | { type: "message"; data: unknown }
  | { type: "error"; code: ErrorCode; message: string };

export type ClientMessage = { type: "token"; code: string } | { type: "message"; data: unknown };

/** Largest frame the server accepts, in bytes (bigger ones close with 1009). */
export const MAX_FRAME_BYTES = 16 * 1024;

/**
 * Most fragments one message may arrive in (more close with 1008). Browsers send a message in one frame;
 * thousands of tiny fragments only cost the server work per frame (`ws` would allow 16,384).
 */
export const MAX_FRAGMENTS = 64;
