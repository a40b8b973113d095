/**
 * The low-conversion alarm: every CONVERSION_ALARM_CHECK_SECONDS the scheduler asks whether a country's or
 * a carrier's conversion (approved ÷ started) over the last hour fell below CONVERSION_ALARM_THRESHOLD
 * with at least CONVERSION_ALARM_MIN_STARTED verifications started. A sudden drop is how SMS pumping
 * (codes sent to numbers nobody reads) and a carrier's silent outage show.
 *
 * Once per episode, across nodes and restarts: the `conversion_alarms` row is the claim. Raising inserts it
 * with ON CONFLICT DO NOTHING and writes `conversion.low` to the outbox in the same transaction, so only
 * the node whose insert lands emits the event, and a SIGKILL leaves both or neither. The owners' text is
 * leased like a delivery (server/verification/delivery.ts): a node takes the lease with one conditional
 * update, texts, and records `notified_at`; a node killed before that leaves the lease to run out and the
 * next check (any node) texts. Killed between the carrier's answer and that write, the owners get a second
 * text after NOTIFY_LEASE_MS: at least once, as a code's delivery is. While the row exists nothing is
 * raised again; when the conversion is back at the threshold plus RECOVERY_MARGIN (a margin, so that a
 * rate hovering at the threshold does not text every few minutes) the row is deleted with
 * `conversion.recovered` in the same transaction, which re-arms it. Without enough volume nothing changes.
 *
 * Test numbers' verifications are left out (nothing goes to a carrier). A verification's carrier is its
 * first workflow step's (the one that carried its first code).
 */
import crypto from "node:crypto";
import type { Logger } from "pino";
import { countryOf } from "../../lib/phone.ts";
import type { EventBus } from "../events/bus.ts";
import type { EventPayloads } from "../events/types.ts";
import type { Sql } from "../store/sql.ts";
import { toDateOrNull } from "../store/sql.ts";
import type { NoticeKey, NoticeValues } from "../verification/notices.ts";
import { appendEvent } from "../webhooks/outbox.ts";

export const CONVERSION_WINDOW_MS = 60 * 60 * 1000;
/** How far above the threshold a conversion must come back to count as recovered (absolute, 0..1). */
export const RECOVERY_MARGIN = 0.1;
/** How long a node holds the owners' text before another may send it. */
export const NOTIFY_LEASE_MS = 2 * 60 * 1000;

export type ConversionScope = "country" | "carrier";

export interface ConversionCount {
  scope: ConversionScope;
  /** ISO 3166-1 code ("unknown" when the number's metadata cannot place it), or a carrier id. */
  key: string;
  started: number;
  approved: number;
}

export interface ConversionAlarmSettings {
  /** 0..1; 0 turns the alarm off. */
  threshold: number;
  minStarted: number;
}

/** One verification of the window: its number, its status, its first step's carrier (null: none yet). */
export interface WindowRow {
  to: string;
  status: string;
  carrier: string | null;
}

/** Counts started and approved per country and per carrier. */
export function countConversions(rows: Iterable<WindowRow>): ConversionCount[] {
  const counts = new Map<string, ConversionCount>();
  const add = (scope: ConversionScope, key: string, approved: boolean) => {
    const id = `${scope}:${key}`;
    let count = counts.get(id);
    if (!count) counts.set(id, (count = { scope, key, started: 0, approved: 0 }));
    count.started += 1;
    if (approved) count.approved += 1;
  };
  for (const row of rows) {
    const approved = row.status === "approved";
    add("country", countryOf(row.to), approved);
    if (row.carrier) add("carrier", row.carrier, approved);
  }
  return [...counts.values()];
}

export function conversionOf(count: Pick<ConversionCount, "started" | "approved">): number {
  return count.started ? count.approved / count.started : 1;
}

/**
 * What one check does, given the window's counts and the alarms already raised (`scope:key`): raise the
 * groups below the threshold with enough volume that are not raised, recover the raised ones that are back
 * above threshold + RECOVERY_MARGIN with enough volume. Groups without enough volume keep their state.
 */
export function decideConversionAlarms(
  counts: readonly ConversionCount[],
  raised: ReadonlySet<string>,
  settings: ConversionAlarmSettings,
): { raise: ConversionCount[]; recover: ConversionCount[] } {
  const raise: ConversionCount[] = [];
  const recover: ConversionCount[] = [];
  if (settings.threshold <= 0) return { raise, recover };
  for (const count of counts) {
    if (count.started < settings.minStarted) continue;
    const conversion = conversionOf(count);
    const isRaised = raised.has(`${count.scope}:${count.key}`);
    if (!isRaised && conversion < settings.threshold) raise.push(count);
    else if (isRaised && conversion >= Math.min(1, settings.threshold + RECOVERY_MARGIN)) recover.push(count);
  }
  return { raise, recover };
}

