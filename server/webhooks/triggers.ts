/**
 * The outbox's writers: database triggers that add a row to `events` whenever a verification, a delivery
 * or an inbound text changes in a way an application hears about. A trigger runs inside the transaction
 * that made the change (SQLite: in its statement; PostgreSQL: at its COMMIT, below), so the event commits
 * (or rolls back) with it on SQLite and PostgreSQL alike, for
 * every surface and every code path (engine.ts, delivery.ts, carrier receipts, inbound.ts) without one
 * more statement in any of them. See docs/architecture.md, Decisions, "The outbox is written by triggers".
 *
 * Installed at start (idempotent), not in a migration: Prisma's SQLite migrations rebuild a table to
 * change it ("RedefineTables"), which drops its triggers without a word; re-installing at every start
 * puts them back. Bump TRIGGER_VERSION when a body changes (and drop the old names here).
 *
 * PostgreSQL: sequence values are handed out at INSERT, not at COMMIT, so two concurrent transactions
 * can commit `seq` 6 before 5 and a reader that already moved past 6 would miss 5 for good. The
 * triggers therefore write `pending_events`, with no lock, and a reader numbers the committed rows
 * into `events` in one statement under the events lock (outbox.ts, `sequence`): `seq` order is the
 * order in which events became visible, which SSE resumption and the fan-out cursor rely on. Holding a
 * lock in the triggers instead made every writer's COMMIT wait for the others' (docs/benchmarks.md,
 * "Events numbered after their commit"). SQLite has one writer, and its triggers write `events`.
 * The PostgreSQL triggers are constraint triggers deferred to the commit: they fire in the order of
 * the changes, with each change's own OLD and NEW rows, and a row's id is taken as its transaction
 * commits.
 */
import type { Sql } from "../store/sql.ts";

/**
 * 2: a canceled verification's `reason` and `replacedBy` (verifications.replaced_by); 3: verification events
 * carry `test` (verifications.test_number, server/verification/test-numbers.ts); 4: PostgreSQL's are
 * deferred constraint triggers; 5: PostgreSQL's write `pending_events` without a lock.
 */
export const TRIGGER_VERSION = 5;
const P = `textgate_outbox_v${TRIGGER_VERSION}`;
/** Earlier versions' names, dropped when this version is installed (an event written twice otherwise). */
const RETIRED = Array.from({ length: TRIGGER_VERSION - 1 }, (_, i) => `textgate_outbox_v${i + 1}`);
const SQLITE_NAMES = ["verification_created", "verification_status", "delivery_status", "inbound"];
/** pg_advisory_xact_lock key of whoever gives events their `seq` on PostgreSQL (an arbitrary constant, "tgev"). */
export const EVENTS_LOCK_KEY = 0x74676576;
const INSTALL_LOCK_KEY = 0x74676569;

// SQLite keeps booleans as 0/1: outbox.ts payloadOf turns `test` into true/false.
const V_REF_SQLITE = `'verificationId', NEW.id, 'to', NEW."to", 'purpose', NEW.purpose, 'surface', NEW.surface, 'test', NEW.test_number`;

/**
 * The fields of a verification's terminal event (both dialects): `by` for approved, `reason` for failed
 * (the last carrier's error) and canceled (`request`, or `replaced` by `replacedBy`, engine.ts create).
 */
const TERMINAL_FIELDS = `'attempts', NEW.attempts,
       'by', CASE WHEN NEW.status = 'approved' THEN CASE WHEN NEW.attempts > OLD.attempts THEN 'code' ELSE 'owner' END END,
       'reason', CASE
         WHEN NEW.status = 'failed' THEN
           (SELECT error_code FROM deliveries WHERE verification_id = NEW.id AND status = 'failed' ORDER BY updated_at DESC LIMIT 1)
         WHEN NEW.status = 'canceled' THEN CASE WHEN NEW.replaced_by IS NULL THEN 'request' ELSE 'replaced' END END,
       'replacedBy', NEW.replaced_by`;

/** The events one delivery status change makes, in order, joined to its verification (both dialects). */
const DELIVERY_EVENTS_FROM = `FROM verifications v,
     (SELECT 'verification.step_sent' AS type, 1 AS o WHERE OLD.status = 'sending' AND NEW.status IN ('sent', 'delivered')
      UNION ALL SELECT 'verification.delivered', 2 WHERE NEW.status = 'delivered'
      UNION ALL SELECT 'verification.undelivered', 2 WHERE NEW.status = 'failed') t
   WHERE v.id = NEW.verification_id
   ORDER BY t.o;`;

