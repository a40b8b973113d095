/**
 * textgate's own sockets, in process: the backend of the socket gate (server/ws/gate.ts) built on this
 * process's domain — codes from the engine, texts through the carriers, replies from the inbound path
 * (replies.ts), the owner desk, the socket census, session rows checked at upgrade and by the heartbeat,
 * sign-outs closing sockets — with the gate settings of this server's configuration. server.ts passes it
 * to `createSocketGate` (server/kit/ws.ts, `textgate/ws`), the same gate a host runs.
 */
import type { SessionStore } from "../auth/sessions.ts";
import type { SocketSettings } from "../config-sections.ts";
import type { Textgate } from "../textgate.ts";
import type { GateSettings, SocketBackend } from "./gate.ts";
import { busReplies } from "./replies.ts";
import type { SocketCodes } from "./sessions.ts";
import { sharedSecretKey } from "./units/reply.ts";
import { socketPurpose } from "./units/send-token.ts";
import { type Authenticate, sessionToken } from "./upgrade.ts";
import { unitNotice } from "../verification/notices.ts";

export interface InProcessSockets extends SocketBackend {
  /** The gate settings of this server's configuration (WS_* variables, PUBLIC_URL, NEXTAUTH_SECRET). */
  settings: Omit<GateSettings, "endpoints" | "backend">;
}

export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** textgate's own sign-in: the token names an `auth_sessions` row, which must still be valid. */
export function sessionRowAuthenticator(options: { cookieName: string; secret: string; sessions: Pick<SessionStore, "validate"> }): Authenticate {
  return async (req) => {
    const jwt = await sessionToken(req, [options.cookieName], options.secret);
    if (!jwt || typeof jwt.sid !== "string") return null;
    const session = await options.sessions.validate(jwt.sid);
    return session ? { user: session.user, sessionId: session.sessionId } : null;
  };
}

/** The engine's codes for one socket: purpose "socket:<connection id>", surface "socket" (server/webhooks/outbox.ts reads both). */
export function engineCodes(engine: Textgate["engine"], phone: string, connectionId: string): SocketCodes {
  return {
    async create(request) {
      const { verification } = await engine.create({
        to: phone,
        channel: "sms",
        purpose: socketPurpose(request.purpose, connectionId),
        surface: "socket",
        codeLength: request.codeLength,
        maxAttempts: request.maxAttempts,
        locale: request.locale,
        validFor: request.validFor,
      });
      return verification;
    },
    check: (id, code) => engine.check({ id }, code),
  };
}

export function inProcessSockets(textgate: Textgate, settings: SocketSettings): InProcessSockets {
  const { logger, events, engine, owners, auth } = textgate;
  const replies = busReplies(events, textgate.inbound, (error) => logger.warn({ err: error }, "socket reply bookkeeping failed"));
  return {
    codes: (phone, connectionId) => engineCodes(engine, phone, connectionId),
    waitForReply: (phone, connectionId, match, signal) => replies.wait(phone, connectionId, match, signal),
    // A text from a short code or a shared number must say who sent it: every catalog text names the
    // brand, and a unit's own text gets it put first ("textgate: Hi, what's on the screen?").
    sendNotice: (phone, notice) => textgate.textNotice(phone, unitNotice(settings.notices, phone, notice)),
    owners: owners.desk,
    secretKey: sharedSecretKey(settings.textgateSecret),
    validSessions: (ids) => auth.sessions.stillValid(ids),
    onSessionEnded: (close) => events.subscribe("session.revoked", (event) => close(event.data.userId, event.data.sessionId)),
    settings: {
      authenticate: sessionRowAuthenticator({ cookieName: sessionCookieName(settings.publicUrl), secret: settings.nextAuthSecret, sessions: auth.sessions }),
      allowedOrigins: new Set(settings.allowedOrigins),
      maxConnectionsPerUser: settings.maxConnectionsPerUser,
      messagesPerSecond: settings.messagesPerSecond,
      heartbeatMs: settings.heartbeatMs,
      logger,
    },
    // The census on /owner and /metrics (textgate_sockets, read on each scrape) count the sockets of the gate this backend serves.
    countSockets: (source) => {
      owners.census.count(source);
      textgate.metrics?.countSockets(source);
    },
    async close() {
      replies.close();
    },
  };
}
