/**
 * Test databases: a fresh SQLite file, or a fresh PostgreSQL database on the local server.
 * PostgreSQL tests skip with a message when no server answers, except in CI (CI=true), where they fail.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
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
