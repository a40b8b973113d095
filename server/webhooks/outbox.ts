/**
 * The `events` table (the outbox): reading it in `seq` order for the dispatcher and the SSE stream,
 * appending the events no verification row carries (owner.decided, send_budget.exhausted; the rest are
 * written by the triggers in triggers.ts), and turning a row into the payload an application receives:
 * `{ type, timestamp, data }` (Standard Webhooks), with `surface`, the surface's own id and `test` (a test
 * number's verification), never a code,
 * and phone numbers masked unless the endpoint opted in.
 */
import type { Logger } from "pino";
import type { WebhookEventType } from "../../lib/validations/webhooks.ts";
import { maskPhone } from "../../lib/phone.ts";
import type { EventBus } from "../events/bus.ts";
import type { Sql } from "../store/sql.ts";
import { plannedPerRun, toDate } from "../store/sql.ts";
import { EVENTS_LOCK_KEY } from "./triggers.ts";

/**
 * `webhook.test`: one endpoint's test send (test-sends.ts), kept in the outbox so that it is a delivery
 * like any other (listed, retried) but never fanned out or streamed (`after` skips it).
 */
export const TEST_EVENT_TYPE = "webhook.test" as const;
export type OutboxEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

export interface OutboxEvent {
  seq: number;
  type: OutboxEventType;
  verificationId: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface EventPayload {
  type: OutboxEventType;
  timestamp: string;
  data: Record<string, unknown>;
}

type Raw = Record<string, unknown>;

function mapEvent(r: Raw): OutboxEvent {
  return {
    seq: Number(r.seq),
    type: r.type as OutboxEventType,
    verificationId: (r.verification_id as string | null) ?? null,
    data: JSON.parse(r.data as string) as Record<string, unknown>,
    createdAt: toDate(r.created_at),
  };
}

/** The id an application knows a verification by on the surface that created it (see each compat folder). */
function surfaceId(data: Record<string, unknown>): string | undefined {
  const id = data.verificationId;
  if (typeof id !== "string") return undefined;
  switch (data.surface) {
    case "twilio":
      return `VE${id.replace(/-/g, "").toLowerCase()}`; // server/http/compat/twilio/serialize.ts verificationSid
    case "socket": {
      // Socket units create verifications with purpose "socket:<connection id>" (docs/architecture.md).
      const purpose = typeof data.purpose === "string" ? data.purpose : "";
      return purpose.startsWith("socket:") ? purpose.slice("socket:".length) : id;
    }
    default:
      return id; // native, vonage (request_id), textmagic (verifyId), signalwire (id), auth
  }
}

const PHONE_FIELDS = ["to", "from"] as const;

/** The payload of one event for one receiver; `includePhoneNumbers` false masks every number. */
export function payloadOf(event: OutboxEvent, includePhoneNumbers: boolean): EventPayload {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event.data)) if (value !== null && value !== undefined) data[key] = value;
  if (data.verificationId !== undefined) {
    data.surfaceId = surfaceId(data);
    // A test number's verification (TEST_NUMBERS): nothing went to a carrier. SQLite's triggers write 0/1;
    // events written before the flag existed have none.
    data.test = data.test === true || data.test === 1;
  }
  if (!includePhoneNumbers) {
    for (const field of PHONE_FIELDS) if (typeof data[field] === "string") data[field] = maskPhone(data[field] as string);
  }
  return { type: event.type, timestamp: event.createdAt.toISOString(), data };
}

/** Pending events numbered per statement (sequence); more wait for the next one. */
const SEQUENCE_BATCH = 1000;

/**
 * PostgreSQL: moves committed `pending_events` into `events` in the order of their ids, under the
 * events lock, as one statement. The lock is taken before a row is read and held to the COMMIT, so
 * numberings (and appendEvent) follow each other: every `seq` a reader sees was committed after every
 * smaller one. Rows another numbering moved meanwhile are skipped by the DELETE (they are gone), so
 * nothing is numbered twice. The lock's CTE is read by the uncorrelated EXISTS before the scan.
 */
const SEQUENCE_SQL = plannedPerRun(`WITH locked AS (SELECT pg_advisory_xact_lock(${EVENTS_LOCK_KEY})),
  moved AS (
    DELETE FROM pending_events WHERE id IN (
      SELECT id FROM pending_events WHERE EXISTS (SELECT 1 FROM locked) ORDER BY id LIMIT ?)
    RETURNING id, type, verification_id, data, created_at)
  INSERT INTO events (type, verification_id, data, created_at)
  SELECT type, verification_id, data, created_at FROM moved ORDER BY id`);

