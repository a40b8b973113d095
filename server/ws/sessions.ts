/**
 * Socket session definitions: a path, the connect units a socket must pass (in order) before it is
 * admitted, and the application's handlers, which only ever see admitted sockets.
 *
 *   defineSession({ path: "/ws/chat", connect: [confirmReply(), confirm()], onMessage: (socket, data) => … })
 */
import type { CloseCode, PendingMessage, ServerMessage, UnitName } from "../../lib/socket/protocol.ts";
import type { SessionUser } from "../../lib/auth/contract.ts";
import type { unitNotice } from "../verification/notices.ts";
import type { OwnerAlerts } from "../owners/desk.ts";

/** What Send Token asks for: a code texted to the socket's user, one per socket (see units/send-token.ts). */
export interface SocketCodeRequest {
  /** The verification purpose's prefix; the socket's id is appended by the backend. */
  purpose: string;
  codeLength: number;
  maxAttempts: number;
  locale?: string;
  /** Seconds the code works. */
  validFor: number;
}

/**
 * Codes for one socket's user: textgate's engine in process (server/ws/index.ts), its REST API from a
 * host (server/kit/ws.ts). Refusals are TextgateErrors with the dictionary's codes (lib/errors.ts).
 */
export interface SocketCodes {
  create(request: SocketCodeRequest): Promise<{ id: string; codeLength: number; attemptsLeft: number }>;
  check(id: string, code: string): Promise<{ valid: boolean; attemptsLeft: number }>;
}

/** What a unit sees of its socket and of the server. */
export interface UnitContext {
  user: SessionUser & { phone: string };
  connectionId: string;
  /** The socket's path (its session definition). */
  path: string;
  /** Owners (OWNER_PHONES): alerts and requests waiting for their decision; in process only (see server/kit/ws.ts). */
  owners?: OwnerAlerts;
  /** Aborted when the unit times out or the socket closes. */
  signal: AbortSignal;
  pending(message: PendingMessage): void;
  send(message: ServerMessage): void;
  /** The next `token` frame of the client; rejects when `signal` aborts. */
  nextToken(): Promise<string>;
  /**
   * Waits for a text from the user's phone, received after this call, that `match` accepts ("accept" or
   * "deny"); texts it returns null for are ignored. Rejects when `signal` aborts.
   */
  waitForReply(match: (body: string) => "accept" | "deny" | null): Promise<"accept" | "deny">;
  /**
   * Texts the user a notice from the locale catalog (server/verification/notice-locales.ts), with the
   * brand, in the unit's `locale` option, else the language of the number's country, else DEFAULT_LOCALE.
   * A unit's own `text` option replaces the catalog's words (placeholders filled, the brand put first).
   * False when no carrier took it.
   */
  sendNotice(options: UnitNotice): Promise<boolean>;
  codes: SocketCodes;
  /** Keys hashes of shared secrets (derived from TEXTGATE_SECRET). */
  secretKey: Buffer;
}

export type UnitNotice = Parameters<typeof unitNotice>[2];

export type UnitResult = { ok: true } | { ok: false; code: CloseCode; reason: string };

export interface SessionUnit {
  name: UnitName;
  /** The connect step; absent for units that only act after admission. */
  run?(ctx: UnitContext): Promise<UnitResult>;
  /** Runs once the socket is admitted (fire and forget). */
  afterAdmit?(ctx: UnitContext): Promise<void>;
  /** The connect step fails with 4002 after this long. */
  timeoutMs: number;
  /** Uses `UnitContext.owners`: a gate without an owner desk refuses the definition at creation. */
  needsOwnerDesk?: boolean;
}

/** What the application's handlers get: an admitted socket. */
export interface AdmittedSocket {
  id: string;
  user: SessionUser;
  send(data: unknown): void;
  close(code?: number, reason?: string): void;
}

export interface SessionDefinition {
  path: string;
  connect: SessionUnit[];
  onAdmit?(socket: AdmittedSocket): void;
  onMessage?(socket: AdmittedSocket, data: unknown): void;
}

export function defineSession(definition: SessionDefinition): SessionDefinition {
  if (!definition.path.startsWith("/") || definition.path.startsWith("/_next/")) throw new Error(`invalid socket path: ${definition.path}`);
  return definition;
}

/** Case- and space-insensitive form of an SMS answer. */
export function normalizeAnswer(body: string): string {
  return body.replace(/\s+/g, "").toUpperCase();
}
