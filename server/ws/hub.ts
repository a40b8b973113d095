/** The open sockets of this process, by user: connection caps, and closing a user's sockets. */
import type { Connection } from "./connection.ts";

export class Hub {
  private readonly byUser = new Map<string, Set<Connection>>();

  add(connection: Connection): void {
    const set = this.byUser.get(connection.user.id) ?? new Set();
    set.add(connection);
    this.byUser.set(connection.user.id, set);
  }

  remove(connection: Connection): void {
    const set = this.byUser.get(connection.user.id);
    if (!set) return;
    set.delete(connection);
    if (!set.size) this.byUser.delete(connection.user.id);
  }

  count(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Closes the sockets of one session of a user, or all of the user's (sessionId null). */
  closeSessions(userId: string, sessionId: string | null, code: number, reason: string): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    let closed = 0;
    for (const connection of [...set]) {
      if (sessionId !== null && connection.sessionId !== sessionId) continue;
      connection.close(code, reason);
      closed++;
    }
    return closed;
  }

  /** Closes every socket of a user (e.g. 1008 "signed out"). */
  closeUser(userId: string, code: number, reason: string): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    for (const connection of [...set]) connection.close(code, reason);
    return set.size;
  }

  *all(): IterableIterator<Connection> {
    for (const set of this.byUser.values()) yield* set;
  }

  /** Sockets still running their connect units. */
  pendingCount(): number {
    let n = 0;
    for (const connection of this.all()) if (connection.state === "pending") n++;
    return n;
  }

  get size(): number {
    let n = 0;
    for (const set of this.byUser.values()) n += set.size;
    return n;
  }
}
