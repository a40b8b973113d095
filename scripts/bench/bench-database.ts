/**
 * The database of one benchmark run: a fresh SQLite file (the server process makes it), or with
 * BENCH_POSTGRES_URL (a PostgreSQL server's URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres) a
 * fresh database created on that server and dropped after the run.
 */
import crypto from "node:crypto";
import pg from "pg";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { openSql, type Sql } from "../../server/store/sql.ts";

export const BENCH_POSTGRES_URL = process.env.BENCH_POSTGRES_URL;

export interface RunDatabase {
  /** Server environment for this database ({} for SQLite: startBenchServer makes a file). */
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export async function runDatabase(): Promise<RunDatabase> {
  if (!BENCH_POSTGRES_URL) return { env: {}, drop: async () => {} };
  const name = `tg_bench_${crypto.randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  return { env: { DATABASE_URL: url.toString() }, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Opens a server's database from the benchmark process (statements of server/store/sql.ts). */
export function openBenchSql(databaseUrl: string): Sql {
  return openSql(resolveDatabaseTarget(databaseUrl));
}

/** Drops the outbox triggers the server installed at start (server/webhooks/triggers.ts): the API as it was before the outbox. */
export async function dropOutboxTriggers(sql: Sql): Promise<void> {
  if (sql.dialect === "sqlite") {
    const triggers = await sql.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'textgate_outbox_%'`);
    for (const { name } of triggers) await sql.run(`DROP TRIGGER ${name}`);
    return;
  }
  const triggers = await sql.all<{ name: string; tbl: string }>(
    `SELECT tgname AS name, tgrelid::regclass::text AS tbl FROM pg_trigger WHERE tgname LIKE 'textgate\\_outbox\\_%' AND NOT tgisinternal`,
  );
  for (const { name, tbl } of triggers) await sql.run(`DROP TRIGGER ${name} ON ${tbl}`);
}
