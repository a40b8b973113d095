/**
 * Test databases: a fresh SQLite file, or a fresh PostgreSQL database on the local server.
 * PostgreSQL tests skip with a message when no server answers, except in CI (CI=true), where they fail.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { POSTGRES_URL, postgresAvailable } from "./services.ts";

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
  if (await postgresReachable()) return ["sqlite", "postgresql"];
  if (process.env.CI === "true") throw new Error(`PostgreSQL is required in CI but ${POSTGRES_URL} does not answer`);
  console.warn(`[textgate tests] PostgreSQL at ${POSTGRES_URL} does not answer: PostgreSQL cases are skipped (set TEST_POSTGRES_URL).`);
  return ["sqlite"];
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(provider: "sqlite" | "postgresql"): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "textgate-test-"));
    return { url: `file:${path.join(dir, "test.db")}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tg_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
