/**
 * The insights rollup killed with SIGKILL midway never counts anything twice: a process recounting one
 * busy hour (tests/helpers/insights-rollup-child.ts) is killed at random moments, many times; after
 * each kill the hour's rows are either as the last finished recount left them or absent, never a
 * partial or doubled count, and they equal a SQL count of the raw rows. SQLite and PostgreSQL (skipped
 * without it, except in CI).
 */
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { resolveDatabaseTarget } from "../../server/db/database-url.ts";
import { openSql, type Sql } from "../../server/store/sql.ts";
import { createTestDatabase, providersUnderTest, type TestDatabase } from "../helpers/databases.ts";

const providers = await providersUnderTest();
const KILLS = 6;
const ROWS = 3_000;

async function seedHour(sql: Sql, hour: Date): Promise<void> {
  await sql.transaction(async (tx) => {
    for (let i = 0; i < ROWS; i++) {
      const id = crypto.randomUUID();
      const at = new Date(hour.getTime() + Math.floor((i / ROWS) * 3_600_000));
      const approved = i % 3 !== 0;
      await tx.run(
        `INSERT INTO verifications (id, "to", purpose, status, workflow, code_hash, code_sealed, code_length, locale, attempts, max_attempts, valid_for,
         expires_at, surface, test_number, created_at, updated_at, finished_at) VALUES (?, ?, 'verify', ?, '[]', 'h', 's', 6, 'en', 0, 5, 600, ?, 'native', ?, ?, ?, ?)`,
        [id, `+1415555${String(i % 10_000).padStart(4, "0")}`, approved ? "approved" : "expired", new Date(at.getTime() + 600_000), false, at, at, new Date(at.getTime() + 9_000)],
      );
      await tx.run(
        `INSERT INTO deliveries (id, verification_id, step_index, kind, channel, carrier, status, due_at, tries, created_at, updated_at, sent_at)
         VALUES (?, ?, 0, 'workflow', 'sms', 'sandbox', 'sent', ?, 1, ?, ?, ?)`,
        [crypto.randomUUID(), id, at, at, at, new Date(at.getTime() + 1_000)],
      );
    }
  });
}

/** Runs the child until it has finished `passes` recounts, then SIGKILLs it after a random extra delay. */
function runAndKill(url: string, hour: Date, passes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/helpers/insights-rollup-child.ts", url, hour.toISOString()], { stdio: ["ignore", "pipe", "pipe"] });
    let done = 0;
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      done += (chunk.toString().match(/pass \d+/g) ?? []).length;
      if (done === passes) setTimeout(() => child.kill("SIGKILL"), Math.random() * 40);
    });
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(done) : reject(new Error(`rollup child exited on its own: ${stderr}`))));
  });
}

describe.each(providers)("insights rollup killed midway on %s", (provider) => {
  let database: TestDatabase | undefined;
  let sql: Sql | undefined;
  afterEach(async () => {
    await sql?.close();
    await database?.drop();
  });

  it(`SIGKILLed ${KILLS} times mid-recount, the hour's rows never hold a partial or doubled count`, async () => {
    database = await createTestDatabase(provider);
    sql = openSql(resolveDatabaseTarget(database.url));
    const hour = new Date("2026-11-20T10:00:00.000Z");
    await seedHour(sql, hour);
    const raw = await sql.get<{ started: unknown; approved: unknown }>(
      `SELECT COUNT(*) AS started, SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END) AS approved FROM verifications`,
    );
    for (let kill = 0; kill < KILLS; kill++) {
      await runAndKill(database.url, hour, 1 + (kill % 2));
      const rows = await sql.get<{ started: unknown; approved: unknown; sends: unknown }>(
        `SELECT SUM(started) AS started, SUM(approved) AS approved, SUM(sends) AS sends FROM insight_buckets WHERE hour = ?`,
        [hour],
      );
      const hours = await sql.get<{ started: unknown }>(`SELECT started FROM insight_hours WHERE hour = ?`, [hour]);
      // A finished recount happened before every kill: the rows are that recount's, whatever the kill interrupted.
      expect({ started: Number(rows?.started), approved: Number(rows?.approved), sends: Number(rows?.sends), hour: Number(hours?.started) }).toEqual({
        started: Number(raw?.started),
        approved: Number(raw?.approved),
        sends: ROWS,
        hour: ROWS,
      });
    }
  }, 120_000);
});
