/**
 * A Prisma client for one database (createTextgate builds the process's one, server/textgate.ts).
 * SQLite through better-sqlite3 by default, PostgreSQL through node-postgres when DATABASE_URL says so.
 * Both generated clients come from the same models, so the SQLite client's types describe either.
 */
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.ts";
import { type DatabaseTarget, ensureSqliteDirectory } from "./database-url.ts";

export type Db = SqliteClient;
export type { Prisma } from "./generated/sqlite/client.ts";

export interface DbOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export function createDb(target: DatabaseTarget, options: DbOptions = {}): Db {
  ensureSqliteDirectory(target);
  if (target.provider === "postgresql") {
    const adapter = new PrismaPg({ connectionString: target.url, max: options.poolSize ?? 10 });
    return new PostgresClient({ adapter }) as unknown as Db;
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${target.url}`, timeout: 5000 });
  return new SqliteClient({ adapter });
}

/**
 * SQLite settings for a busy server: WAL so readers never wait for the writer, NORMAL sync (durable
 * across a process crash; an OS crash may lose the last transactions), and a busy timeout so two
 * processes on one file wait for each other instead of failing.
 */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}
