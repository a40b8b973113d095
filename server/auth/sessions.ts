/**
 * Server-side sessions behind the next-auth JWT. The JWT carries a session id (`sid`); a session is
 * valid while its row exists, is not revoked and has not expired. Signing out revokes the row;
 * "sign out everywhere" revokes every row of the user. The socket server checks the same rows.
 */
import { uuidv7 } from "../../lib/ids.ts";
import type { SessionUser } from "../../lib/auth/contract.ts";
import type { Db } from "../db/client.ts";
import { type Sql, toDate, toDateOrNull } from "../store/sql.ts";
import { userByIdSql } from "./users.ts";

export type { SessionUser };

export interface ValidSession {
  sessionId: string;
  createdAt: Date;
  user: SessionUser;
}

/** Don't write lastSeenAt more often than this per session. */
const TOUCH_EVERY_MS = 60_000;

export class SessionStore {
  constructor(
    private readonly prisma: Db,
    private readonly maxAgeSeconds: number,
    private readonly clock: () => Date = () => new Date(),
    /** Told after sessions are revoked, so open sockets can be closed at once. */
    private readonly onRevoke: (revoked: { userId: string; sessionId: string | null }) => void = () => {},
    /**
     * The engine's SQL executor (server/store/sql.ts) for the two queries of every sign-in and session read
     * (create, validate): a Prisma call costs ten times a prepared statement, and a socket admission and a
     * sign-in each make one (issue 14). Without it (unit tests' fake runtimes) Prisma runs them too.
     */
    private readonly sql: Sql | null = null,
  ) {}

  async create(userId: string): Promise<{ id: string; createdAt: Date }> {
    const now = this.clock();
    const id = uuidv7(now.getTime());
    const expiresAt = new Date(now.getTime() + this.maxAgeSeconds * 1000);
    if (this.sql) {
      await this.sql.run("INSERT INTO auth_sessions (id, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)", [id, userId, now, expiresAt, now]);
      return { id, createdAt: now };
    }
    await this.prisma.authSession.create({
      data: { id, userId, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + this.maxAgeSeconds * 1000) },
    });
    return { id, createdAt: now };
  }

  /** The session and its user, or null when it was revoked, expired or never existed. */
  async validate(sessionId: string | undefined | null): Promise<ValidSession | null> {
    if (!sessionId) return null;
    const now = this.clock();
    if (this.sql) return this.validateSql(this.sql, sessionId, now);
    const row = await this.prisma.authSession.findUnique({
      where: { id: sessionId },
      include: { user: { select: { id: true, name: true, phone: true } } },
    });
    if (!row || row.revokedAt || row.expiresAt <= now) return null;
    if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      await this.prisma.authSession.update({ where: { id: sessionId }, data: { lastSeenAt: now } }).catch(() => {});
    }
    return { sessionId, createdAt: row.createdAt, user: row.user };
  }

  private async validateSql(sql: Sql, sessionId: string, now: Date): Promise<ValidSession | null> {
    const row = await sql.get<{ created_at: unknown; expires_at: unknown; last_seen_at: unknown; revoked_at: unknown; user_id: string }>(
      "SELECT created_at, expires_at, last_seen_at, revoked_at, user_id FROM auth_sessions WHERE id = ?",
      [sessionId],
    );
    // Compared here, not in SQL: the same test as the Prisma path, whatever form the dates are stored in.
    if (!row || toDateOrNull(row.revoked_at) || toDate(row.expires_at) <= now) return null;
    // The users table is users.ts's (tests/architecture/table-owners.test.ts): a second read by primary key, not a join.
    const user = await userByIdSql(sql, row.user_id);
    if (!user) return null;
    if (now.getTime() - toDate(row.last_seen_at).getTime() > TOUCH_EVERY_MS) {
      await sql.run("UPDATE auth_sessions SET last_seen_at = ? WHERE id = ?", [now, sessionId]).catch(() => {});
    }
    return { sessionId, createdAt: toDate(row.created_at), user: { id: user.id, name: user.name, phone: user.phone } };
  }

  /** Which of `sessionIds` are still valid (not revoked, not expired): the sockets' heartbeat asks in bulk. */
  async stillValid(sessionIds: readonly string[]): Promise<Set<string>> {
    const valid = new Set<string>();
    const now = this.clock();
    for (let i = 0; i < sessionIds.length; i += 500) {
      const rows = await this.prisma.authSession.findMany({
        where: { id: { in: sessionIds.slice(i, i + 500) }, revokedAt: null, expiresAt: { gt: now } },
        select: { id: true },
      });
      for (const row of rows) valid.add(row.id);
    }
    return valid;
  }

  async revoke(sessionId: string | undefined | null): Promise<void> {
    if (!sessionId) return;
    const row = await this.prisma.authSession.findUnique({ where: { id: sessionId }, select: { userId: true } });
    if (!row) return;
    await this.prisma.authSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: this.clock() } });
    this.onRevoke({ userId: row.userId, sessionId });
  }

  /** Ends every session of a user; returns how many were still open. */
  async revokeAll(userId: string): Promise<number> {
    const { count } = await this.prisma.authSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: this.clock() } });
    this.onRevoke({ userId, sessionId: null });
    return count;
  }
}
