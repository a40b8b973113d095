/**
 * SQL of the verification engine over the `verifications` and `deliveries` tables.
 * Every state change is one conditional statement, so concurrent callers cannot both win:
 * the WHERE clause carries the invariant (still pending, not expired, attempts left).
 */
import type { Sql, SqlParam } from "../store/sql.ts";
import { plannedPerRun, toBool, toDate, toDateOrNull } from "../store/sql.ts";
import type { Channel, DeliveryStatus, DeliveryView, Surface, VerificationStatus, WorkflowStep } from "./types.ts";

/**
 * error_code of a delivery re-claimed after its lease ran out once it had been handed to a carrier
 * (`handed_at` set): the process sending it died or stalled before recording the outcome, so the carrier
 * may have it. A delivery claimed but never handed over comes back without it and is simply sent.
 */
export const INTERRUPTED = "interrupted";
const INTERRUPTED_MESSAGE = "the process sending it stopped before recording the outcome";

export interface VerificationRecord {
  id: string;
  to: string;
  purpose: string;
  status: VerificationStatus;
  workflow: WorkflowStep[];
  workflowPreset: number | null;
  codeHash: string;
  codeSealed: string;
  codeLength: number;
  alphanumeric: boolean;
  customCode: boolean;
  locale: string;
  brand: string | null;
  template: string | null;
  sender: string | null;
  attempts: number;
  maxAttempts: number;
  validFor: number;
  expiresAt: Date;
  surface: Surface;
  /** Created for a TEST_NUMBERS entry: its steps are never handed to a carrier (test-numbers.ts). */
  testNumber: boolean;
  clientRef: string | null;
  apiKeyId: string | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface DeliveryRecord extends DeliveryView {
  verificationId: string;
  leaseUntil: Date | null;
  /** The claim holding the lease: a fresh token per claim, re-checked before every carrier call. */
  leaseToken: string | null;
  /** When this attempt was first handed to a carrier; null while it never was. */
  handedAt: Date | null;
  tries: number;
}

type Raw = Record<string, unknown>;

const V_COLUMNS = `id, "to", purpose, status, workflow, workflow_preset, code_hash, code_sealed, code_length, alphanumeric,
  custom_code, locale, brand, template, sender, attempts, max_attempts, valid_for, expires_at, surface, test_number, client_ref,
  api_key_id, idempotency_key, request_hash, created_at, updated_at, finished_at`;

const V_PLACEHOLDERS = `(${Array.from({ length: 28 }, () => "?").join(", ")})`;

function verificationParams(v: VerificationRecord): SqlParam[] {
  return [
    v.id, v.to, v.purpose, v.status, JSON.stringify(v.workflow), v.workflowPreset, v.codeHash, v.codeSealed, v.codeLength,
    v.alphanumeric, v.customCode, v.locale, v.brand, v.template, v.sender, v.attempts, v.maxAttempts, v.validFor,
    v.expiresAt, v.surface, v.testNumber, v.clientRef, v.apiKeyId, v.idempotencyKey, v.requestHash, v.createdAt, v.updatedAt, v.finishedAt,
  ];
}

const DELIVERY_INSERT_COLUMNS = "id, verification_id, step_index, kind, channel, status, due_at, lease_until, lease_token, handed_at, tries, created_at, updated_at";
const DELIVERY_PLACEHOLDERS = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

function deliveryParams(verificationId: string, d: NewDelivery, now: Date): SqlParam[] {
  return [d.id, verificationId, d.stepIndex, d.kind, d.channel, d.status, d.dueAt, d.leaseUntil, d.leaseToken, d.handedAt, d.status === "sending" ? 1 : 0, now, now];
}

const D_COLUMNS = `id, verification_id, step_index, kind, channel, carrier, carrier_message_id, status, due_at, lease_until, lease_token,
  handed_at, tries, error_code, error, sent_at, delivered_at, failed_at`;

function mapVerification(r: Raw): VerificationRecord {
  return {
    id: r.id as string,
    to: r.to as string,
    purpose: r.purpose as string,
    status: r.status as VerificationStatus,
    workflow: JSON.parse(r.workflow as string) as WorkflowStep[],
    workflowPreset: (r.workflow_preset as number | null) ?? null,
    codeHash: r.code_hash as string,
    codeSealed: r.code_sealed as string,
    codeLength: Number(r.code_length),
    alphanumeric: toBool(r.alphanumeric),
    customCode: toBool(r.custom_code),
    locale: r.locale as string,
    brand: (r.brand as string | null) ?? null,
    template: (r.template as string | null) ?? null,
    sender: (r.sender as string | null) ?? null,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    validFor: Number(r.valid_for),
    expiresAt: toDate(r.expires_at),
    surface: r.surface as Surface,
    testNumber: toBool(r.test_number),
    clientRef: (r.client_ref as string | null) ?? null,
    apiKeyId: (r.api_key_id as string | null) ?? null,
    idempotencyKey: (r.idempotency_key as string | null) ?? null,
    requestHash: (r.request_hash as string | null) ?? null,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    finishedAt: toDateOrNull(r.finished_at),
  };
}

function mapDelivery(r: Raw): DeliveryRecord {
  return {
    id: r.id as string,
    verificationId: r.verification_id as string,
    stepIndex: Number(r.step_index),
    kind: r.kind as DeliveryRecord["kind"],
    channel: r.channel as Channel,
    carrier: (r.carrier as string | null) ?? null,
    carrierMessageId: (r.carrier_message_id as string | null) ?? null,
    status: r.status as DeliveryStatus,
    dueAt: toDate(r.due_at),
    leaseUntil: toDateOrNull(r.lease_until),
    leaseToken: (r.lease_token as string | null) ?? null,
    handedAt: toDateOrNull(r.handed_at),
    tries: Number(r.tries),
    errorCode: (r.error_code as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    sentAt: toDateOrNull(r.sent_at),
    deliveredAt: toDateOrNull(r.delivered_at),
    failedAt: toDateOrNull(r.failed_at),
  };
}

/**
 * A delivery as its claimer holds it. Outcomes other than "sent" are recorded only under the claim's
 * lease token: a sender that lost its lease must not undo the work of the one that took the step over.
 * A send, on the other hand, is recorded whoever made it (markSent), since it happened.
 */
/** A verification as the insights rollup counts it (VerificationRepository.startedBetween). */
export interface StartedVerification {
  id: string;
  to: string;
  status: VerificationStatus;
  surface: Surface;
  finishedAt: Date | null;
}

/** A message handed to a carrier, as the insights rollup counts it. */
export interface SentMessage {
  verificationId: string;
  channel: Channel;
  carrier: string | null;
  sentAt: Date;
}

export type HeldDelivery = Pick<DeliveryRecord, "id" | "leaseToken">;

export interface NewDelivery {
  id: string;
  stepIndex: number;
  kind: "workflow" | "resend";
  channel: Channel;
  status: "scheduled" | "sending";
  dueAt: Date;
  leaseUntil: Date | null;
  leaseToken: string | null;
  /** Set for a row inserted "sending" and handed to a carrier by the same request (create, resend). */
  handedAt: Date | null;
}

/**
 * The index SQLite must use for a statement, after its table name; nothing on PostgreSQL, which plans from its
 * statistics. SQLite has none here (no ANALYZE runs) and then prefers any index led by a column the statement
 * names, `status` above all (docs/architecture.md, "SQLite plans do not depend on statistics").
 */
function indexedBy(db: Sql, index: string): string {
  return db.dialect === "sqlite" ? ` INDEXED BY ${index}` : "";
}

export class VerificationRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Verifications created in [from, to], test numbers' left out, each with its first workflow step's
   * carrier (null: none yet): the low-conversion alarm's hour (server/owners/conversion-alarms.ts). Through
   * verifications_created_at_idx and deliveries_verification_id_idx: the window's rows, never a table scan.
   */
  async createdBetween(from: Date, to: Date): Promise<{ to: string; status: string; carrier: string | null }[]> {
    return this.sql.all(
      `SELECT v."to" AS "to", v.status AS status, d.carrier AS carrier
       FROM verifications v
       LEFT JOIN deliveries d ON d.verification_id = v.id AND d.step_index = 0 AND d.kind = 'workflow'
       WHERE v.created_at >= ? AND v.created_at <= ? AND v.test_number = ?`,
      [from, to, false],
    );
  }

  async findById(id: string, db: Sql = this.sql): Promise<VerificationRecord | null> {
    const row = await db.get<Raw>(`SELECT ${V_COLUMNS} FROM verifications WHERE id = ?`, [id]);
    return row ? mapVerification(row) : null;
  }

  /**
   * A verification with more columns of the same statement, read back by the caller: `also(number)`
   * gives them, from the SQL expression of the verification's number (guess-limits.ts streakColumns).
   */
  async findByIdWith(id: string, also: (number: string) => string): Promise<{ record: VerificationRecord; row: Raw } | null> {
    const row = await this.sql.get<Raw>(`SELECT ${V_COLUMNS}, ${also(`verifications."to"`)} FROM verifications WHERE id = ?`, [id]);
    return row ? { record: mapVerification(row), row } : null;
  }

  async findByIdempotencyKey(apiKeyId: string | null, key: string, db: Sql = this.sql): Promise<VerificationRecord | null> {
    const row = await db.get<Raw>(
      `SELECT ${V_COLUMNS} FROM verifications WHERE idempotency_key = ? AND ${apiKeyId === null ? "api_key_id IS NULL" : "api_key_id = ?"}`,
      apiKeyId === null ? [key] : [key, apiKeyId],
    );
    return row ? mapVerification(row) : null;
  }

  /** The newest verification to this number and purpose that can still be checked. */
  async findPending(to: string, purpose: string, now: Date, db: Sql = this.sql): Promise<VerificationRecord | null> {
    // Without statistics (no ANALYZE has run, as on every SQLite database textgate makes) SQLite picks the
    // (status, expires_at) index for this and walks every pending verification: 9.5 ms per call at 50,000
    // pending against 3 µs through the number's (tests/engine/query-plans.test.ts). PostgreSQL plans from its statistics.
    const index = indexedBy(db, "verifications_to_status_idx");
    const row = await db.get<Raw>(
      `SELECT ${V_COLUMNS} FROM verifications${index} WHERE "to" = ? AND purpose = ? AND status = 'pending' AND expires_at > ?
       ORDER BY created_at DESC LIMIT 1`,
      [to, purpose, now],
    );
    return row ? mapVerification(row) : null;
  }

  /** The newest verification to this number and purpose, whatever its status. */
  async findNewest(to: string, purpose: string): Promise<VerificationRecord | null> {
    const row = await this.sql.get<Raw>(`SELECT ${V_COLUMNS} FROM verifications WHERE "to" = ? AND purpose = ? ORDER BY created_at DESC LIMIT 1`, [to, purpose]);
    return row ? mapVerification(row) : null;
  }

  /**
   * The newest verifications first, at most `limit`, optionally of one status (as it reads at `now`: a
   * pending row past its expiry counts as expired) and one surface.
   */
  async listRecent(filter: { limit: number; now: Date; status?: VerificationStatus; surface?: Surface; testNumber?: boolean }): Promise<VerificationRecord[]> {
    const others: string[] = [];
    const otherParams: SqlParam[] = [];
    if (filter.surface) {
      others.push("surface = ?");
      otherParams.push(filter.surface);
    }
    if (filter.testNumber !== undefined) {
      others.push("test_number = ?");
      otherParams.push(filter.testNumber);
    }
    // Newest first through (status, created_at) or (test_number, created_at), stopping at the limit: the
    // owner console polls these, and a walk of every row of a status (or a sort of them) grows with the
    // table (tests/engine/query-plans.test.ts). SQLite, without statistics, is told the index.
    const byStatus = indexedBy(this.sql, "verifications_status_created_at_idx");
    const newest = (index: string, conditions: string[]) =>
      `SELECT ${V_COLUMNS} FROM verifications${index} ${conditions.length ? `WHERE ${conditions.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ?`;
    let rows: Raw[];
    if (filter.status === "expired") {
      // Expired, or still pending past its expiry (the sweep has not marked it yet): the newest of each, then of both.
      rows = await this.sql.all<Raw>(
        `SELECT * FROM (${newest(byStatus, ["status = 'expired'", ...others])}) AS expired_rows
         UNION ALL SELECT * FROM (${newest(byStatus, ["status = 'pending'", "expires_at <= ?", ...others])}) AS overdue_rows
         ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...otherParams, filter.limit, filter.now, ...otherParams, filter.limit, filter.limit],
      );
    } else if (filter.status === "pending") {
      rows = await this.sql.all<Raw>(newest(byStatus, ["status = 'pending'", "expires_at > ?", ...others]), [filter.now, ...otherParams, filter.limit]);
    } else if (filter.status) {
      rows = await this.sql.all<Raw>(newest(byStatus, ["status = ?", ...others]), [filter.status, ...otherParams, filter.limit]);
    } else {
      rows = await this.sql.all<Raw>(newest("", others), [...otherParams, filter.limit]);
    }
    return rows.map(mapVerification);
  }

  /**
   * What the /owner insights' rollup (server/owners/insights/rollup.ts) counts for one stretch of time:
   * the verifications created in [from, to), test numbers left out (nothing of theirs reaches a carrier),
   * and their messages handed to carriers. Two range reads on the created_at index.
   */
  async startedBetween(from: Date, to: Date): Promise<{ verifications: StartedVerification[]; sends: SentMessage[] }> {
    const verifications = await this.sql.all<Raw>(
      `SELECT id, "to", status, surface, finished_at FROM verifications WHERE created_at >= ? AND created_at < ? AND test_number = ?`,
      [from, to, false],
    );
    const sends = await this.sql.all<Raw>(
      `SELECT d.verification_id, d.channel, d.carrier, d.sent_at FROM deliveries d JOIN verifications v ON v.id = d.verification_id
       WHERE v.created_at >= ? AND v.created_at < ? AND v.test_number = ? AND d.sent_at IS NOT NULL`,
      [from, to, false],
    );
    return {
      verifications: verifications.map((r) => ({
        id: r.id as string,
        to: r.to as string,
        status: r.status as VerificationStatus,
        surface: r.surface as Surface,
        finishedAt: toDateOrNull(r.finished_at),
      })),
      sends: sends.map((r) => ({
        verificationId: r.verification_id as string,
        channel: r.channel as Channel,
        carrier: (r.carrier as string | null) ?? null,
        sentAt: toDate(r.sent_at),
      })),
    };
  }

  /** When the oldest verification was created (where the insights rollup's backfill starts), or null. */
  async oldestCreatedAt(): Promise<Date | null> {
    const row = await this.sql.get<{ at: unknown }>(`SELECT MIN(created_at) AS at FROM verifications`);
    return toDateOrNull(row?.at);
  }

  /** Writes a verification and its deliveries inside the caller's transaction `db`. */
  async insert(v: VerificationRecord, deliveries: readonly NewDelivery[], db: Sql): Promise<void> {
    await db.run(`INSERT INTO verifications (${V_COLUMNS}) VALUES ${V_PLACEHOLDERS}`, verificationParams(v));
    for (const d of deliveries) await this.insertDelivery(v.id, d, v.createdAt, db);
  }

  /**
   * Writes a verification and its deliveries atomically. On PostgreSQL one statement (the deliveries'
   * INSERT with the verification's in a WITH clause, which runs exactly once and whose foreign keys are
   * checked at the end of the statement): one round trip instead of four (BEGIN, two INSERTs, COMMIT).
   * SQLite has no INSERT in WITH and no round trips, so it uses a transaction.
   */
  async insertAtomically(v: VerificationRecord, deliveries: readonly NewDelivery[]): Promise<void> {
    if (this.sql.dialect === "sqlite" || deliveries.length === 0) {
      await this.sql.transaction((tx) => this.insert(v, deliveries, tx));
      return;
    }
    await this.sql.run(
      `WITH v AS (INSERT INTO verifications (${V_COLUMNS}) VALUES ${V_PLACEHOLDERS} RETURNING id)
       INSERT INTO deliveries (${DELIVERY_INSERT_COLUMNS}) VALUES ${deliveries.map(() => DELIVERY_PLACEHOLDERS).join(", ")}`,
      [...verificationParams(v), ...deliveries.flatMap((d) => deliveryParams(v.id, d, v.createdAt))],
    );
  }

  /**
   * Writes a verification and its deliveries, and in the same transaction cancels the number's pending
   * verification of the same purpose (the "replace" policy: the old code stops working as the new one is
   * made), recording the new id as its `replaced_by` and dropping its scheduled steps. Returns the
   * verification it canceled, or null. On PostgreSQL one statement: one round trip per create instead of
   * a lookup and then the write (8.8 to 7.8 statements per API pair, docs/benchmarks.md, "The events lock
   * at commit, one statement per create, one read per check"); on SQLite one unit of the turn's group
   * commit (insertReplacingPendingAsOneUnit).
   */
  async insertReplacingPending(v: VerificationRecord, deliveries: readonly NewDelivery[]): Promise<VerificationRecord | null> {
    if (this.sql.dialect === "sqlite") return this.insertReplacingPendingAsOneUnit(v, deliveries);
    const now = v.createdAt;
    const insertDeliveries = deliveries.length
      ? `, d AS (INSERT INTO deliveries (${DELIVERY_INSERT_COLUMNS}) VALUES ${deliveries.map(() => DELIVERY_PLACEHOLDERS).join(", ")})`
      : "";
    // Data-modifying WITH clauses each run exactly once; the pending lookup reads the statement's snapshot,
    // which does not hold the new row. The trigger events fire at COMMIT in the order of the changes.
    const rows = await this.sql.all<Raw>(
      `WITH replaced AS (
         UPDATE verifications SET status = 'canceled', finished_at = ?, updated_at = ?, replaced_by = ?
         WHERE id = (SELECT id FROM verifications WHERE "to" = ? AND purpose = ? AND status = 'pending' AND expires_at > ?
                     ORDER BY created_at DESC LIMIT 1)
           AND status = 'pending'
         RETURNING ${V_COLUMNS}),
       dropped AS (UPDATE deliveries SET status = 'dropped', updated_at = ? WHERE verification_id IN (SELECT id FROM replaced) AND status = 'scheduled'),
       v AS (INSERT INTO verifications (${V_COLUMNS}) VALUES ${V_PLACEHOLDERS} RETURNING id)${insertDeliveries}
       SELECT ${V_COLUMNS} FROM replaced`,
      [now, now, v.id, v.to, v.purpose, now, now, ...verificationParams(v), ...deliveries.flatMap((d) => deliveryParams(v.id, d, now))],
    );
    return rows[0] ? mapVerification(rows[0]) : null;
  }

  /**
   * SQLite: the same changes as statements that need no answer in between, run as one unit
   * (Sql.runAll), so the create joins the turn's group commit instead of committing alone. The pending
   * verification is found by the same subquery twice, its scheduled steps dropped before it is canceled;
   * after the commit it is read back as the newest canceled verification of the number that names the
   * new one (a backward walk of the number's index that stops at the first match).
   */
  private async insertReplacingPendingAsOneUnit(v: VerificationRecord, deliveries: readonly NewDelivery[]): Promise<VerificationRecord | null> {
    const now = v.createdAt;
    const byNumber = indexedBy(this.sql, "verifications_to_status_idx");
    const newestPending = `SELECT id FROM verifications${byNumber} WHERE "to" = ? AND purpose = ? AND status = 'pending' AND expires_at > ?
                           ORDER BY created_at DESC LIMIT 1`;
    const [, canceled] = await this.sql.runAll([
      [`UPDATE deliveries SET status = 'dropped', updated_at = ? WHERE verification_id = (${newestPending}) AND status = 'scheduled'`, [now, v.to, v.purpose, now]],
      [
        `UPDATE verifications SET status = 'canceled', finished_at = ?, updated_at = ?, replaced_by = ? WHERE id = (${newestPending}) AND status = 'pending'`,
        [now, now, v.id, v.to, v.purpose, now],
      ],
      [`INSERT INTO verifications (${V_COLUMNS}) VALUES ${V_PLACEHOLDERS}`, verificationParams(v)],
      ...(deliveries.length
        ? [[`INSERT INTO deliveries (${DELIVERY_INSERT_COLUMNS}) VALUES ${deliveries.map(() => DELIVERY_PLACEHOLDERS).join(", ")}`, deliveries.flatMap((d) => deliveryParams(v.id, d, now))] as const]
        : []),
    ]);
    if (!canceled) return null;
    const row = await this.sql.get<Raw>(
      `SELECT ${V_COLUMNS} FROM verifications${byNumber} WHERE "to" = ? AND status = 'canceled' AND replaced_by = ? ORDER BY rowid DESC LIMIT 1`,
      [v.to, v.id],
    );
    return row ? mapVerification(row) : null;
  }

  async insertDelivery(verificationId: string, d: NewDelivery, now: Date, db: Sql = this.sql): Promise<void> {
    await db.run(`INSERT INTO deliveries (${DELIVERY_INSERT_COLUMNS}) VALUES ${DELIVERY_PLACEHOLDERS}`, deliveryParams(verificationId, d, now));
  }

  async deliveriesOf(verificationId: string, db: Sql = this.sql): Promise<DeliveryRecord[]> {
    const rows = await db.all<Raw>(`SELECT ${D_COLUMNS} FROM deliveries WHERE verification_id = ? ORDER BY step_index, due_at`, [verificationId]);
    return rows.map(mapDelivery);
  }

  /**
   * Moves a pending, unexpired verification with attempts left to a new status, counting one attempt
   * when `countAttempt`. Returns false when another caller got there first or it was no longer usable.
   */
  async finish(id: string, status: VerificationStatus, now: Date, countAttempt: boolean, db: Sql = this.sql): Promise<boolean> {
    const changed = await db.run(
      `UPDATE verifications SET status = ?, attempts = attempts + ?, finished_at = ?, updated_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts`,
      [status, countAttempt ? 1 : 0, now, now, id, now],
    );
    return changed === 1;
  }

  /** Counts one wrong attempt if any is left; returns the new count, or null when none was left. */
  async countFailedAttempt(id: string, now: Date, db: Sql = this.sql): Promise<number | null> {
    const row = await db.get<{ attempts: number }>(
      `UPDATE verifications SET attempts = attempts + 1, updated_at = ?
       WHERE id = ? AND status = 'pending' AND expires_at > ? AND attempts < max_attempts RETURNING attempts`,
      [now, id, now],
    );
    return row ? Number(row.attempts) : null;
  }

  /** Marks a verification whose attempts are used up; true when this call made the change. */
  async markAttemptsExhausted(id: string, now: Date, db: Sql = this.sql): Promise<boolean> {
    return (
      (await db.run(
        `UPDATE verifications SET status = 'max_attempts_reached', finished_at = ?, updated_at = ?
         WHERE id = ? AND status = 'pending' AND attempts >= max_attempts`,
        [now, now, id],
      )) === 1
    );
  }

  /**
   * Ends a pending verification regardless of attempts (cancel, failure, expiry). A replaced one is ended
   * by insertReplacingPending, which also records its successor (`replaced_by`, the canceled event's reason).
   */
  async end(id: string, status: VerificationStatus, now: Date, db: Sql = this.sql): Promise<boolean> {
    return (
      (await db.run(`UPDATE verifications SET status = ?, finished_at = ?, updated_at = ? WHERE id = ? AND status = 'pending'`, [status, now, now, id])) === 1
    );
  }

  /** Marks every pending verification past its expiry as expired; returns them, each to exactly one caller. */
  async expireDue(now: Date, limit: number): Promise<Pick<VerificationRecord, "id" | "to" | "purpose" | "surface" | "workflow">[]> {
    // The outer re-check must not pick an index on status on SQLite: it would walk every pending row and look
    // each up in the subquery's ids. A unary + keeps SQLite to the primary key (as the webhook claim does,
    // server/webhooks/dispatcher.ts); PostgreSQL has no + for text and plans by the ids anyway.
    const recheck = this.sql.dialect === "sqlite" ? "+status = 'pending'" : "status = 'pending'";
    const rows = await this.sql.all<Raw>(
      plannedPerRun(`UPDATE verifications SET status = 'expired', finished_at = ?, updated_at = ?
       WHERE id IN (SELECT id FROM verifications WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?)
         AND ${recheck}
       RETURNING id, "to", purpose, surface, workflow`),
      [now, now, now, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      to: r.to as string,
      purpose: r.purpose as string,
      surface: r.surface as Surface,
      workflow: JSON.parse(r.workflow as string) as WorkflowStep[],
    }));
  }

  async dropScheduled(verificationId: string, now: Date, db: Sql = this.sql): Promise<number> {
    return db.run(`UPDATE deliveries SET status = 'dropped', updated_at = ? WHERE verification_id = ? AND status = 'scheduled'`, [
      now, verificationId,
    ]);
  }

  /**
   * Claims due deliveries for sending under the lease `token`: scheduled rows whose time has come, and
   * rows left "sending" by a process that died (lease expired). One statement, so two schedulers never
   * claim the same row; PostgreSQL additionally skips rows another transaction holds. A re-claimed row
   * that had been handed to a carrier comes back with error_code INTERRUPTED (its carrier may have
   * accepted it) and its `handed_at` kept, the start of its lookup window; one that never was is simply
   * sent. A row claimed from "scheduled" starts a new attempt: `handed_at` is cleared.
   * A step is not claimed while another step of its verification on the same channel is being sent
   * under a live lease (another node has it): a lookup after a crash then has at most one unrecorded
   * send per number and channel to tell apart. Rows come back in step order.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number, token: string): Promise<DeliveryRecord[]> {
    const lock = this.sql.dialect === "postgresql" ? "FOR UPDATE SKIP LOCKED" : "";
    const rows = await this.sql.all<Raw>(
      plannedPerRun(`UPDATE deliveries SET status = 'sending', lease_until = ?, lease_token = ?, tries = tries + 1, updated_at = ?,
         error_code = CASE WHEN status = 'sending' AND handed_at IS NOT NULL THEN ? ELSE error_code END,
         error = CASE WHEN status = 'sending' AND handed_at IS NOT NULL THEN ? ELSE error END,
         handed_at = CASE WHEN status = 'sending' THEN handed_at ELSE NULL END
       WHERE id IN (
         SELECT d.id FROM deliveries d
         WHERE ((d.status = 'scheduled' AND d.due_at <= ?) OR (d.status = 'sending' AND d.lease_until <= ?))
           AND NOT EXISTS (
             SELECT 1 FROM deliveries s
             WHERE s.verification_id = d.verification_id AND s.channel = d.channel AND s.id <> d.id
               AND s.status = 'sending' AND s.lease_until > ?
           )
         ORDER BY d.due_at LIMIT ? ${lock}
       ) AND ((status = 'scheduled' AND due_at <= ?) OR (status = 'sending' AND lease_until <= ?))
       RETURNING ${D_COLUMNS}`),
      [leaseUntil, token, now, INTERRUPTED, INTERRUPTED_MESSAGE, now, now, now, limit, now, now],
    );
    return rows.map(mapDelivery).sort((a, b) => a.stepIndex - b.stepIndex || a.dueAt.getTime() - b.dueAt.getTime());
  }

  /** Claims one scheduled delivery now (next step on request), recorded as handed over: the caller sends it at once. */
  async claimOne(id: string, now: Date, leaseUntil: Date, token: string): Promise<DeliveryRecord | null> {
    const row = await this.sql.get<Raw>(
      `UPDATE deliveries SET status = 'sending', due_at = ?, lease_until = ?, lease_token = ?, handed_at = ?, tries = tries + 1, updated_at = ?
       WHERE id = ? AND status = 'scheduled' RETURNING ${D_COLUMNS}`,
      [now, leaseUntil, token, now, now, id],
    );
    return row ? mapDelivery(row) : null;
  }

  /**
   * Just before a carrier call: records the hand-over (the first one of this attempt is kept: it opens
   * the lookup window) and renews the lease, only if the caller's claim still holds it. False when the
   * lease ran out or another claim took the row: the caller must not call the carrier.
   */
  async handOver(d: HeldDelivery, now: Date, leaseUntil: Date): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE deliveries SET handed_at = COALESCE(handed_at, ?), lease_until = ?, updated_at = ?
       WHERE id = ? AND status = 'sending' AND lease_token = ? AND lease_until > ?`,
      [now, leaseUntil, now, d.id, d.leaseToken, now],
    );
    return changed === 1;
  }

  /**
   * Carrier ids of sends recorded for any delivery to this number since `since`, by carrier: a lookup
   * never takes one of them for another delivery's send (two steps' texts can be identical, and a call
   * list cannot tell two calls apart).
   */
  async sendsRecordedTo(to: string, since: Date): Promise<Map<string, Set<string>>> {
    const rows = await this.sql.all<Raw>(
      `SELECT d.carrier, d.carrier_message_id FROM deliveries d JOIN verifications v ON v.id = d.verification_id
       WHERE v."to" = ? AND d.sent_at >= ? AND d.carrier IS NOT NULL AND d.carrier_message_id IS NOT NULL`,
      [to, since],
    );
    const byCarrier = new Map<string, Set<string>>();
    for (const r of rows) {
      const carrier = r.carrier as string;
      byCarrier.set(carrier, (byCarrier.get(carrier) ?? new Set()).add(r.carrier_message_id as string));
    }
    return byCarrier;
  }

  async markSent(
    d: { id: string },
    result: { carrier: string; carrierMessageId: string | null; status: "sent" | "delivered" },
    now: Date,
  ): Promise<boolean> {
    const changed = await this.sql.run(
      `UPDATE deliveries SET status = ?, carrier = ?, carrier_message_id = ?, sent_at = ?, delivered_at = ?, lease_until = NULL,
         error_code = NULL, error = NULL, updated_at = ?
       WHERE id = ? AND status = 'sending'`,
      [result.status, result.carrier, result.carrierMessageId, now, result.status === "delivered" ? now : null, now, d.id],
    );
    return changed === 1;
  }

  /**
   * Keeps a claimed delivery "sending" with its lease moved to `leaseUntil`, when whether the carrier
   * already has it is unknown: re-claimed after that (as INTERRUPTED), it is looked up again, with its
   * `handed_at`, and so the lookup's window, unchanged.
   */
  async markOutcomeUnknown(d: HeldDelivery, leaseUntil: Date, errorCode: string, error: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET lease_until = ?, error_code = ?, error = ?, updated_at = ? WHERE id = ? AND status = 'sending' AND lease_token = ?`,
      [leaseUntil, errorCode, error, now, d.id, d.leaseToken],
    );
  }

  async markRetry(d: HeldDelivery, dueAt: Date, carrier: string | null, errorCode: string, error: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'scheduled', due_at = ?, lease_until = NULL, handed_at = NULL, carrier = ?, error_code = ?, error = ?, updated_at = ?
       WHERE id = ? AND status = 'sending' AND lease_token = ?`,
      [dueAt, carrier, errorCode, error, now, d.id, d.leaseToken],
    );
  }

  /**
   * Puts a claimed delivery back, unsent, to go out at `dueAt` (the send budget was spent): the claim
   * did not become a try, so `tries` is given back and carrier backoff is not affected.
   */
  async markPostponed(d: HeldDelivery, dueAt: Date, errorCode: string, error: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'scheduled', due_at = ?, lease_until = NULL, handed_at = NULL, tries = tries - 1, error_code = ?, error = ?, updated_at = ?
       WHERE id = ? AND status = 'sending' AND lease_token = ?`,
      [dueAt, errorCode, error, now, d.id, d.leaseToken],
    );
  }

  async markFailed(d: HeldDelivery, carrier: string | null, errorCode: string, error: string, now: Date): Promise<void> {
    await this.sql.run(
      `UPDATE deliveries SET status = 'failed', failed_at = ?, lease_until = NULL, carrier = ?, error_code = ?, error = ?, updated_at = ?
       WHERE id = ? AND status = 'sending' AND lease_token = ?`,
      [now, carrier, errorCode, error, now, d.id, d.leaseToken],
    );
  }

  async markDropped(id: string, now: Date): Promise<void> {
    await this.sql.run(`UPDATE deliveries SET status = 'dropped', lease_until = NULL, updated_at = ? WHERE id = ? AND status = 'sending'`, [
      now, id,
    ]);
  }

  /** True when the verification still has a step that may go out (scheduled or being sent). */
  async hasOutstandingDeliveries(verificationId: string): Promise<boolean> {
    const row = await this.sql.get(
      `SELECT 1 AS one FROM deliveries WHERE verification_id = ? AND status IN ('scheduled', 'sending') LIMIT 1`,
      [verificationId],
    );
    return row !== undefined;
  }

  async lastDeliveryCreatedAt(verificationId: string): Promise<Date | null> {
    const row = await this.sql.get<Raw>(`SELECT MAX(created_at) AS last FROM deliveries WHERE verification_id = ?`, [verificationId]);
    return toDateOrNull(row?.last ?? null);
  }

  async nextScheduled(verificationId: string): Promise<DeliveryRecord | null> {
    // Without statistics SQLite walks the (status, due_at) index for this, every scheduled step of every
    // verification in due order, instead of the verification's few rows (tests/engine/query-plans.test.ts).
    const index = indexedBy(this.sql, "deliveries_verification_id_idx");
    const row = await this.sql.get<Raw>(
      `SELECT ${D_COLUMNS} FROM deliveries${index} WHERE verification_id = ? AND status = 'scheduled' ORDER BY due_at LIMIT 1`,
      [verificationId],
    );
    return row ? mapDelivery(row) : null;
  }

  async deliveryCount(verificationId: string): Promise<number> {
    const row = await this.sql.get<Raw>(`SELECT COUNT(*) AS n FROM deliveries WHERE verification_id = ?`, [verificationId]);
    return Number(row?.n ?? 0);
  }

  // --- Carrier status callbacks (server/http/routes/webhooks.ts) -----------------------------------

  /**
   * Applies a carrier's delivery receipt to the delivery it names: by delivery id (carriers that echo
   * our reference) or by carrier message id, always within that carrier's deliveries. Statuses only
   * move forward (scheduled < sending < sent < delivered; failed only from sending or sent), so a late
   * "sent" after "delivered" and a replayed receipt change nothing. Returns the delivery and its
   * verification when this call changed it, else null.
   */
  async applyCarrierStatus(update: {
    carrier: string;
    carrierMessageId?: string;
    deliveryId?: string;
    status: "sent" | "delivered" | "failed";
    errorCode?: string;
    error?: string;
    at: Date;
  }): Promise<{
    deliveryId: string;
    verificationId: string;
    to: string;
    purpose: string;
    surface: Surface;
    /** The verification's channel (its first step's) and the delivery's. */
    channel: Channel;
    deliveryChannel: Channel;
    /** When the delivery was recorded as sent before this receipt (null: this receipt is the first news of it). */
    sentAt: Date | null;
    status: DeliveryStatus;
  } | null> {
    const where = update.deliveryId !== undefined ? "id = ? AND carrier = ?" : "carrier_message_id = ? AND carrier = ?";
    const key = update.deliveryId ?? update.carrierMessageId;
    if (key === undefined) return null;
    let row: Raw | undefined;
    if (update.status === "delivered") {
      row = await this.sql.get<Raw>(
        `UPDATE deliveries SET status = 'delivered', delivered_at = ?, sent_at = COALESCE(sent_at, ?), lease_until = NULL, updated_at = ?
         WHERE ${where} AND status IN ('sending', 'sent') RETURNING id, verification_id, channel, sent_at`,
        [update.at, update.at, update.at, key, update.carrier],
      );
    } else if (update.status === "sent") {
      row = await this.sql.get<Raw>(
        `UPDATE deliveries SET status = 'sent', sent_at = COALESCE(sent_at, ?), lease_until = NULL, updated_at = ?
         WHERE ${where} AND status = 'sending' RETURNING id, verification_id, channel, sent_at`,
        [update.at, update.at, key, update.carrier],
      );
    } else {
      row = await this.sql.get<Raw>(
        `UPDATE deliveries SET status = 'failed', failed_at = ?, error_code = ?, error = ?, lease_until = NULL, updated_at = ?
         WHERE ${where} AND status IN ('sending', 'sent') RETURNING id, verification_id, channel, sent_at`,
        [update.at, update.errorCode ?? "carrier_failed", update.error ?? null, update.at, key, update.carrier],
      );
    }
    if (!row) return null;
    const v = await this.sql.get<Raw>(`SELECT "to", purpose, surface, workflow FROM verifications WHERE id = ?`, [row.verification_id as string]);
    if (!v) return null;
    return {
      deliveryId: row.id as string,
      verificationId: row.verification_id as string,
      to: v.to as string,
      purpose: v.purpose as string,
      surface: v.surface as Surface,
      channel: (JSON.parse(v.workflow as string) as WorkflowStep[])[0]?.channel ?? "sms",
      deliveryChannel: row.channel as Channel,
      sentAt: handedOverBefore(toDateOrNull(row.sent_at), update.at),
      status: update.status,
    };
  }
}

/** RETURNING gives the row as updated: a sent_at equal to the receipt's time was set by the receipt itself (COALESCE), not by a send. */
function handedOverBefore(sentAt: Date | null, at: Date): Date | null {
  return sentAt && sentAt.getTime() !== at.getTime() ? sentAt : null;
}
