/**
 * What the engine tells whoever counts it (server/telemetry/metrics.ts for /metrics) beyond its events:
 * outcomes that publish nothing (a check refused before a code is compared, a refusal for fraud) and
 * carrier delivery times. Calls are synchronous and must not throw; the default does nothing.
 * The lifecycle (started, finished with its status, sent) is counted from the events instead.
 */
import type { Channel } from "./types.ts";

/** How one check ended: approved, a wrong code (an attempt used), or refused before the code was compared. */
export type CheckOutcome = "approved" | "wrong_code" | "locked" | "bad_format" | "not_found";

/**
 * Error codes that refuse a request to protect phones or the bill (toll fraud, SMS pumping, guessing):
 * counted as fraud refusals with the code as reason. auth.start_blocked's `countries_per_ip` joins them
 * (server/telemetry/event-metrics.ts).
 */
export const FRAUD_REFUSALS: ReadonlySet<string> = new Set([
  "country_not_allowed",
  "line_type_not_allowed",
  "send_limit_reached",
  "send_budget_exhausted",
  "too_many_failed_attempts",
]);

export interface EngineObserver {
  checked(outcome: CheckOutcome): void;
  /** A request refused with one of FRAUD_REFUSALS. */
  refused(reason: string): void;
  /** A carrier reported a message delivered, `seconds` after it was handed over (0 when the carrier knew at once). */
  delivered(carrier: string, channel: Channel, seconds: number): void;
}

export const NO_OBSERVER: EngineObserver = { checked() {}, refused() {}, delivered() {} };
