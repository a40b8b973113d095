/**
 * Applies the committed migrations of prisma/<provider>/migrations to a database, offline.
 * Used by `npm run db:migrate` and by the server at start.
 */
import fs from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseTarget } from "./database-url.ts";
import { EMPTY_FILTERS, openSchemaEngine } from "./schema-engine.ts";

/**
 * prisma/ with the schemas and migrations: at the repository's root (two folders above this file), or in
 * the package's dist/ (scripts/package/build.ts copies it there; bundled, this code sits in dist/ or
 * dist/chunks/). The nearest folder above this file that has one.
 */
function findPrismaDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "prisma", "sqlite", "schema.prisma"))) return path.join(dir, "prisma");
  }
  throw new Error(`textgate's prisma/ folder (schemas and migrations) was not found above ${fileURLToPath(import.meta.url)}`);
}

const PRISMA_DIR = findPrismaDir();

export interface MigrationFolder {
  name: string;
  sql: string;
}

export function migrationsDirFor(target: DatabaseTarget): string {
  return path.join(PRISMA_DIR, target.provider, "migrations");
}

export function readMigrations(dir: string): MigrationFolder[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => ({ name: entry.name, sql: fs.readFileSync(path.join(dir, entry.name, "migration.sql"), "utf8") }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Applies every pending migration; returns the names applied (empty when the database was current). */
export async function applyMigrations(target: DatabaseTarget, log: (line: string) => void = () => {}): Promise<string[]> {
  const dir = migrationsDirFor(target);
  const schemaText = fs.readFileSync(path.join(PRISMA_DIR, target.provider, "schema.prisma"), "utf8");
  const lockPath = path.join(dir, "migration_lock.toml");
  const { engine, close } = await openSchemaEngine(target, schemaText, log);
  try {
    const output = await engine.applyMigrations({
      migrationsList: {
        baseDir: dir,
        lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
        shadowDbInitScript: "",
        migrationDirectories: readMigrations(dir).map((m) => ({
          path: m.name,
          migrationFile: { path: "migration.sql", content: { tag: "ok", value: m.sql } },
        })),
      },
      filters: EMPTY_FILTERS,
    } as never);
    return output.appliedMigrationNames;
  } finally {
    await close();
  }
}

/** Names of the migrations a database has applied, read over a short-lived connection of its own. */
export async function appliedMigrationNames(target: DatabaseTarget): Promise<string[]> {
  const query = "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL";
  if (target.provider === "sqlite") {
    if (!fs.existsSync(target.url)) return [];
    const db = new Database(target.url, { timeout: 5000 });
    try {
      if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get()) return [];
      return (db.prepare(query).all() as { migration_name: string }[]).map((r) => r.migration_name);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>("SELECT to_regclass('_prisma_migrations')::text AS t");
    if (!table.rows[0]?.t) return [];
    return (await client.query<{ migration_name: string }>(query)).rows.map((r) => r.migration_name);
  } finally {
    await client.end();
  }
}

/** Names of committed migrations the database has not applied (all of them on a new database). */
export async function pendingMigrations(target: DatabaseTarget): Promise<string[]> {
  const applied = new Set(await appliedMigrationNames(target));
  return readMigrations(migrationsDirFor(target))
    .map((m) => m.name)
    .filter((name) => !applied.has(name));
}

export class MigrationError extends Error {}

/**
 * Applies pending migrations, starting the schema engine only when there are some. Call it before the
 * process opens its own connections: on SQLite the engine needs the file to itself.
 */
export async function migrateIfNeeded(target: DatabaseTarget): Promise<string[]> {
  if (!(await pendingMigrations(target)).length) return [];
  try {
    return await applyMigrations(target);
  } catch (error) {
    const message = (error as Error)?.message ?? String(error);
    if (target.provider === "sqlite" && /SocketTimeout|database is locked|SQLITE_BUSY/i.test(message)) {
      throw new MigrationError(
        `Could not migrate ${target.url}: another process has the database open. Stop the other textgate processes using this file, then run: npm run db:migrate`,
      );
    }
    throw new MigrationError(`Could not apply the database migrations: ${message}`);
  }
}