const SQLITE_TRIGGERS = [
  `CREATE TRIGGER IF NOT EXISTS ${P}_verification_created AFTER INSERT ON verifications
   BEGIN
     INSERT INTO events (type, verification_id, data, created_at) VALUES ('verification.created', NEW.id,
       json_object(${V_REF_SQLITE}, 'channel', json_extract(NEW.workflow, '$[0].channel'), 'expiresAt', NEW.expires_at), NEW.created_at);
   END`,
  `CREATE TRIGGER IF NOT EXISTS ${P}_verification_status AFTER UPDATE OF status ON verifications
   WHEN NEW.status <> OLD.status AND NEW.status IN ('approved', 'expired', 'canceled', 'failed', 'max_attempts_reached')
   BEGIN
     INSERT INTO events (type, verification_id, data, created_at) VALUES ('verification.' || NEW.status, NEW.id,
       json_object(${V_REF_SQLITE}, ${TERMINAL_FIELDS}),
       NEW.updated_at);
   END`,
  // A step that leaves 'sending' for sent/delivered went out (step_sent); delivered and failed are the
  // carrier's receipt (or the last carrier's refusal): verification.delivered / verification.undelivered.
  `CREATE TRIGGER IF NOT EXISTS ${P}_delivery_status AFTER UPDATE OF status ON deliveries
   WHEN NEW.status <> OLD.status AND NEW.status IN ('sent', 'delivered', 'failed')
   BEGIN
     INSERT INTO events (type, verification_id, data, created_at)
     SELECT t.type, v.id,
       json_object('verificationId', v.id, 'to', v."to", 'purpose', v.purpose, 'surface', v.surface, 'test', v.test_number, 'deliveryId', NEW.id,
         'step', NEW.step_index, 'kind', NEW.kind, 'channel', NEW.channel, 'carrier', NEW.carrier,
         'errorCode', CASE WHEN NEW.status = 'failed' THEN NEW.error_code END),
       NEW.updated_at
     ${DELIVERY_EVENTS_FROM}
   END`,
  `CREATE TRIGGER IF NOT EXISTS ${P}_inbound AFTER INSERT ON inbound_messages
   BEGIN
     INSERT INTO events (type, verification_id, data, created_at) VALUES ('inbound.message', NULL,
       json_object('inboundId', NEW.id, 'carrier', NEW.carrier, 'from', NEW."from", 'to', NEW."to", 'body', NEW.body), NEW.received_at);
   END`,
];

const PG_TIME = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const V_REF_PG = `'verificationId', NEW.id, 'to', NEW."to", 'purpose', NEW.purpose, 'surface', NEW.surface, 'test', NEW.test_number`;

const PG_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION ${P}_verifications() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     IF TG_OP = 'INSERT' THEN
       INSERT INTO pending_events (type, verification_id, data, created_at) VALUES ('verification.created', NEW.id,
         json_build_object(${V_REF_PG}, 'channel', NEW.workflow::json -> 0 ->> 'channel', 'expiresAt', ${PG_TIME("NEW.expires_at")})::text,
         NEW.created_at);
     ELSIF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('approved', 'expired', 'canceled', 'failed', 'max_attempts_reached') THEN
       INSERT INTO pending_events (type, verification_id, data, created_at) VALUES ('verification.' || NEW.status, NEW.id,
         json_build_object(${V_REF_PG}, ${TERMINAL_FIELDS})::text,
         NEW.updated_at);
     END IF;
     RETURN NULL;
   END $fn$`,
  `CREATE OR REPLACE FUNCTION ${P}_deliveries() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('sent', 'delivered', 'failed') THEN
       INSERT INTO pending_events (type, verification_id, data, created_at)
       SELECT t.type, v.id,
         json_build_object('verificationId', v.id, 'to', v."to", 'purpose', v.purpose, 'surface', v.surface, 'test', v.test_number, 'deliveryId', NEW.id,
           'step', NEW.step_index, 'kind', NEW.kind, 'channel', NEW.channel, 'carrier', NEW.carrier,
           'errorCode', CASE WHEN NEW.status = 'failed' THEN NEW.error_code END)::text,
         NEW.updated_at
       ${DELIVERY_EVENTS_FROM}
     END IF;
     RETURN NULL;
   END $fn$`,
  `CREATE OR REPLACE FUNCTION ${P}_inbound() RETURNS trigger LANGUAGE plpgsql AS $fn$
   BEGIN
     INSERT INTO pending_events (type, verification_id, data, created_at) VALUES ('inbound.message', NULL,
       json_build_object('inboundId', NEW.id, 'carrier', NEW.carrier, 'from', NEW."from", 'to', NEW."to", 'body', NEW.body)::text, NEW.received_at);
     RETURN NULL;
   END $fn$`,
];

const PG_TRIGGERS: [name: string, table: string, when: string, fn: string][] = [
  [`${P}_verifications`, "verifications", "AFTER INSERT OR UPDATE OF status", `${P}_verifications`],
  [`${P}_deliveries`, "deliveries", "AFTER UPDATE OF status", `${P}_deliveries`],
  [`${P}_inbound`, "inbound_messages", "AFTER INSERT", `${P}_inbound`],
];

/** Installs the outbox triggers when they are missing; a no-op (one query) when they are there. */
export async function installOutboxTriggers(sql: Sql): Promise<void> {
  if (sql.dialect === "sqlite") {
    for (const old of RETIRED) for (const name of SQLITE_NAMES) await sql.run(`DROP TRIGGER IF EXISTS ${old}_${name}`);
    for (const statement of SQLITE_TRIGGERS) await sql.run(statement);
    return;
  }
  const present = async (db: Sql) =>
    Number((await db.get<{ n: string }>(`SELECT COUNT(*) AS n FROM pg_trigger WHERE tgname LIKE '${P}\\_%' AND NOT tgisinternal`))?.n ?? 0);
  if ((await present(sql)) === PG_TRIGGERS.length) return;
  // Several nodes may start at once: one installs, the others wait and find the triggers there.
  await sql.transaction(async (tx) => {
    await tx.get(`SELECT pg_advisory_xact_lock(${INSTALL_LOCK_KEY})`);
    if ((await present(tx)) === PG_TRIGGERS.length) return;
    for (const old of RETIRED) {
      for (const [name, table] of PG_TRIGGERS) await tx.run(`DROP TRIGGER IF EXISTS ${name.replace(P, old)} ON ${table}`);
      for (const [, , , fn] of PG_TRIGGERS) await tx.run(`DROP FUNCTION IF EXISTS ${fn.replace(P, old)}()`);
    }
    for (const fn of PG_FUNCTIONS) await tx.run(fn);
    for (const [name, table, when, fn] of PG_TRIGGERS) {
      await tx.run(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
      await tx.run(`CREATE CONSTRAINT TRIGGER ${name} ${when} ON ${table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${fn}()`);
    }
  });
}
