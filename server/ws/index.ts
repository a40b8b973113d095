/**
 * The socket server of one process: `ws` in noServer mode behind the HTTP server's `upgrade` event,
 * the hub of open sockets, the heartbeat (which also closes sockets of revoked sessions) and the router
 * of inbound SMS replies to waiting units.
 */
import crypto from "node:crypto";
import type http from "node:http";
import os from "node:os";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { uuidv7 } from "../../lib/ids.ts";
import { CLOSE, CLOSE_REASON, MAX_FRAGMENTS, MAX_FRAME_BYTES } from "../../lib/socket/protocol.ts";
import { sessionStoreOf } from "../auth/options.ts";
import { sendNotice } from "../notifications.ts";
import type { Runtime } from "../runtime.ts";
import { Connection } from "./connection.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { Hub } from "./hub.ts";
import { OwnerDesk, setOwnerConsole } from "./owner.ts";
import { databaseOwnerRequests } from "./owner-requests.ts";
import { ReplyRouter } from "./replies.ts";
import type { SessionDefinition, UnitContext } from "./sessions.ts";
import { startSocketCensus } from "./socket-census.ts";
import { admitUpgrade, rejectUpgrade, type UpgradeGuards } from "./upgrade.ts";
import { noticeFor, unitNotice } from "../verification/notices.ts";

export interface SocketServer {
  hub: Hub;
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket and withdraws this node from the socket census. */
  close(): Promise<void>;
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

/** Key for shared-secret hashes, derived from TEXTGATE_SECRET. */
export function sharedSecretKey(secret: string): Buffer {
  return Buffer.from(crypto.hkdfSync("sha256", Buffer.from(secret), Buffer.alloc(0), "textgate/socket-shared-secret/v1", 32));
}

export function createSocketServer(runtime: Runtime, definitions: SessionDefinition[]): SocketServer {
  const { config, logger } = runtime;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, maxFragments: MAX_FRAGMENTS, perMessageDeflate: false });
  const hub = new Hub();
  const sessions = sessionStoreOf(runtime);
  const replies = new ReplyRouter(runtime.events, runtime.inbound, (error) => logger.warn({ err: error }, "socket reply bookkeeping failed"));
  const secretKey = sharedSecretKey(config.TEXTGATE_SECRET);
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
  const census = startSocketCensus({
    prisma: runtime.prisma,
    node,
    intervalMs: config.WS_HEARTBEAT_MS,
    counts: () => ({ sockets: hub.size, pending: hub.pendingCount() }),
    onError: (error) => logger.warn({ err: error }, "socket census write failed"),
  });
  // The /owner page and /api/owner/* (Next route handlers in this process) see every node's requests and sockets here.
  setOwnerConsole({
    requests: () => owners.requests(),
    decide: (reference, decision) => owners.decide(reference, decision),
    sockets: () => census.summary(),
  });
  const byPath = new Map<string, SessionDefinition>();
  for (const definition of definitions) {
    if (byPath.has(definition.path)) throw new Error(`socket path defined twice: ${definition.path}`);
    byPath.set(definition.path, definition);
  }
  const guards: UpgradeGuards = {
    definitions: byPath,
    allowedOrigins: allowedOrigins(config),
    cookieName: sessionCookieName(config.PUBLIC_URL),
    secret: config.NEXTAUTH_SECRET,
    sessions,
    maxConnectionsPerUser: config.WS_MAX_CONNECTIONS_PER_USER,
    count: (userId) => hub.count(userId),
  };

  const unitContext = (connection: Connection, signal: AbortSignal): UnitContext | null => {
    const phone = connection.user.phone;
    if (!phone) return null;
    return {
      user: { ...connection.user, phone },
      connectionId: connection.id,
      path: connection.definition.path,
      owners,
      signal,
      pending: (message) => connection.send(message),
      send: (message) => connection.send(message),
      nextToken: () => connection.nextToken(signal),
      waitForReply: (match) => replies.wait(phone, connection.id, match, signal),
      sendText: (body) => sendNotice(runtime, phone, body),
      // A text from a short code or a shared number must say who sent it: every catalog text names the
      // brand, and a unit's own text gets it put first ("textgate: Hi, what's on the screen?").
      notice: (notice) => unitNotice(notices, phone, notice),
      engine: runtime.engine,
      secretKey,
    };
  };
  const deps = {
    messagesPerSecond: config.WS_MESSAGES_PER_SECOND,
    unitContext,
    onClose: (connection: Connection) => hub.remove(connection),
    onError: (error: unknown, connection: Connection) => logger.warn({ err: error, socket: connection.id }, "socket error"),
  };

  // A revoked session closes its sockets at once (the heartbeat's session check is the backstop).
  const stopRevocations = runtime.events.subscribe("session.revoked", (event) => {
    hub.closeSessions(event.data.userId, event.data.sessionId, CLOSE.policy, CLOSE_REASON.signedOut);
  });
  const stopHeartbeat = startHeartbeat(hub, {
    intervalMs: config.WS_HEARTBEAT_MS,
    validSessions: (ids) => sessions.stillValid(ids),
    onError: (error) => logger.error({ err: error }, "socket heartbeat failed"),
  });

  return {
    hub,
    handleUpgrade(req, socket, head) {
      // Until `ws` takes the socket over, a reset while the session is read must not crash the process.
      const onError = () => socket.destroy();
      socket.on("error", onError);
      admitUpgrade(req, guards)
        .then((admission) => {
          if (!admission.ok) return rejectUpgrade(socket, admission.status);
          // The cap is checked again here, synchronously with adding to the hub (handleUpgrade completes synchronously).
          if (hub.count(admission.session.user.id) >= config.WS_MAX_CONNECTIONS_PER_USER) return rejectUpgrade(socket, 429);
          socket.off("error", onError);
          wss.handleUpgrade(req, socket, head, (ws) => {
            const connection = new Connection(uuidv7(), ws, admission.session.user, admission.session.sessionId, admission.definition, deps);
            hub.add(connection);
            void connection.start();
          });
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, "socket upgrade failed");
          rejectUpgrade(socket, 500);
        });
    },
    async close() {
      stopRevocations();
      stopHeartbeat();
      replies.close();
      owners.close();
      setOwnerConsole(undefined);
      for (const connection of [...hub.all()]) connection.close(1001, "server shutting down");
      wss.close();
      await census.close();
    },
  };
}
