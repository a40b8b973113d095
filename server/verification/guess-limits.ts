/**
 * The long-term cap on guessing codes for one number (issue 10 item 6; NIST SP 800-63B §5.2.2 allows at
 * most 100 consecutive failures per account; security checklist item 12: limits per number across IPs).
 * Every surface checks through engine.check, so one count covers the native API, the compat APIs,
 * sign-in and sockets.
 *
 * Wrong codes in a row are counted per E.164 number in `guess_failures` (this module owns the table):
 * - from the GUESS_LOCK_AFTER_FAILURES-th failure on, each failure locks the number for a time that
 *   doubles from 30 s up to 1 h;
 * - at GUESS_MAX_FAILURES_PER_DAY (default 100) it is locked for 24 h;
 * - a right code deletes the row (the streak ends); a streak is forgotten 24 h after its last failure.
 * While locked, a check answers 429 too_many_failed_attempts with Retry-After before the code is looked
 * at, so it neither uses an attempt nor tests the code.
 *
 * Why a table and not rate-limiter-flexible over Redis: the count must survive restarts (a cap that a
 * restart clears is weak, and SQLite deployments have no Redis), and every node already shares the
 * database, so one implementation serves one node and many. Each failure is one upsert (atomic under
 * concurrent checks on every node); a lock adds one update; the notice is claimed by one conditional
 * update, so it goes out once per streak, from one node. A check costs one indexed read by primary key,
 * carried in the statement that reads the verification (`streakColumns`), and a right code a delete only
 * when that read found a row.
 */
import { describeWait } from "../../lib/durations.ts";
import { TextgateError } from "../../lib/errors.ts";
import { parsePhone } from "../../lib/phone.ts";
import type { Sql } from "../store/sql.ts";
import { toDateOrNull } from "../store/sql.ts";
import { canonicalLocale, localeForCountry, textsFor } from "./locales.ts";

export const GUESS_LOCK_BASE_SECONDS = 30;
export const GUESS_LOCK_MAX_SECONDS = 3600;
/** How long a streak is remembered after its last failure, and the lock at the daily maximum. */
export const GUESS_WINDOW_SECONDS = 86_400;

export interface GuessLimitSettings {
  /** Failures in a row after which each failure locks the number (GUESS_LOCK_AFTER_FAILURES). */
  lockAfter: number;
  /** Failures in a row that lock the number for 24 h (GUESS_MAX_FAILURES_PER_DAY). */
  maxPerDay: number;
}

export const DEFAULT_GUESS_LIMITS: GuessLimitSettings = { lockAfter: 10, maxPerDay: 100 };

/** What one failure did: the streak's length, the lock it set (if any), and whether to text the number. */
export interface GuessFailure {
  failures: number;
  lockedForSeconds: number | null;
  /** True for exactly one failure per streak: the first that locked the number. */
  notify: boolean;
}

/** Seconds the `failures`-th failure in a row locks the number for, or null for no lock. */
export function lockSeconds(failures: number, settings: GuessLimitSettings): number | null {
  if (failures >= settings.maxPerDay) return GUESS_WINDOW_SECONDS;
  if (failures < settings.lockAfter) return null;
  // The exponent is capped so that 2 ** n stays a small exact number; the hour caps the result.
  return Math.min(GUESS_LOCK_BASE_SECONDS * 2 ** Math.min(failures - settings.lockAfter, 20), GUESS_LOCK_MAX_SECONDS);
}

/**
 * The number's streak as columns of another statement, so that a check reads the verification and the
 * streak in one round trip (engine.ts checkCode). `phone` is the SQL expression of the number in that
 * statement; the row is read by primary key. `streakOf` reads the two columns back.
 */
export function streakColumns(phone: string): string {
  return `(SELECT 1 FROM guess_failures WHERE phone = ${phone}) AS streak_on_record,
    (SELECT locked_until FROM guess_failures WHERE phone = ${phone}) AS streak_locked_until`;
}

