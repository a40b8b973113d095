/**
 * Query plans that must not depend on statistics. textgate's SQLite databases never run ANALYZE, and
 * without statistics SQLite chose the (status, expires_at) index for "the pending verification to this
 * number", walking every pending verification on each start and check by number (9.5 ms per call at 50,000
 * pending), the (status, due_at) index for "the next scheduled step of this verification", and, with no
 * index for it, the status index for a carrier receipt naming its message id (every step still waiting for
 * a receipt); and the owner console's lists by status or of test numbers walked or sorted every row of
 * that status. Each plan is read with EXPLAIN QUERY PLAN of the statement the repository really sends.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Sql, SqlParam } from "../../server/store/sql.ts";
import { streakColumns, streakOf } from "../../server/verification/guess-limits.ts";
import { VerificationRepository } from "../../server/verification/repository.ts";
import { providersUnderTest } from "../helpers/databases.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

/**
 * The plan of the first statement `fn` sends through the `Sql` it is given (a spy on `sql`), as EXPLAIN QUERY
 * PLAN words it, one step per " | ".
 */
async function planOfFirstStatement(sql: Sql, fn: (spy: Sql) => Promise<unknown>): Promise<string> {
  const seen: { text: string; params: readonly SqlParam[] }[] = [];
  const spy: Sql = {
    dialect: sql.dialect,
    all: (text, params) => (seen.push({ text, params: params ?? [] }), sql.all(text, params)),
    get: (text, params) => (seen.push({ text, params: params ?? [] }), sql.get(text, params)),
    run: (text, params) => (seen.push({ text, params: params ?? [] }), sql.run(text, params)),
    runAll: (statements) => (seen.push(...statements.map(([text, params]) => ({ text, params: params ?? [] }))), sql.runAll(statements)),
    transaction: (inner) => sql.transaction(inner),
    close: () => sql.close(),
  };
  await fn(spy);
  const [statement] = seen;
  expect(statement, "the repository sent a statement").toBeDefined();
  const plan = await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement!.text}`, statement!.params);
  return plan.map((row) => row.detail).join(" | ");
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

    const details = await planOfFirstStatement(sql, async (spy) => {
      const found = await engine.repo.findPending(to, "verify", t.clock.now(), spy);
      expect(found?.id).toBe(verification.id);
    });
    expect(details).toContain("verifications_to_status_idx");
    expect(details).not.toContain("verifications_status_expires_at_idx");
  });

  it("replaces a pending verification through the number's index, and reads the replaced one back walking it backward, unsorted", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const to = "+12125550128";
    // Earlier verifications of the number, each canceled by the next: the read back stops at the newest.
    for (let i = 0; i < 4; i++) await engine.create({ to });
    const { verification } = await engine.create({ to });
    const seen: { text: string; params: readonly SqlParam[] }[] = [];
    const spy: Sql = {
      ...sql,
      dialect: sql.dialect,
      get: (text, params) => (seen.push({ text, params: params ?? [] }), sql.get(text, params)),
      runAll: (statements) => (seen.push(...statements.map(([text, params]) => ({ text, params: params ?? [] }))), sql.runAll(statements)),
    };
    const now = t.clock.now();
    const next = { ...(await engine.repo.findById(verification.id))!, id: "01890000-0000-7000-8000-000000000002", createdAt: now, updatedAt: now };
    const step = { id: "01890000-0000-7000-8000-0000000000d2", stepIndex: 0, kind: "workflow" as const, channel: "sms" as const, status: "scheduled" as const, dueAt: now, leaseUntil: null, leaseToken: null, handedAt: null };
    const replaced = await new VerificationRepository(spy).insertReplacingPending(next, [step]);
    expect(replaced).toMatchObject({ id: verification.id, status: "canceled", finishedAt: now });
    const reads = seen.filter((s) => /^\s*(UPDATE|SELECT)/.test(s.text));
    expect(reads).toHaveLength(3); // the steps dropped, the verification canceled, the replaced one read back
    for (const { text, params } of reads) {
      const plan = (await sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params)).map((row) => row.detail).join(" | ");
      expect(plan, text).not.toMatch(/\bSCAN verifications\b/);
      expect(plan, text).toContain("verifications_to_status_idx");
      // The pending ones of a number are sorted, as findPending sorts them; the read back walks the index.
      if (text.includes("rowid DESC")) expect(plan, text).not.toContain("TEMP B-TREE");
    }
  });

  it("reads a check's verification and its number's guessing streak in one statement, each row by its primary key", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const { verification } = await engine.create({ to: "+12125550127" });
    const details = await planOfFirstStatement(sql, async (spy) => {
      const found = await new VerificationRepository(spy).findByIdWith(verification.id, streakColumns);
      expect(found?.record.id).toBe(verification.id);
      expect(streakOf(found!.row)).toEqual({ onRecord: false, lockedUntil: null });
    });
    expect(details).not.toMatch(/\bSCAN\b/);
    expect(details).toMatch(/SEARCH verifications USING INDEX sqlite_autoindex_verifications_1 \(id=\?\)|SEARCH verifications USING PRIMARY KEY/);
    expect(details).toMatch(/SEARCH guess_failures USING (INDEX sqlite_autoindex_guess_failures_1|PRIMARY KEY) \(phone=\?\)/);
  });

  it("finds a verification's next scheduled step through the verification's index", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const { verification } = await engine.create({ to: "+12125550126", workflow: [{ channel: "sms", afterSeconds: 0 }, { channel: "voice", afterSeconds: 60 }] });
    const details = await planOfFirstStatement(sql, async (spy) => {
      const next = await new VerificationRepository(spy).nextScheduled(verification.id);
      expect(next?.stepIndex).toBe(1);
    });
    expect(details).toContain("deliveries_verification_id_idx");
    expect(details).not.toContain("deliveries_status_due_at_idx");
  });

  it("lists the newest verifications of a status, or of test numbers, through an index in creation order", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const created: string[] = [];
    for (const to of ["+12125550128", "+12125550129", "+12125550130"]) created.push((await engine.create({ to })).verification.id);
    await engine.cancel(created[0]!, { enforceMinimumAge: false });
    const now = t.clock.now();
    const cases = [
      { filter: { status: "canceled" as const }, index: "verifications_status_created_at_idx", ids: [created[0]] },
      { filter: { status: "pending" as const }, index: "verifications_status_created_at_idx", ids: [created[2], created[1]] },
      { filter: { status: "expired" as const }, index: "verifications_status_created_at_idx", ids: [] },
      { filter: { testNumber: true }, index: "verifications_test_number_created_at_idx", ids: [] },
    ];
    for (const { filter, index, ids } of cases) {
      const details = await planOfFirstStatement(sql, async (spy) => {
        const rows = await new VerificationRepository(spy).listRecent({ limit: 50, now, ...filter });
        expect(rows.map((r) => r.id), JSON.stringify(filter)).toEqual(ids);
      });
      expect(details, JSON.stringify(filter)).toContain(index);
      expect(details, JSON.stringify(filter)).not.toMatch(/SCAN verifications|status_expires_at/);
    }
  });

  it("expires overdue verifications found through (status, expires_at), each updated by its primary key", async () => {
    t = await startTestRuntime("sqlite");
    const { sql } = t.runtime;
    const details = await planOfFirstStatement(sql, (spy) => new VerificationRepository(spy).expireDue(t.clock.now(), 100));
    expect(details).toContain("verifications_status_expires_at_idx (status=? AND expires_at<?)");
    expect(details).toMatch(/SEARCH verifications USING INDEX sqlite_autoindex_verifications_1 \(id=\?\)/);
    expect(details).not.toMatch(/status_created_at_idx|status_expires_at_idx \(status=\?\)/);
  });

  it("applies a carrier receipt by the carrier's message id through (carrier, carrier_message_id)", async () => {
    t = await startTestRuntime("sqlite");
    const { engine, sql } = t.runtime;
    const { verification } = await engine.create({ to: "+12125550127" });
    const [sent] = await sql.all<{ carrier: string; carrier_message_id: string }>(
      "SELECT carrier, carrier_message_id FROM deliveries WHERE verification_id = ?",
      [verification.id],
    );
    expect(sent?.carrier_message_id).toBeTruthy();
    for (const status of ["sent", "delivered", "failed"] as const) {
      const details = await planOfFirstStatement(sql, (spy) =>
        new VerificationRepository(spy).applyCarrierStatus({ carrier: sent!.carrier, carrierMessageId: sent!.carrier_message_id, status, at: t.clock.now() }),
      );
      expect(details, status).toContain("deliveries_carrier_carrier_message_id_idx");
    }
  });
});

// PostgreSQL only; providersUnderTest skips it without a server (and fails it when CI=true).
const providers = await providersUnderTest();

describe.skipIf(!providers.includes("postgresql"))("plans on PostgreSQL made when they run", () => {
  let t: TestRuntime;
  afterEach(() => t?.stop());

  it("never keeps a prepared plan for the background claims, sweeps and the outbox's numbering, and keeps one for the request path", async () => {
    // One connection, so that pg_prepared_statements (per session) lists every statement the runtime named.
    t = await startTestRuntime("postgresql", { DATABASE_POOL_SIZE: "1" });
    const { engine, webhooks, scheduler, sql } = t.runtime;
    await webhooks.endpoints.create({ url: "http://127.0.0.1:9/never-called" });
    // Each statement runs more than five times: PostgreSQL switches a named statement to a generic plan after five.
    for (let i = 0; i < 7; i++) {
      const to = `+1415555${String(3000 + i)}`;
      const { verification } = await engine.create({ to, validFor: 60 });
      if (i % 2) await engine.check({ id: verification.id }, await t.lastCode(to));
      await scheduler.tick();
      await webhooks.dispatcher.fanOut();
      await webhooks.dispatcher.claimDue(10);
      await webhooks.outbox.prune(new Date(0));
    }
    t.clock.advance(61);
    await scheduler.tick();
    const named = (await sql.all<{ statement: string }>(`SELECT statement FROM pg_prepared_statements`)).map((r) => r.statement.replace(/\s+/g, " "));
    // Planned at every run (server/store/sql.ts, plannedPerRun): a generic plan made while these tables were
    // empty read them whole once they were not (docs/benchmarks.md, "Plans made on empty tables").
    for (const fragment of ["FROM webhook_deliveries d", "FROM deliveries d", "SET status = 'expired'", "FROM pending_events", "DELETE FROM events", "DELETE FROM webhook_deliveries"]) {
      expect(named.filter((text) => text.includes(fragment)), fragment).toEqual([]);
    }
    // The request path stays prepared once per connection.
    for (const fragment of ["INSERT INTO sandbox_messages", "UPDATE verifications SET status = $1, attempts = attempts + $2"]) {
      expect(named.some((text) => text.includes(fragment)), fragment).toBe(true);
    }
  });
});
