/**
 * Query plans that must not depend on statistics. textgate's SQLite databases never run ANALYZE, and
 * without statistics SQLite chose the (status, expires_at) index for "the pending verification to this
 * number", walking every pending verification on each start and check by number (9.5 ms per call at 50,000
 * pending). The plan is read with EXPLAIN QUERY PLAN of the statement the repository really sends.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Sql, SqlParam } from "../../server/store/sql.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

/** The statements `fn` sends through `sql`, in order. */
async function statementsOf(sql: Sql, fn: (spy: Sql) => Promise<unknown>): Promise<{ text: string; params: readonly SqlParam[] }[]> {
  const seen: { text: string; params: readonly SqlParam[] }[] = [];
  const spy: Sql = {
    dialect: sql.dialect,
    all: (text, params) => (seen.push({ text, params: params ?? [] }), sql.all(text, params)),
    get: (text, params) => (seen.push({ text, params: params ?? [] }), sql.get(text, params)),
    run: (text, params) => (seen.push({ text, params: params ?? [] }), sql.run(text, params)),
    transaction: (inner) => sql.transaction(inner),
    close: () => sql.close(),
  };
  await fn(spy);
  return seen;
}

describe("query plans on SQLite without statistics", () => {
  let t: TestRuntime;
  afterEach(() => t?.stop());

  it("finds the pending verification to a number through the number's index, not by walking every pending one", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const to = "+12125550123";
    const { verification } = await engine.create({ to });
    for (const other of ["+12125550124", "+12125550125"]) await engine.create({ to: other });

    const [statement] = await statementsOf(sql, async (spy) => {
      const found = await engine.repo.findPending(to, "verify", t.clock.now(), spy);
      expect(found?.id).toBe(verification.id);
    });
    expect(statement).toBeDefined();
    const plan = await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement!.text}`, statement!.params);
    const details = plan.map((row) => row.detail).join(" | ");
    expect(details).toContain("verifications_to_status_idx");
    expect(details).not.toContain("verifications_status_expires_at_idx");
  });
});
