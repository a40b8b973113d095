/**
 * A fresh migrated SQLite database for unit tests. The committed migration SQL is executed directly
 * with better-sqlite3 (fast, and independent of the schema engine).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createDb, type Db } from "../../server/db/client.ts";
import type { DatabaseTarget } from "../../server/db/database-url.ts";
import { migrationsDirFor, readMigrations } from "../../server/db/migrations.ts";

export interface TestSqlite {
  prisma: Db;
  target: DatabaseTarget;
  /** Direct access for assertions on stored rows. */
  raw: Database.Database;
  close(): Promise<void>;
}

export async function createTestSqlite(): Promise<TestSqlite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-unit-"));
  const target: DatabaseTarget = { provider: "sqlite", url: path.join(dir, "t.db") };
  const raw = new Database(target.url);
  for (const migration of readMigrations(migrationsDirFor(target))) raw.exec(migration.sql);
  const prisma = createDb(target);
  return {
    prisma,
    target,
    raw,
    async close() {
      await prisma.$disconnect();
      raw.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
