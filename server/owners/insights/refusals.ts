/**
 * Fraud refusals per hour and reason for the insights page (insight_refusals). A refused request leaves
 * no verification behind, so refusals are counted as they happen: in memory, then added to the hour's row
 * every `flushMs` in one transaction. A crash loses at most that many seconds of counts; nothing is
 * counted twice (a flush that fails keeps its counts for the next one).
 */
import type { Logger } from "pino";
import type { Sql } from "../../store/sql.ts";
import { toDate } from "../../store/sql.ts";
import { floorHour } from "./hours.ts";

export class RefusalCounter {
  private pending = new Map<string, { hour: Date; reason: string; count: number }>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly clock: () => Date,
    private readonly logger: Logger,
  ) {}

  /** One refusal, with its error code (or sign-in block reason) as reason. Synchronous, never throws. */
  refused(reason: string): void {
    const hour = floorHour(this.clock());
    const key = `${hour.getTime()}|${reason}`;
    const entry = this.pending.get(key);
    if (entry) entry.count++;
    else this.pending.set(key, { hour, reason, count: 1 });
  }

  start(flushMs: number): void {
    this.timer ??= setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  /** Adds the counts so far to their rows. */
  flush(): Promise<void> {
    this.flushing ??= (async () => {
      const batch = this.pending;
      this.pending = new Map();
      try {
        if (batch.size === 0) return;
        await this.sql.transaction(async (tx) => {
          for (const { hour, reason, count } of batch.values()) {
            await tx.run(
              `INSERT INTO insight_refusals (hour, reason, count) VALUES (?, ?, ?) ON CONFLICT (hour, reason) DO UPDATE SET count = insight_refusals.count + excluded.count`,
              [hour, reason, count],
            );
          }
        });
      } catch (error) {
        for (const [key, entry] of batch) {
          const now = this.pending.get(key);
          if (now) now.count += entry.count;
          else this.pending.set(key, entry);
        }
        this.logger.warn({ err: error }, "could not record fraud refusals for insights");
      } finally {
        this.flushing = null;
      }
    })();
    return this.flushing;
  }

  /** Refusals since `since`, by reason, most first. */
  async byReason(since: Date): Promise<{ reason: string; count: number }[]> {
    const rows = await this.sql.all<{ reason: string; count: unknown }>(
      `SELECT reason, SUM(count) AS count FROM insight_refusals WHERE hour >= ? GROUP BY reason ORDER BY SUM(count) DESC, reason`,
      [since],
    );
    return rows.map((r) => ({ reason: r.reason, count: Number(r.count) }));
  }

  /** Refusals per hour since `since` (tests). */
  async perHour(since: Date): Promise<{ hour: Date; reason: string; count: number }[]> {
    const rows = await this.sql.all<{ hour: unknown; reason: string; count: unknown }>(`SELECT hour, reason, count FROM insight_refusals WHERE hour >= ? ORDER BY hour, reason`, [since]);
    return rows.map((r) => ({ hour: toDate(r.hour), reason: r.reason, count: Number(r.count) }));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flushing;
    await this.flush();
  }
}