export class Outbox {
  /** The numbering running on this process, and the one queued behind it (see sequence). */
  private sequencing: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly sql: Sql) {}

  /**
   * Numbers the events committed before this call into `events` (PostgreSQL; SQLite's triggers write
   * `events` themselves). Readers call it before they read. Calls that arrive while one runs share one
   * more run after it, which starts after them and so sees what they wait for.
   */
  sequence(): Promise<void> {
    if (this.sql.dialect !== "postgresql") return Promise.resolve();
    if (!this.sequencing) {
      this.sequencing = this.sequenceAll().finally(() => (this.sequencing = null));
      return this.sequencing;
    }
    // After the running one, whether it succeeded or not.
    const next = () => {
      this.queued = null;
      return this.sequence();
    };
    this.queued ??= this.sequencing.then(next, next);
    return this.queued;
  }

  private async sequenceAll(): Promise<void> {
    while ((await this.sql.run(SEQUENCE_SQL, [SEQUENCE_BATCH])) === SEQUENCE_BATCH) {}
  }

  /** Events after `seq`, oldest first, optionally of some types only; never a test send's. */
  async after(seq: number, options: { limit: number; types?: readonly string[] }): Promise<(OutboxEvent & { type: WebhookEventType })[]> {
    await this.sequence();
    const types = options.types?.length ? options.types : null;
    const rows = await this.sql.all<Raw>(
      `SELECT seq, type, verification_id, data, created_at FROM events WHERE seq > ? AND type <> '${TEST_EVENT_TYPE}'
       ${types ? `AND type IN (${types.map(() => "?").join(", ")})` : ""} ORDER BY seq LIMIT ?`,
      [seq, ...(types ?? []), options.limit],
    );
    return rows.map(mapEvent) as (OutboxEvent & { type: WebhookEventType })[];
  }

  /** The events with these seqs (pruned ones are missing). */
  async bySeqs(seqs: readonly number[]): Promise<OutboxEvent[]> {
    if (!seqs.length) return [];
    const rows = await this.sql.all<Raw>(
      `SELECT seq, type, verification_id, data, created_at FROM events WHERE seq IN (${seqs.map(() => "?").join(", ")})`,
      seqs,
    );
    return rows.map(mapEvent);
  }

  /** The newest event's seq (0 when there is none): where a stream without Last-Event-ID starts. */
  async lastSeq(): Promise<number> {
    await this.sequence();
    const row = await this.sql.get<{ seq: unknown }>(`SELECT MAX(seq) AS seq FROM events`);
    return Number(row?.seq ?? 0);
  }

  /** Appends an event that no state row carries; returns its seq. */
  async append(type: OutboxEventType, data: Record<string, unknown>, at: Date, verificationId: string | null = null): Promise<number> {
    return this.sql.transaction((tx) => appendEvent(tx, type, data, at, verificationId));
  }

  /**
   * Deletes, `limit` at a time, events older than `before` that the fan-out has passed and that no
   * unfinished delivery needs, and finished deliveries older than `before`. Returns how many rows went.
   */
  async prune(before: Date, limit = 5000): Promise<number> {
    // Numbered even when nothing reads: pending rows would otherwise outlive the retention.
    await this.sequence();
    // Cheap on both tables' indexes: the oldest event an unfinished delivery needs, and the fan-out cursor.
    const needed = await this.sql.get<{ seq: unknown }>(`SELECT MIN(event_seq) AS seq FROM webhook_deliveries WHERE status IN ('pending', 'sending')`);
    const cursor = await this.sql.get<{ seq: unknown }>(`SELECT seq FROM outbox_cursors WHERE name = 'fanout'`);
    const below = Math.min(needed?.seq === null || needed?.seq === undefined ? Number.MAX_SAFE_INTEGER : Number(needed.seq), Number(cursor?.seq ?? 0) + 1);
    let removed = 0;
    for (;;) {
      const events = await this.sql.run(
        plannedPerRun(`DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq < ? AND created_at < ? ORDER BY seq LIMIT ?)`),
        [below, before, limit],
      );
      const deliveries = await this.sql.run(
        plannedPerRun(`DELETE FROM webhook_deliveries WHERE id IN (
           SELECT id FROM webhook_deliveries WHERE status IN ('succeeded', 'failed') AND next_attempt_at < ? LIMIT ?)`),
        [before, limit],
      );
      removed += events + deliveries;
      if (events < limit && deliveries < limit) return removed;
    }
  }
}

/**
 * Inserts one event inside the caller's transaction `tx` and returns its seq. On PostgreSQL it first
 * takes the events lock, as a numbering does (Outbox.sequence: seq order is commit order), and holds
 * it until the COMMIT, so make it the transaction's last statement.
 */
export async function appendEvent(tx: Sql, type: OutboxEventType, data: Record<string, unknown>, at: Date, verificationId: string | null = null): Promise<number> {
  if (tx.dialect === "postgresql") await tx.get(`SELECT pg_advisory_xact_lock(${EVENTS_LOCK_KEY})`);
  const row = await tx.get<{ seq: unknown }>(`INSERT INTO events (type, verification_id, data, created_at) VALUES (?, ?, ?, ?) RETURNING seq`, [
    type, verificationId, JSON.stringify(data), at,
  ]);
  return Number(row?.seq);
}

/**
 * Writes the bus events that no table change carries into the outbox, on the node that published them.
 * They are not in a transaction with their cause (an owner's decision deletes a row in owner-requests.ts;
 * the send budget lives in memory or Redis): such an event may be lost if the process dies between the
 * two, which is accepted for these two notices.
 */
export function recordBusEvents(events: EventBus, outbox: Outbox, logger: Logger): () => void {
  const unsubscribers = [
    events.subscribe("owner.decided", (event, meta) => {
      if (meta.remote) return;
      outbox
        .append("owner.decided", { reference: event.data.reference, connectionId: event.data.connectionId, decision: event.data.decision, surface: "socket" }, new Date(event.at))
        .catch((error: unknown) => logger.error({ err: error }, "could not write owner.decided to the outbox"));
    }),
    events.subscribe("send_budget.exhausted", (event, meta) => {
      if (meta.remote) return;
      outbox
        .append("send_budget.exhausted", { ...event.data }, new Date(event.at))
        .catch((error: unknown) => logger.error({ err: error }, "could not write send_budget.exhausted to the outbox"));
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
