/**
 * One timer for all sockets of the process: every interval, a socket that did not answer the last ping
 * is terminated, the others are pinged, and every socket's session is checked again, so signing out (or
 * out everywhere) closes its sockets with 1008 within one interval; so does a sign-in that has expired
 * (`Connection.expiresAt`, for a host's JWT sessions, which have no row to check).
 */
import { CLOSE, CLOSE_REASON } from "../../lib/socket/protocol.ts";
import type { Hub } from "./hub.ts";

export interface HeartbeatOptions {
  intervalMs: number;
  /** Of the given session ids, those still valid (not revoked, not expired). */
  validSessions(ids: string[]): Promise<Set<string>>;
  onError(error: unknown): void;
}

export function startHeartbeat(hub: Hub, options: HeartbeatOptions): () => void {
  let running = false;
  const tick = async () => {
    const sessionIds = new Set<string>();
    for (const connection of hub.all()) {
      if (connection.state === "closed") continue;
      if (connection.expiresAt !== undefined && connection.expiresAt <= Date.now()) {
        connection.close(CLOSE.policy, CLOSE_REASON.signedOut);
        continue;
      }
      if (!connection.isAlive) {
        connection.socket.terminate();
        continue;
      }
      connection.isAlive = false;
      connection.socket.ping();
      sessionIds.add(connection.sessionId);
    }
    if (!sessionIds.size || running) return;
    running = true;
    try {
      const valid = await options.validSessions([...sessionIds]);
      for (const connection of [...hub.all()]) {
        if (sessionIds.has(connection.sessionId) && !valid.has(connection.sessionId)) connection.close(CLOSE.policy, CLOSE_REASON.signedOut);
      }
    } catch (error) {
      options.onError(error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
