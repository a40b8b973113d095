/**
 * Direct access to a test server's database (stopped or running), for simulating what a crash leaves
 * behind and for counting what was stored: better-sqlite3 or pg, SQL with `?` placeholders, dates as
 * ISO-8601 UTC text.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import type { TestServer } from "./server.ts";

export type Row = Record<string, unknown>;

/** Direct access to a stopped (or running) server's database, for simulating what a crash leaves behind. */
export interface DirectDb {
  all(sql: string, params?: (string | number | null)[]): Promise<Row[]>;
  run(sql: string, params?: (string | number | null)[]): Promise<number>;
  close(): Promise<void>;
}

/** Opens the server's database with better-sqlite3 or pg. SQL uses `?` placeholders; dates go in as ISO-8601 UTC text. */
export async function openDb(server: TestServer): Promise<DirectDb> {
  const target = resolveDatabaseTarget(server.env.DATABASE_URL);
  if (target.provider === "sqlite") {
    const db = new Database(target.url, { timeout: 5000 });
    return {
      all: async (sql, params = []) => db.prepare(sql).all(...params) as Row[],
      run: async (sql, params = []) => db.prepare(sql).run(...params).changes,
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    all: async (sql, params = []) => (await client.query(numbered(sql), params)).rows as Row[],
    run: async (sql, params = []) => (await client.query(numbered(sql), params)).rowCount ?? 0,
    close: () => client.end(),
  };
}

export async function withDb<T>(server: TestServer, fn: (db: DirectDb) => Promise<T>): Promise<T> {
  const db = await openDb(server);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