export interface ConversionAlarmOptions {
  /** The conversion_alarms table (this module's) and the outbox. */
  sql: Sql;
  /** The verifications of a window, from their owner (VerificationRepository.createdBetween). */
  verificationsBetween(from: Date, to: Date): Promise<WindowRow[]>;
  events: EventBus;
  logger: Logger;
  settings: ConversionAlarmSettings;
  owners: readonly string[];
  /** Texts one owner (sendNotice); false when no carrier took it. Never throws. */
  textOwner(to: string, body: string): Promise<boolean>;
  /** The catalog text for one owner, in the language of their number (notices.ts noticeFor). */
  notice(to: string, key: NoticeKey, values: NoticeValues): string;
  clock: () => Date;
}

export interface ConversionAlarms {
  /** One check of the last hour; safe on several nodes at once. */
  check(): Promise<void>;
}

type AlarmEvent = EventPayloads["conversion.low"];

export function conversionAlarms(options: ConversionAlarmOptions): ConversionAlarms {
  const { sql, settings } = options;

  const eventData = (count: ConversionCount): AlarmEvent => ({
    scope: count.scope,
    key: count.key,
    started: count.started,
    approved: count.approved,
    conversion: Math.round(conversionOf(count) * 1000) / 1000,
    threshold: settings.threshold,
    windowSeconds: CONVERSION_WINDOW_MS / 1000,
  });

  const windowRows = (now: Date) => options.verificationsBetween(new Date(now.getTime() - CONVERSION_WINDOW_MS), now);

  const raise = async (count: ConversionCount, now: Date) => {
    const data = eventData(count);
    const raised = await sql.transaction(async (tx) => {
      const inserted = await tx.run(
        `INSERT INTO conversion_alarms (scope, "key", started, approved, raised_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [count.scope, count.key, count.started, count.approved, now],
      );
      if (inserted) await appendEvent(tx, "conversion.low", { ...data }, now);
      return inserted > 0;
    });
    if (!raised) return;
    options.logger.error(data, `conversion below the threshold for ${count.scope} ${count.key}: possible SMS pumping or a carrier outage`);
    options.events.publish("conversion.low", data);
  };

  const recover = async (count: ConversionCount, now: Date) => {
    const data = eventData(count);
    const recovered = await sql.transaction(async (tx) => {
      const deleted = await tx.run(`DELETE FROM conversion_alarms WHERE scope = ? AND "key" = ?`, [count.scope, count.key]);
      if (deleted) await appendEvent(tx, "conversion.recovered", { ...data }, now);
      return deleted > 0;
    });
    if (!recovered) return;
    options.logger.info(data, `conversion recovered for ${count.scope} ${count.key}`);
    options.events.publish("conversion.recovered", data);
  };

  /** Texts the owners about every raised alarm not yet texted whose lease is free (this node's or a dead node's). */
  const notify = async (now: Date) => {
    const waiting = await sql.all<{ scope: ConversionScope; key: string; started: unknown; approved: unknown; notify_lease_until: unknown }>(
      `SELECT scope, "key", started, approved, notify_lease_until FROM conversion_alarms WHERE notified_at IS NULL`,
    );
    for (const row of waiting) {
      const leaseUntil = toDateOrNull(row.notify_lease_until);
      if (leaseUntil && leaseUntil > now) continue;
      const token = crypto.randomUUID();
      const claimed = await sql.run(
        `UPDATE conversion_alarms SET notify_lease_until = ?, notify_token = ?
         WHERE scope = ? AND "key" = ? AND notified_at IS NULL AND (notify_lease_until IS NULL OR notify_lease_until <= ?)`,
        [new Date(now.getTime() + NOTIFY_LEASE_MS), token, row.scope, row.key, now],
      );
      if (!claimed) continue;
      const count = { scope: row.scope, key: row.key, started: Number(row.started), approved: Number(row.approved) };
      const values = { [row.scope]: row.key, percent: Math.round(conversionOf(count) * 100), approved: count.approved, started: count.started };
      const key: NoticeKey = row.scope === "country" ? "conversionLowCountry" : "conversionLowCarrier";
      let taken = options.owners.length === 0;
      for (const owner of options.owners) if (await options.textOwner(owner, options.notice(owner, key, values))) taken = true;
      // No carrier took any owner's text (a carrier outage may be the very cause): the lease runs out and a
      // later check tries again.
      if (!taken) {
        options.logger.warn({ scope: row.scope, key: row.key }, "no carrier took the owners' low-conversion text; trying again later");
        continue;
      }
      await sql.run(`UPDATE conversion_alarms SET notified_at = ? WHERE scope = ? AND "key" = ? AND notify_token = ?`, [now, row.scope, row.key, token]);
    }
  };

  return {
    async check() {
      if (settings.threshold <= 0) return;
      const now = options.clock();
      const counts = countConversions(await windowRows(now));
      const raisedRows = await sql.all<{ scope: string; key: string }>(`SELECT scope, "key" FROM conversion_alarms`);
      const decision = decideConversionAlarms(counts, new Set(raisedRows.map((r) => `${r.scope}:${r.key}`)), settings);
      for (const count of decision.raise) await raise(count, now);
      for (const count of decision.recover) await recover(count, now);
      await notify(now);
    },
  };
}
