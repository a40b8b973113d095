/**
 * `textgate/ws`: SMS-gated WebSockets on any Node HTTP server, with the frames of textgate's own sockets
 * (lib/socket/protocol.ts), so `useVerifiedSocket` of `textgate/react` works against it.
 *
 *   const gate = createSocketGate({
 *     textgate: { baseUrl: process.env.TEXTGATE_URL!, apiKey: process.env.TEXTGATE_KEY! },
 *     allowedOrigins: ["https://app.example.com"],
 *     endpoints: [defineSession({ path: "/ws/chat", connect: [sendToken(), confirmReply()], onMessage: (s, data) => s.send(data) })],
 *   }).attach(httpServer);
 *
 * Who opens a socket is read before the handshake: by default from the host's next-auth session cookie
 * (JWT strategy, decoded with NEXTAUTH_SECRET), the number from the token's `phone`, else its `sub` when
 * that is an E.164 number (as `SmsProvider` of `textgate/next-auth` signs users in by default). A
 * signed-out upgrade is refused with 401 in plain HTTP, one from an Origin not allowed with 403.
 *
 * Remote mode (`textgate: { baseUrl, apiKey }`, server/kit/ws-remote.ts): Send Token creates and checks
 * codes over the REST API; Reply and Confirm Reply text through POST /api/v1/notices and wait for the
 * user's answer on the event stream; Owner alert texts the owners through POST /api/v1/owner-alerts and
 * waits for their decision (`owner.decided`) on the same stream. In process (`textgate`: the backend of server/ws/index.ts), the
 * gate runs on textgate's own domain: that is how textgate's server runs its own sockets.
 */
import type http from "node:http";
import { isE164 } from "../../lib/e164.ts";
import { type GateLogger, type SocketBackend, type SocketGate, startGate } from "../ws/gate.ts";
import type { SessionDefinition } from "../ws/sessions.ts";
import { sharedSecretKey } from "../ws/units/reply.ts";
import { type Authenticate, sessionToken } from "../ws/upgrade.ts";
import type { RemoteTextgate } from "./remote.ts";
import { remoteBackend } from "./ws-remote.ts";

export { defineSession, type AdmittedSocket, type SessionDefinition, type SessionUnit } from "../ws/sessions.ts";
export { confirm, type ConfirmOptions } from "../ws/units/confirm.ts";
export { confirmReply, type ConfirmReplyOptions } from "../ws/units/confirm-reply.ts";
export { ownerAlert, type OwnerAlertOptions } from "../ws/units/owner-alert.ts";
export { hashSharedSecret, reply, type ReplyOptions } from "../ws/units/reply.ts";
export { sendToken, type SendTokenOptions } from "../ws/units/send-token.ts";
export { CLOSE, CLOSE_REASON } from "../../lib/socket/protocol.ts";
export type { GateLogger, RemoteTextgate, SocketBackend, SocketGate };

/** Who a socket belongs to, as a host's `authenticate` answers. */
export interface SocketUser {
  userId: string;
  /** E.164; null refuses sockets whose endpoint has connect units (403). */
  phone: string | null;
  name?: string | null;
  /** The sign-in session, when the host has one to tell apart (default: the user's id). */
  sessionId?: string;
  /** When the sign-in ends (epoch ms): the socket is closed with 1008 "signed out" within a heartbeat after. */
  expiresAt?: number;
}

export interface SocketGateOptions {
  endpoints: readonly SessionDefinition[];
  /** The textgate server (remote mode), or textgate's in-process socket backend. */
  textgate: RemoteTextgate | SocketBackend;
  /** Who opens the socket, or null (refused with 401). Default: the next-auth session cookie (see above). */
  authenticate?: (req: http.IncomingMessage) => SocketUser | null | Promise<SocketUser | null>;
  /** next-auth's secret, for the default `authenticate` and the shared-secret hashes. Default NEXTAUTH_SECRET (or AUTH_SECRET). */
  secret?: string;
  /** Exact `Origin`s sockets may come from. Default: NEXTAUTH_URL's origin. */
  allowedOrigins?: readonly string[];
  /** The brand the texts start with (remote mode); the textgate server's DEFAULT_BRAND when unset. */
  brand?: string;
  /** Sockets one user may hold at once (more: 429); default 5. */
  maxConnectionsPerUser?: number;
  /** Frames a socket may send per second (more: closed with 4008); default 20. */
  messagesPerSecond?: number;
  /** Ping interval; a socket that misses one is dropped. Default 30 s. */
  heartbeatMs?: number;
  logger?: GateLogger;
}

