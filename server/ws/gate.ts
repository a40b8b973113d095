/**
 * The socket gate: `ws` in noServer mode behind an HTTP server's `upgrade` event, the upgrade guards, the
 * hub of open sockets and their heartbeat, and the connect units run against a backend. The backend is
 * where codes, texts and replies come from: textgate's own domain in process (server/ws/index.ts) or a
 * textgate server's REST API and event stream (server/kit/ws.ts). textgate's server and a host's both
 * run this one gate (`textgate/ws`, createSocketGate).
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { uuidv7 } from "../../lib/ids.ts";
import { CLOSE, CLOSE_REASON, MAX_FRAGMENTS, MAX_FRAME_BYTES } from "../../lib/socket/protocol.ts";
import { Connection } from "./connection.ts";
import { startHeartbeat } from "./heartbeat.ts";
import { Hub } from "./hub.ts";
import type { SessionDefinition, SocketCodes, UnitContext, UnitNotice } from "./sessions.ts";
import { admitUpgrade, type Authenticate, rejectUpgrade, type UpgradeGuards } from "./upgrade.ts";

/** What the units of a gate's sockets use, bound to a user's number by the gate. */
export interface SocketBackend {
  /** Codes texted to `phone` for the socket `connectionId` (Send Token). */
  codes(phone: string, connectionId: string): SocketCodes;
  /** A text from `phone` received after this call that `match` accepts; rejects when `signal` aborts. */
  waitForReply(phone: string, connectionId: string, match: (body: string) => "accept" | "deny" | null, signal: AbortSignal): Promise<"accept" | "deny">;
  /** Texts `phone` a catalog notice; false when no carrier took it. */
  sendNotice(phone: string, notice: UnitNotice): Promise<boolean>;
  /** Owner alerts (owner-alert): the desk in process, POST /api/v1/owner-alerts remote; absent where there are none. */
  owners?: UnitContext["owners"];
  /** Keys hashes of shared secrets (`reply({ secret: true })`). */
  secretKey: Buffer;
  /** Of these session ids, those still valid; the heartbeat re-checks open sockets with it. Absent: not re-checked. */
  validSessions?(ids: string[]): Promise<Set<string>>;
  /** Calls `close` when a session (or, with null, every session of the user) ends; returns the unsubscribe. */
  onSessionEnded?(close: (userId: string, sessionId: string | null) => void): () => void;
  /** Gate settings the backend brings (textgate's in-process backend: its configuration's); options override them. */
  settings?: Partial<Omit<GateSettings, "endpoints" | "backend">>;
  /** Given how to count the gate's open and pending sockets (textgate's socket census reads it). */
  countSockets?(counts: () => { sockets: number; pending: number }): void;
  close(): Promise<void>;
}

/** pino's call shape (textgate's logger), which console-like loggers can be wrapped into. */
export interface GateLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface GateSettings {
  endpoints: readonly SessionDefinition[];
  backend: SocketBackend;
  authenticate: Authenticate;
  /** Exact `Origin` values a socket may come from (browsers always send it on upgrades). */
  allowedOrigins: Iterable<string>;
  maxConnectionsPerUser: number;
  messagesPerSecond: number;
  heartbeatMs: number;
  logger: GateLogger;
}

export interface SocketGate {
  /** Takes one upgrade: guards, handshake, units. For a custom server that routes upgrades itself. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Listens to `server`'s upgrades on the endpoints' paths; other paths are left to the server's other
   * `upgrade` listeners (Next's dev reload), or refused with 404 when there is none.
   */
  attach(server: http.Server): SocketGate;
  /** Closes every socket and the backend. */
  close(): Promise<void>;
}

