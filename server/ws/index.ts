/**
 * textgate's own sockets, in process: the backend of the socket gate (server/ws/gate.ts) built on this
 * process's domain — codes from the engine, texts through the carriers, replies from the inbound path
 * (replies.ts), the owner desk, the socket census, session rows checked at upgrade and by the heartbeat,
 * sign-outs closing sockets — with the gate settings of this server's configuration. server.ts passes it
 * to `createSocketGate` (server/kit/ws.ts, `textgate/ws`), the same gate a host runs.
 */
import crypto from "node:crypto";
import os from "node:os";
import { sessionStoreOf } from "../auth/options.ts";
import { sendNotice } from "../notifications.ts";
import type { Runtime } from "../runtime.ts";
import { OwnerDesk, setOwnerConsole } from "./owner.ts";
import { databaseOwnerRequests } from "./owner-requests.ts";
import type { GateSettings, SocketBackend } from "./gate.ts";
import { busReplies } from "./replies.ts";
import type { SocketCodes } from "./sessions.ts";
import { sharedSecretKey } from "./units/reply.ts";
import { socketPurpose } from "./units/send-token.ts";
import type { SessionStore } from "../auth/sessions.ts";
import { type Authenticate, sessionToken } from "./upgrade.ts";
import { startSocketCensus } from "./socket-census.ts";
import { noticeFor, unitNotice } from "../verification/notices.ts";

export interface InProcessSockets extends SocketBackend {
  /** The gate settings of this server's configuration (WS_* variables, PUBLIC_URL, NEXTAUTH_SECRET). */
  settings: Omit<GateSettings, "endpoints" | "backend">;
}

/** Where sockets may come from: WS_ALLOWED_ORIGINS, or PUBLIC_URL's origin. */
export function allowedOrigins(config: Runtime["config"]): Set<string> {
  return new Set(config.WS_ALLOWED_ORIGINS.length ? config.WS_ALLOWED_ORIGINS : [new URL(config.PUBLIC_URL).origin]);
}

export function sessionCookieName(publicUrl: string): string {
  return publicUrl.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/** This process among the socket nodes: host, pid and a random suffix (shown on /owner). */
export function newNodeId(): string {
  return `${os.hostname()}-${process.pid}-${crypto.randomBytes(2).toString("hex")}`;
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
export function engineCodes(engine: Runtime["engine"], phone: string, connectionId: string): SocketCodes {
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

export function inProcessSockets(runtime: Runtime): InProcessSockets {
  const { config, logger } = runtime;
  const sessions = sessionStoreOf(runtime);
  const replies = busReplies(runtime.events, runtime.inbound, (error) => logger.warn({ err: error }, "socket reply bookkeeping failed"));
  const node = newNodeId();
  const notices = { brand: config.DEFAULT_BRAND, defaultLocale: config.DEFAULT_LOCALE };
  const owners = new OwnerDesk({
    events: runtime.events,
    owners: config.OWNER_PHONES,
    notify: (to, body) => sendNotice(runtime, to, body),
    notice: (to, key, values) => noticeFor(notices, to, key, values),
    store: databaseOwnerRequests(runtime.prisma),
    node,
    crossNodeEvents: Boolean(config.REDIS_URL),
    onError: (error) => logger.warn({ err: error }, "owner request bookkeeping failed"),
  });
  // The census counts the sockets of the gate this backend serves (the gate hands them to countSockets).
  let counts = () => ({ sockets: 0, pending: 0 });
  const census = startSocketCensus({
    prisma: runtime.prisma,
    node,
    intervalMs: config.WS_HEARTBEAT_MS,
    counts: () => counts(),
    onError: (error) => logger.warn({ err: error }, "socket census write failed"),
  });
  // The /owner page and /api/owner/* (Next route handlers in this process) see every node's requests and sockets here.
  setOwnerConsole({
    requests: () => owners.requests(),
    decide: (reference, decision) => owners.decide(reference, decision),
    sockets: () => census.summary(),
  });
  return {
    codes: (phone, connectionId) => engineCodes(runtime.engine, phone, connectionId),
    waitForReply: (phone, connectionId, match, signal) => replies.wait(phone, connectionId, match, signal),
    // A text from a short code or a shared number must say who sent it: every catalog text names the
    // brand, and a unit's own text gets it put first ("textgate: Hi, what's on the screen?").
    sendNotice: (phone, notice) => sendNotice(runtime, phone, unitNotice(notices, phone, notice)),
    owners,
    secretKey: sharedSecretKey(config.TEXTGATE_SECRET),
    validSessions: (ids) => sessions.stillValid(ids),
    onSessionEnded: (close) => runtime.events.subscribe("session.revoked", (event) => close(event.data.userId, event.data.sessionId)),
    settings: {
      authenticate: sessionRowAuthenticator({ cookieName: sessionCookieName(config.PUBLIC_URL), secret: config.NEXTAUTH_SECRET, sessions }),
      allowedOrigins: allowedOrigins(config),
      maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
      messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
      heartbeatMs: config.WS_HEARTBEAT_MS,
      logger,
    },
    countSockets(source) {
      counts = source;
      // The same live counts for /metrics (textgate_sockets), read on each scrape.
      runtime.metrics?.countSockets(source);
    },
    async close() {
      replies.close();
      owners.close();
      setOwnerConsole(undefined);
      await census.close();
    },
  };
}
