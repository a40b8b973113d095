/**
 * The audit log: every published event becomes a row in `audit_events`. Rows are written in batches
 * (every 100 ms or 200 events) so the log costs the hot path one queue push; on a crash at most the
 * last batch of the log is lost, never a verification's state, which is written before its event.
 * With several nodes, each node writes only the events it published itself (never remote ones).
 */
import type { Logger } from "pino";
import type { EventBus } from "./events/bus.ts";
import type { TextgateEvent } from "./events/types.ts";
import type { Sql } from "./store/sql.ts";

const FLUSH_MS = 100;
const MAX_BATCH = 200;
/** Rows per INSERT (5 parameters each, far below either database's limit). */
const INSERT_ROWS = 100;

/** Removes what must never be stored in the log: message bodies of inbound texts stay in inbound_messages. */
function auditData(event: TextgateEvent): string {
  const { body: _body, ...data } = event.data as Record<string, unknown>;
  return JSON.stringify(data);
}

export class AuditLog {
  private queue: TextgateEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sql: Sql,
    events: EventBus,
    private readonly logger: Logger,
  ) {
    // Events from other nodes (Redis bridge) were written by the node that published them.
    this.unsubscribe = events.subscribe("*", (event, meta) => {
      if (!meta.remote) this.push(event);
    });
  }

  private push(event: TextgateEvent): void {
    this.queue.push(event);
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    if (!batch.length) return this.flushing;
    this.flushing = this.flushing.then(() =>
      this.sql
        .transaction(async (tx) => {
          // Several rows per statement: one round trip per chunk on PostgreSQL instead of one per event.
          for (let i = 0; i < batch.length; i += INSERT_ROWS) {
            const chunk = batch.slice(i, i + INSERT_ROWS);
            await tx.run(
              `INSERT INTO audit_events (id, type, verification_id, data, created_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?)").join(", ")}`,
              chunk.flatMap((e) => [e.id, e.type, (e.data as { verificationId?: string }).verificationId ?? null, auditData(e), new Date(e.at)]),
            );
          }
        })
        .catch((error: unknown) => this.logger.error({ err: error, events: batch.length }, "audit log write failed")),
    );
    return this.flushing;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.flush();
  }
}
