/**
 * Delivers the outbox to webhook endpoints, at least once, on every node at once:
 *
 * 1. Fan-out: new `events` rows (after the `outbox_cursors` row "fanout") become one
 *    `webhook_deliveries` row per subscribed, enabled endpoint. The cursor moves with a conditional
 *    UPDATE in the same transaction as the inserts, so of two nodes exactly one fans a batch out.
 * 2. Claim: due rows (sending with an expired lease: the node sending it died; then pending and due,
 *    most overdue first) are taken with a lease in an `UPDATE … RETURNING`, as workflow steps are
 *    (repository.ts claimDue; PostgreSQL adds FOR UPDATE SKIP LOCKED). A row is due only when no
 *    earlier event of the same verification is still pending or sending for that endpoint: order per
 *    verification.
 * 3. Send (sender.ts), then record: 2xx succeeded; anything else retried on the Standard Webhooks
 *    schedule, failed after the last attempt. The outcomes of the sends that finished since the last
 *    pass are written in one transaction at the start of the next (a successor is claimed only after
 *    its predecessor's outcome is committed). An endpoint with nothing but failures for 5 days is
 *    disabled and the owners (OWNER_PHONES) are texted.
 * A SIGKILL between claim and record (a send answered but its outcome not yet written) leaves the row
 * `sending`; its lease runs out and a node sends it again (at least once: receivers dedupe on
 * `webhook-id`).
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Logger } from "pino";
import { uuidv7 } from "../../lib/ids.ts";
import { TextgateError } from "../../lib/errors.ts";
import type { Sql, SqlParam } from "../store/sql.ts";
import type { NoticeKey, NoticeValues } from "../verification/notices.ts";
import { plannedPerRun, toDate, toDateOrNull } from "../store/sql.ts";
import type { SigningEndpoint, WebhookEndpoints } from "./endpoints.ts";
import { type Outbox, type OutboxEvent, payloadOf } from "./outbox.ts";
import { postWebhook, type SendResult } from "./sender.ts";
import type { UrlPolicy } from "./ssrf.ts";

/** Delay before each attempt (Standard Webhooks' suggested schedule): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const RETRY_SCHEDULE_MS = [0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const DISABLE_AFTER_MS = 5 * 24 * 3600 * 1000;
const FANOUT_BATCH = 500;
const CLAIM_BATCH = 50;
/** Deliveries per INSERT in the fan-out (7 parameters each, far below either database's limit). */
const INSERT_ROWS = 100;
/** A wake-up waits this long, so that a burst of events (a busy API) makes one pass, not one each. */
const WAKE_DELAY_MS = 10;
/** Succeeded deliveries per outcome UPDATE (one parameter each). */
const WRITE_ROWS = 100;
/** Deliveries this node sends at once; a slow endpoint holds only its own slots. */
const MAX_IN_FLIGHT = 100;
/**
 * While sends are in flight, a claim waits until this many slots are free: a claim reads past the
 * successors of every unfinished delivery (rows its order check skips), so under a backlog claiming one
 * or two rows per finished send cost more than the sends (docs/benchmarks.md).
 */
const MIN_CLAIM = 25;

export type WebhookDeliveryStatus = "pending" | "sending" | "succeeded" | "failed";

export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

interface Claimed {
  id: string;
  endpointId: string;
  eventSeq: number;
  attempts: number;
}

/** A finished attempt waiting to be written (see recordOutcomes). */
interface Outcome {
  claimed: Claimed;
  result: SendResult;
  /** No further attempt whatever the result (the endpoint or the event is gone). */
  final: boolean;
  endpoint?: SigningEndpoint;
}

type Raw = Record<string, unknown>;

/** The `webhook-id` of an event: the same on every attempt and every endpoint, as the spec asks. */
export const messageId = (seq: number): string => `evt_${seq}`;

