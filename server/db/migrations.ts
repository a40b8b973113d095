/**
 * Applies the committed migrations of prisma/<provider>/migrations to a database, offline.
 * Used by `npm run db:migrate` and by the server at start.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseTarget } from "./database-url.ts";
import { EMPTY_FILTERS, openSchemaEngine } from "./schema-engine.ts";

const PRISMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma");

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

/** Names of committed migrations the database has not applied (all of them on a new database). */
export async function pendingMigrations(target: DatabaseTarget, appliedNames: () => Promise<string[]>): Promise<string[]> {
  let applied: Set<string>;
  try {
    applied = new Set(await appliedNames());
  } catch {
    applied = new Set(); // no _prisma_migrations table yet
  }
  return readMigrations(migrationsDirFor(target))
    .map((m) => m.name)
    .filter((name) => !applied.has(name));
}