/** A number's streak as a check sees it: whether one is on record, and until when it locks the number. */
export interface Streak {
  onRecord: boolean;
  lockedUntil: Date | null;
}

export function streakOf(row: Record<string, unknown>): Streak {
  return { onRecord: row.streak_on_record !== null && row.streak_on_record !== undefined, lockedUntil: toDateOrNull(row.streak_locked_until) };
}

export class GuessLimits {
  constructor(
    private readonly sql: Sql,
    private readonly settings: GuessLimitSettings = DEFAULT_GUESS_LIMITS,
  ) {}

  /**
   * Throws too_many_failed_attempts (429, Retry-After) while the number is locked. Otherwise returns
   * whether it has failures on record (then a right code must end the streak with `reset`).
   */
  assertOpen(streak: Streak, now: Date): boolean {
    if (!streak.onRecord) return false;
    const { lockedUntil } = streak;
    if (lockedUntil && lockedUntil > now) {
      const wait = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
      throw new TextgateError("too_many_failed_attempts", `Too many wrong codes for this number. Try again in ${describeWait(wait)}.`, { retryAfter: wait });
    }
    return true;
  }

  /** Counts one wrong code for `to`; locks it when the streak is long enough. */
  async recordFailure(to: string, now: Date): Promise<GuessFailure> {
    const forgotten = new Date(now.getTime() - GUESS_WINDOW_SECONDS * 1000);
    // One statement, so concurrent failures on any node each count once. A streak whose last failure is
    // a day old starts again at 1, with its lock and notice cleared. Right-hand sides read the old row.
    const row = await this.sql.get<{ failures: number | string }>(
      `INSERT INTO guess_failures (phone, failures, last_failure_at, locked_until, notified_at) VALUES (?, 1, ?, NULL, NULL)
       ON CONFLICT (phone) DO UPDATE SET
         failures = CASE WHEN guess_failures.last_failure_at <= ? THEN 1 ELSE guess_failures.failures + 1 END,
         locked_until = CASE WHEN guess_failures.last_failure_at <= ? THEN NULL ELSE guess_failures.locked_until END,
         notified_at = CASE WHEN guess_failures.last_failure_at <= ? THEN NULL ELSE guess_failures.notified_at END,
         last_failure_at = excluded.last_failure_at
       RETURNING failures`,
      [to, now, forgotten, forgotten, forgotten],
    );
    const failures = Number(row?.failures ?? 1);
    const lockedFor = lockSeconds(failures, this.settings);
    if (lockedFor === null) return { failures, lockedForSeconds: null, notify: false };
    const until = new Date(now.getTime() + lockedFor * 1000);
    // Never shortens a lock a concurrent, later failure already set.
    await this.sql.run(`UPDATE guess_failures SET locked_until = ? WHERE phone = ? AND (locked_until IS NULL OR locked_until < ?)`, [until, to, until]);
    const notify = (await this.sql.run(`UPDATE guess_failures SET notified_at = ? WHERE phone = ? AND notified_at IS NULL`, [now, to])) === 1;
    return { failures, lockedForSeconds: lockedFor, notify };
  }

  /** A right code ends the number's streak. */
  async reset(to: string): Promise<void> {
    await this.sql.run(`DELETE FROM guess_failures WHERE phone = ?`, [to]);
  }
}

/**
 * The one text a number gets when its streak of wrong codes first locks it (a plain notice, no code):
 * someone may be trying to get into an account with it. In the language of the number's country
 * (locales.ts), else `defaultLocale`.
 */
export function guessingNotice(options: { to: string; brand: string; lockedForSeconds: number; defaultLocale: string }): string {
  const country = parsePhone(options.to)?.country;
  const locale = canonicalLocale(localeForCountry(country) ?? options.defaultLocale) ?? "en";
  return textsFor(locale).guessing.replaceAll("{brand}", options.brand).replaceAll("{wait}", describeWait(options.lockedForSeconds));
}