export interface DispatcherOptions {
  sql: Sql;
  outbox: Outbox;
  endpoints: WebhookEndpoints;
  logger: Logger;
  policy: UrlPolicy;
  leaseMs: number;
  intervalMs: number;
  clock?: () => Date;
  /** Texts every owner (OWNER_PHONES) a catalog notice, each in their language (server/verification/notices.ts). */
  textOwners?: (key: NoticeKey, values: NoticeValues) => Promise<void>;
  /** Told each attempt's outcome once it is written (textgate_webhook_deliveries_total). */
  onAttempt?: (outcome: "succeeded" | "retry" | "failed") => void;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  /** Attempts that finished and are not written yet; their successors become due once they are. */
  private outcomes: Outcome[] = [];
  private cursorReady = false;
  /** The fan-out cursor as this node last read or moved it; null: read it from the row. */
  private cursor: number | null = null;
  /** The statuses whose last claim filled its batch: more are likely due (see claimWhere). */
  private readonly backlog = new Set<"pending" | "sending">();
  /** When claimDue last found no more expired leases (ms since the epoch, this.clock). */
  private leasesCheckedAt = Number.NEGATIVE_INFINITY;
  /** Resolves the pass's wait (a send finished, an event was committed, or stop). */
  private signal: (() => void) | null = null;
  private readonly clock: () => Date;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** Runs a pass soon (an event was committed on this node or arrived from another). */
  wake(): void {
    if (this.stopped || !this.timer || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      if (!this.running) return void this.tick();
      this.again = true;
      this.signal?.();
    }, WAKE_DELAY_MS);
    this.wakeTimer.unref();
  }

  /**
   * One pass: write the finished attempts, fan-out until nothing is new, claim and start sends until
   * nothing is due (or no slot is free), then wait for a send to finish or a new event, and again, until
   * nothing is in flight, unwritten or due. Sends are not awaited as a batch, so an endpoint that takes
   * its full 10 s does not hold up the others.
   */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        do {
          this.again = false;
          await this.recordOutcomes();
          // A batch shorter than FANOUT_BATCH was everything there was; an event committed since wakes a new pass.
          for (let moved = await this.fanOut(); moved === FANOUT_BATCH || moved < 0; moved = await this.fanOut()) {}
          while (!this.stopped && (await this.deliverDue())) {}
          if (!this.stopped && this.inFlight.size && !this.outcomes.length && !this.again) {
            await new Promise<void>((resolve) => (this.signal = resolve));
            this.signal = null;
            // The other answers that arrived in the same turn of the event loop join this batch.
            await nextTurn();
          }
          if (this.inFlight.size || this.outcomes.length) this.again = true;
        } while (this.again && !this.stopped);
      } catch (error) {
        this.options.logger.error({ err: error }, "webhook dispatcher pass failed");
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.signal?.();
    await this.running;
    // What is still being sent finishes (or times out) and is recorded; a kill here is covered by the lease.
    await Promise.allSettled([...this.inFlight]);
    await this.recordOutcomes().catch((error: unknown) => this.options.logger.error({ err: error }, "could not record webhook outcomes at stop"));
  }

  /**
   * Fans out one batch of new events; returns how many events it moved past (0: nothing new, or another
   * node did). The cursor this node last read or moved is kept: when another node has moved it since,
   * the conditional UPDATE matches nothing, the row is read again and the pass goes on (returns -1).
   */
  async fanOut(): Promise<number> {
    const { sql, outbox } = this.options;
    if (!this.cursorReady) {
      await sql.run(`INSERT INTO outbox_cursors (name, seq) VALUES ('fanout', 0) ON CONFLICT (name) DO NOTHING`);
      this.cursorReady = true;
    }
    const cursor = this.cursor ?? Number((await sql.get<{ seq: unknown }>(`SELECT seq FROM outbox_cursors WHERE name = 'fanout'`))?.seq ?? 0);
    this.cursor = cursor;
    const events = await outbox.after(cursor, { limit: FANOUT_BATCH });
    if (!events.length) return 0;
    const endpoints = await this.options.endpoints.list();
    const last = (events.at(-1) as { seq: number }).seq;
    const now = this.clock();
    const rows: SqlParam[][] = [];
    for (const event of events) {
      for (const endpoint of endpoints) {
        if (!endpoint.enabled || event.createdAt < endpoint.createdAt) continue;
        if (endpoint.events && !endpoint.events.includes(event.type)) continue;
        rows.push([uuidv7(), endpoint.id, event.seq, event.verificationId ?? "", now, now, now]);
      }
    }
    const moveCursor = async (db: Sql) => (await db.run(`UPDATE outbox_cursors SET seq = ? WHERE name = 'fanout' AND seq = ?`, [last, cursor])) === 1;
    // Nothing to insert (no endpoint wants these events): the cursor's own UPDATE, no transaction around it.
    const moved = rows.length
      ? await sql.transaction(async (tx) => {
          if (!(await moveCursor(tx))) return false;
          // Several rows per statement, not one per delivery: fewer round trips (PostgreSQL) and statement runs (SQLite).
          for (let i = 0; i < rows.length; i += INSERT_ROWS) {
            const chunk = rows.slice(i, i + INSERT_ROWS);
            await tx.run(
              `INSERT INTO webhook_deliveries (id, endpoint_id, event_seq, order_key, status, attempts, next_attempt_at, created_at, updated_at)
               VALUES ${chunk.map(() => "(?, ?, ?, ?, 'pending', 0, ?, ?, ?)").join(", ")} ON CONFLICT (endpoint_id, event_seq) DO NOTHING`,
              chunk.flat(),
            );
          }
          return true;
        })
      : await moveCursor(sql);
    if (!moved) {
      this.cursor = null;
      return -1;
    }
    this.cursor = last;
    return events.length;
  }

  /**
   * Claims due deliveries with a lease: first those whose lease ran out (the node sending them died),
   * then pending ones, most overdue first. Two statements, not one with an OR: the pending one reads the
   * (status, next_attempt_at) index in order and stops at `limit` (sending rows are few: at most the
   * in-flight sends of every node), where the OR with an ORDER BY event_seq made SQLite collect and sort
   * every due row on every claim (docs/benchmarks.md, "Where a delivery's time went").
   */
  async claimDue(limit = CLAIM_BATCH): Promise<Claimed[]> {
    let expired: Claimed[] = [];
    const now = this.clock().getTime();
    // Leases run out in WEBHOOKS_LEASE_MS (30 s by default): looking once per interval finds them as
    // soon, and spares a statement on each of the many passes a busy API makes.
    if (now - this.leasesCheckedAt >= this.options.intervalMs) {
      expired = await this.claimWhere("sending", "lease_until", limit);
      if (expired.length < limit) this.leasesCheckedAt = now;
    }
    if (expired.length >= limit) return expired;
    return [...expired, ...(await this.claimWhere("pending", "next_attempt_at", limit - expired.length))];
  }

  /** Claims rows of `status` whose `dueAt` column has passed, oldest first. */
  private async claimWhere(status: "pending" | "sending", dueAt: "next_attempt_at" | "lease_until", limit: number): Promise<Claimed[]> {
    const { sql } = this.options;
    const now = this.clock();
    const lease = new Date(now.getTime() + this.options.leaseMs);
    const due = `SELECT d.id FROM webhook_deliveries d
         WHERE d.status = '${status}' AND d.${dueAt} <= ?
           AND d.endpoint_id IN (SELECT id FROM webhook_endpoints WHERE status = 'enabled')
           AND NOT EXISTS (
             SELECT 1 FROM webhook_deliveries e
             WHERE e.endpoint_id = d.endpoint_id AND e.order_key = d.order_key AND e.event_seq < d.event_seq
               AND e.status IN ('pending', 'sending'))
         ORDER BY d.${dueAt} LIMIT ?`;
    let statement: string;
    let params: SqlParam[];
    if (sql.dialect === "postgresql") {
      // A CTE that locks rows is evaluated once. Inside `WHERE id IN (…)` PostgreSQL may run the subquery again
      // for the rows it joins, and then claimed past its LIMIT (60 rows for a limit of 50 in
      // tests/engine/webhooks-outbox.test.ts, "claims a backlog").
      statement = plannedPerRun(`WITH picked AS (${due} FOR UPDATE OF d SKIP LOCKED)
        UPDATE webhook_deliveries w SET status = 'sending', lease_until = ?, attempts = w.attempts + 1, updated_at = ?
        FROM picked WHERE w.id = picked.id AND w.status = '${status}' AND w.${dueAt} <= ?
        RETURNING w.id, w.endpoint_id, w.event_seq, w.attempts`);
      params = [now, limit, lease, now, now];
    } else {
      // The outer re-check must not pick the (status, …) index on SQLite: it would walk every due row and
      // look each up in the subquery's ids (4.4 against 1.1 ms with 10,000 due). A unary + keeps SQLite to
      // the primary key. SQLite runs the IN subquery once, as a list.
      statement = `UPDATE webhook_deliveries SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ?
        WHERE id IN (${due}) AND +status = '${status}' AND +${dueAt} <= ?
        RETURNING id, endpoint_id, event_seq, attempts`;
      params = [lease, now, now, limit, now];
    }
    // With a backlog PostgreSQL gathered every due row and sorted them before the LIMIT (19 ms per claim at
    // 10,000 due on a fresh database, 4–12 ms with statistics): with bitmap scans and sorts priced out for
    // this one transaction it walks the (status, next_attempt_at) index and stops at the limit (1.4 ms, writes included).
    // The transaction costs three more round trips, so it is used only while the last claim found a full batch.
    const walkIndex = sql.dialect === "postgresql" && this.backlog.has(status);
    const rows = walkIndex
      ? await sql.transaction(async (tx) => {
          await tx.run("SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off");
          return tx.all<Raw>(statement, params);
        })
      : await sql.all<Raw>(statement, params);
    if (rows.length >= limit) this.backlog.add(status);
    else this.backlog.delete(status);
    // Oldest first: RETURNING of an UPDATE keeps no order of its own.
    return rows
      .map((r) => ({ id: r.id as string, endpointId: r.endpoint_id as string, eventSeq: Number(r.event_seq), attempts: Number(r.attempts) }))
      .sort((a, b) => a.eventSeq - b.eventSeq);
  }

  /**
   * Claims one batch (as many as there are free slots) and starts sending it; true when it filled the
   * batch (more may be due), false when nothing more is due now or no slot is free.
   */
  async deliverDue(): Promise<boolean> {
    const room = MAX_IN_FLIGHT - this.inFlight.size;
    if (room <= 0 || (this.inFlight.size > 0 && room < MIN_CLAIM)) return false;
    const limit = Math.min(CLAIM_BATCH, room);
    const claimed = await this.claimDue(limit);
    if (!claimed.length) return false;
    const endpoints = new Map((await this.options.endpoints.signing([...new Set(claimed.map((c) => c.endpointId))])).map((e) => [e.id, e]));
    const events = new Map((await this.options.outbox.bySeqs([...new Set(claimed.map((c) => c.eventSeq))])).map((e) => [e.seq, e]));
    for (const c of claimed) {
      const sending: Promise<void> = this.send(c, endpoints.get(c.endpointId), events.get(c.eventSeq) ?? null).finally(() => {
        this.inFlight.delete(sending);
        this.signal?.();
      });
      this.inFlight.add(sending);
    }
    return claimed.length === limit;
  }

  /** Sends one claimed delivery; its outcome waits in `outcomes` for the next pass to write it. */
  private async send(claimed: Claimed, endpoint: SigningEndpoint | undefined, event: OutboxEvent | null): Promise<void> {
    try {
      if (!endpoint || !event) {
        const error = endpoint ? "the event was pruned" : "the endpoint was disabled or removed";
        this.outcomes.push({ claimed, result: { ok: false, status: null, error }, final: true });
        return;
      }
      const body = JSON.stringify(payloadOf(event, endpoint.includePhoneNumbers));
      // Signed at the wall-clock time whatever the clock: receivers compare webhook-timestamp with theirs.
      const result = await postWebhook(endpoint.url, messageId(event.seq), body, endpoint.secrets, this.options.policy);
      this.outcomes.push({ claimed, result, final: false, endpoint });
    } catch (error) {
      // Left 'sending': the lease runs out and the delivery is tried again (never lost).
      this.options.logger.error({ err: error, deliveryId: claimed.id }, "webhook delivery failed unexpectedly");
    }
  }

  /**
   * Writes every finished attempt in one transaction (successes with one statement per
   * WRITE_ROWS), then each endpoint's failure streak. A failure here leaves the rows `sending`: their
   * leases run out and they are sent again.
   */
  private async recordOutcomes(): Promise<void> {
    if (!this.outcomes.length) return;
    const batch = this.outcomes;
    this.outcomes = [];
    const now = this.clock();
    await this.options.sql.transaction(async (tx) => {
      const succeeded = new Map<number | null, string[]>();
      for (const { claimed, result, final } of batch) {
        if (result.ok) {
          const ids = succeeded.get(result.status) ?? [];
          ids.push(claimed.id);
          succeeded.set(result.status, ids);
        } else await writeFailure(tx, claimed, result, final, now);
      }
      for (const [status, ids] of succeeded) {
        for (let i = 0; i < ids.length; i += WRITE_ROWS) {
          const chunk = ids.slice(i, i + WRITE_ROWS);
          await tx.run(
            `UPDATE webhook_deliveries SET status = 'succeeded', response_status = ?, error = NULL, lease_until = NULL, finished_at = ?, updated_at = ?
             WHERE id IN (${chunk.map(() => "?").join(", ")}) AND status = 'sending'`,
            [status, now, now, ...chunk],
          );
        }
      }
    });
    for (const { claimed, result, final } of batch) {
      if (!result.ok) this.options.logger.debug({ deliveryId: claimed.id, status: result.status, error: result.error }, "webhook delivery attempt failed");
      this.options.onAttempt?.(result.ok ? "succeeded" : isLastAttempt(claimed, final) ? "failed" : "retry");
    }
    await this.recordStreaks(batch, now);
  }

  /**
   * Per endpoint, the writes one outcome at a time would have made: a success clears the failing streak,
   * a failure starts it, only on a change (a healthy endpoint costs no statement); after a batch that
   * ends in a failure, the 5-day check.
   */
  private async recordStreaks(batch: readonly Outcome[], now: Date): Promise<void> {
    const { endpoints, logger } = this.options;
    const byEndpoint = new Map<string, { endpoint: SigningEndpoint; results: boolean[] }>();
    for (const { endpoint, result } of batch) {
      if (!endpoint) continue;
      const entry = byEndpoint.get(endpoint.id) ?? { endpoint, results: [] };
      entry.results.push(result.ok);
      byEndpoint.set(endpoint.id, entry);
    }
    for (const { endpoint, results } of byEndpoint.values()) {
      let failing = endpoint.failingSince !== null;
      for (const ok of results) {
        if (ok !== failing) continue;
        await endpoints.recordOutcome(endpoint.id, ok, now);
        failing = !ok;
      }
      if (results.at(-1) || !(await endpoints.disableIfFailingSince(endpoint.id, new Date(now.getTime() - DISABLE_AFTER_MS), now))) continue;
      logger.warn({ endpointId: endpoint.id, url: endpoint.url }, "webhook endpoint disabled: every delivery failed for 5 days");
      await this.options.textOwners?.("webhookDisabled", { host: new URL(endpoint.url).host });
    }
  }

  /** The newest deliveries of an endpoint (at most `limit`). */
  async deliveriesOf(endpointId: string, limit = 50, deliveryId?: string): Promise<WebhookDeliveryView[]> {
    const rows = await this.options.sql.all<Raw>(
      `SELECT d.id, d.endpoint_id, d.event_seq, e.type, d.status, d.attempts, d.response_status, d.error, d.next_attempt_at,
              d.created_at, d.updated_at, d.finished_at
       FROM webhook_deliveries d LEFT JOIN events e ON e.seq = d.event_seq
       WHERE d.endpoint_id = ? ${deliveryId ? "AND d.id = ?" : ""} ORDER BY d.event_seq DESC LIMIT ?`,
      deliveryId ? [endpointId, deliveryId, limit] : [endpointId, limit],
    );
    return rows.map((r) => ({
      id: r.id as string,
      endpointId: r.endpoint_id as string,
      eventId: messageId(Number(r.event_seq)),
      eventType: (r.type as string | null) ?? null,
      status: r.status as WebhookDeliveryStatus,
      attempts: Number(r.attempts),
      responseStatus: r.response_status === null || r.response_status === undefined ? null : Number(r.response_status),
      error: (r.error as string | null) ?? null,
      nextAttemptAt: r.status === "pending" || r.status === "sending" ? toDateOrNull(r.next_attempt_at) : null,
      createdAt: toDate(r.created_at),
      updatedAt: toDate(r.updated_at),
      finishedAt: toDateOrNull(r.finished_at),
    }));
  }

  /**
   * Sends a delivery again now: a failed one gets one more attempt (failed again if that one fails), a
   * pending one is moved up to now. One that is being sent is left alone.
   */
  async retry(endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const now = this.clock();
    const changed = await this.options.sql.run(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, finished_at = NULL, updated_at = ?,
         attempts = CASE WHEN status = 'failed' THEN ? ELSE attempts END
       WHERE id = ? AND endpoint_id = ? AND status IN ('failed', 'pending', 'succeeded')`,
      [now, now, RETRY_SCHEDULE_MS.length - 1, deliveryId, endpointId],
    );
    const [view] = await this.deliveriesOf(endpointId, 1, deliveryId);
    if (!view) throw new TextgateError("webhook_delivery_not_found");
    if (changed) this.wake();
    return view;
  }
}

/** A failed attempt: retried on the schedule, or failed for good after the last attempt (or when `final`). */
function isLastAttempt(claimed: Claimed, final: boolean): boolean {
  return final || RETRY_SCHEDULE_MS[claimed.attempts] === undefined;
}

async function writeFailure(tx: Sql, claimed: Claimed, result: SendResult, final: boolean, now: Date): Promise<void> {
  const next = RETRY_SCHEDULE_MS[claimed.attempts];
  if (next === undefined || isLastAttempt(claimed, final)) {
    await tx.run(
      `UPDATE webhook_deliveries SET status = 'failed', response_status = ?, error = ?, lease_until = NULL, finished_at = ?, updated_at = ?
       WHERE id = ? AND status = 'sending'`,
      [result.status, result.error, now, now, claimed.id],
    );
  } else {
    await tx.run(
      `UPDATE webhook_deliveries SET status = 'pending', response_status = ?, error = ?, lease_until = NULL, next_attempt_at = ?, updated_at = ?
       WHERE id = ? AND status = 'sending'`,
      [result.status, result.error, new Date(now.getTime() + next), now, claimed.id],
    );
  }
}