export function startGate(settings: GateSettings): SocketGate {
  const { backend, logger } = settings;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, maxFragments: MAX_FRAGMENTS, perMessageDeflate: false });
  const hub = new Hub();
  backend.countSockets?.(() => ({ sockets: hub.size, pending: hub.pendingCount() }));
  const byPath = new Map<string, SessionDefinition>();
  for (const definition of settings.endpoints) {
    if (byPath.has(definition.path)) throw new Error(`socket path defined twice: ${definition.path}`);
    if (!backend.owners && definition.connect.some((unit) => unit.needsOwnerDesk)) {
      throw new Error(`${definition.path}: ownerAlert() needs a backend with owner alerts`);
    }
    byPath.set(definition.path, definition);
  }
  const guards: UpgradeGuards = {
    definitions: byPath,
    allowedOrigins: new Set(settings.allowedOrigins),
    authenticate: settings.authenticate,
    maxConnectionsPerUser: settings.maxConnectionsPerUser,
    count: (userId) => hub.count(userId),
  };

  const unitContext = (connection: Connection, signal: AbortSignal): UnitContext | null => {
    const phone = connection.user.phone;
    if (!phone) return null;
    return {
      user: { ...connection.user, phone },
      connectionId: connection.id,
      path: connection.definition.path,
      owners: backend.owners,
      signal,
      pending: (message) => connection.send(message),
      send: (message) => connection.send(message),
      nextToken: () => connection.nextToken(signal),
      waitForReply: (match) => backend.waitForReply(phone, connection.id, match, signal),
      sendNotice: (notice) => backend.sendNotice(phone, notice),
      codes: backend.codes(phone, connection.id),
      secretKey: backend.secretKey,
    };
  };
  const deps = {
    messagesPerSecond: settings.messagesPerSecond,
    unitContext,
    onClose: (connection: Connection) => hub.remove(connection),
    onError: (error: unknown, connection: Connection) => logger.warn({ err: error, socket: connection.id }, "socket error"),
  };

  // An ended session closes its sockets at once (the heartbeat's session check is the backstop).
  const stopSessions = backend.onSessionEnded?.((userId, sessionId) => hub.closeSessions(userId, sessionId, CLOSE.policy, CLOSE_REASON.signedOut));
  const validSessions = backend.validSessions?.bind(backend);
  const stopHeartbeat = startHeartbeat(hub, {
    intervalMs: settings.heartbeatMs,
    validSessions: validSessions ?? (async (ids) => new Set(ids)),
    onError: (error) => logger.error({ err: error }, "socket heartbeat failed"),
  });

  const gate: SocketGate = {
    handleUpgrade(req, socket, head) {
      // Until `ws` takes the socket over, a reset while the session is read must not crash the process.
      const onError = () => socket.destroy();
      socket.on("error", onError);
      admitUpgrade(req, guards)
        .then((admission) => {
          if (!admission.ok) return rejectUpgrade(socket, admission.status);
          // The cap is checked again here, synchronously with adding to the hub (handleUpgrade completes synchronously).
          if (hub.count(admission.session.user.id) >= settings.maxConnectionsPerUser) return rejectUpgrade(socket, 429);
          socket.off("error", onError);
          wss.handleUpgrade(req, socket, head, (ws) => {
            const connection = new Connection(uuidv7(), ws, admission.session.user, admission.session.sessionId, admission.definition, deps);
            connection.expiresAt = admission.session.expiresAt;
            hub.add(connection);
            void connection.start();
          });
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, "socket upgrade failed");
          rejectUpgrade(socket, 500);
        });
    },
    attach(server) {
      server.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
        const pathname = URL.parse(req.url ?? "/", "http://localhost")?.pathname;
        if (pathname && byPath.has(pathname)) return gate.handleUpgrade(req, socket, head);
        if (server.listenerCount("upgrade") === 1) rejectUpgrade(socket, 404);
      });
      return gate;
    },
    async close() {
      stopSessions?.();
      stopHeartbeat();
      for (const connection of [...hub.all()]) connection.close(1001, "server shutting down");
      wss.close();
      await backend.close();
    },
  };
  return gate;
}