const consoleLogger: GateLogger = {
  warn: (details, message) => console.warn(`textgate/ws: ${message}`, details),
  error: (details, message) => console.error(`textgate/ws: ${message}`, details),
};

/** next-auth's session cookie names (https first), as next-auth v4 sets them. */
const SESSION_COOKIES = ["__Secure-next-auth.session-token", "next-auth.session-token"] as const;

/** The default `authenticate`: the host's next-auth JWT session cookie, decoded with `secret`. */
export function nextAuthCookie(secret: string): (req: http.IncomingMessage) => Promise<SocketUser | null> {
  return async (req) => {
    const token = await sessionToken(req, SESSION_COOKIES, secret);
    if (!token || typeof token.sub !== "string" || !token.sub) return null;
    const phone = typeof token.phone === "string" && isE164(token.phone) ? token.phone : isE164(token.sub) ? token.sub : null;
    const expiresAt = typeof token.exp === "number" ? token.exp * 1000 : undefined;
    // next-auth's decode tolerates 15 s of clock skew past `exp`; a socket would be closed at once.
    if (expiresAt !== undefined && expiresAt <= Date.now()) return null;
    return { userId: token.sub, phone, name: typeof token.name === "string" ? token.name : null, expiresAt };
  };
}

function isRemote(textgate: RemoteTextgate | SocketBackend): textgate is RemoteTextgate {
  return "baseUrl" in textgate && "apiKey" in textgate;
}

function identified(authenticate: NonNullable<SocketGateOptions["authenticate"]>): Authenticate {
  return async (req) => {
    const user = await authenticate(req);
    if (!user) return null;
    return { user: { id: user.userId, name: user.name ?? null, phone: user.phone }, sessionId: user.sessionId ?? user.userId, expiresAt: user.expiresAt };
  };
}

/** An SMS-gated socket server for `endpoints`; `attach` it to an HTTP server, or route upgrades to `handleUpgrade`. */
export function createSocketGate(options: SocketGateOptions): SocketGate {
  const logger = options.logger ?? consoleLogger;
  const gateOf = (backend: SocketBackend, base: SocketBackend["settings"], authenticate: Authenticate | undefined, allowedOrigins: Iterable<string> | null | undefined) => {
    if (!authenticate || !allowedOrigins) throw new Error("createSocketGate: an in-process backend without settings needs authenticate and allowedOrigins");
    return startGate({
      endpoints: options.endpoints,
      backend,
      authenticate,
      allowedOrigins,
      maxConnectionsPerUser: options.maxConnectionsPerUser ?? base?.maxConnectionsPerUser ?? 5,
      messagesPerSecond: options.messagesPerSecond ?? base?.messagesPerSecond ?? 20,
      heartbeatMs: options.heartbeatMs ?? base?.heartbeatMs ?? 30_000,
      logger: options.logger ?? base?.logger ?? logger,
    });
  };
  if (!isRemote(options.textgate)) {
    const backend = options.textgate;
    const base = backend.settings;
    return gateOf(backend, base, options.authenticate ? identified(options.authenticate) : base?.authenticate, options.allowedOrigins ?? base?.allowedOrigins);
  }
  const secret = options.secret ?? process.env.NEXTAUTH_SECRET ?? process.env.AUTH_SECRET;
  if (!secret) throw new Error("createSocketGate: set NEXTAUTH_SECRET (or pass `secret`): it decodes the session cookie and keys shared-secret hashes");
  const publicUrl = process.env.NEXTAUTH_URL;
  const allowedOrigins = options.allowedOrigins ?? (publicUrl && URL.canParse(publicUrl) ? [new URL(publicUrl).origin] : null);
  if (!allowedOrigins?.length) throw new Error("createSocketGate: pass allowedOrigins (or set NEXTAUTH_URL): sockets are refused from any other Origin");
  const backend = remoteBackend(options.textgate, {
    secretKey: sharedSecretKey(secret),
    brand: options.brand,
    onError: (error) => logger.error({ err: error }, "the textgate event stream failed"),
  });
  try {
    return gateOf(backend, undefined, identified(options.authenticate ?? nextAuthCookie(secret)), allowedOrigins);
  } catch (error) {
    void backend.close();
    throw error;
  }
}
