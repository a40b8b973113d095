/**
 * Test databases: a fresh SQLite file, or a fresh PostgreSQL database on the local server.
 * PostgreSQL tests skip with a message when no server answers, except in CI (CI=true), where they fail.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { copySqliteTemplate } from "./database-templates.ts";
import { createPostgresDatabase, POSTGRES_URL, postgresAvailable, requireService } from "./services.ts";

export { POSTGRES_URL };

/** Whether PostgreSQL answers; the one check and policy live in services.ts. */
export async function postgresReachable(): Promise<boolean> {
  return (await postgresAvailable()).available;
}

/**
 * Which providers a suite runs on. Without PostgreSQL: only SQLite, with a message saying so, or a
 * failure in CI, where PostgreSQL must be there.
 */
export async function providersUnderTest(): Promise<("sqlite" | "postgresql")[]> {
  return (await requireService("PostgreSQL", postgresAvailable())) ? ["sqlite", "postgresql"] : ["sqlite"];
}


export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database, migrated (a copy of the run's template, see database-templates.ts) unless `empty`. */
export async function createTestDatabase(provider: "sqlite" | "postgresql", options: { empty?: boolean } = {}): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-test-"));
    const file = path.join(dir, "test.db");
    if (!options.empty) copySqliteTemplate(file);
    return { url: `file:${file}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  return createPostgresDatabase(options);
}
