/**
 * Per-carrier health, from what the carriers themselves report: every send through `withHealth` is
 * recorded as a success or a failure (with its code). The engine stays unaware of it. A carrier is
 * "down" after 3 failures in a row, "degraded" when 3 or more of its last 20 sends failed, else
 * "healthy"; each change of state is logged once. `getCarrierHealth()` serves a later owner console.
 */
import type { Logger } from "pino";
import { CarrierError, type Carrier, type OutboundMessage, type SendResult } from "./types.ts";

export type HealthState = "healthy" | "degraded" | "down";

export interface CarrierHealthSnapshot {
  carrier: string;
  state: HealthState;
  /** Failures among the last WINDOW sends. */
  recentFailures: number;
  recentSends: number;
  consecutiveFailures: number;
  lastError: { code: string; message: string; retryable: boolean; at: string } | null;
  lastSuccessAt: string | null;
}

const WINDOW = 20;
const DOWN_AFTER = 3;
const DEGRADED_AT = 3;

class CarrierStats {
  outcomes: boolean[] = [];
  consecutiveFailures = 0;
  lastError: CarrierHealthSnapshot["lastError"] = null;
  lastSuccessAt: string | null = null;
  state: HealthState = "healthy";

  constructor(readonly carrier: string) {}

  snapshot(): CarrierHealthSnapshot {
    return {
      carrier: this.carrier,
      state: this.state,
      recentFailures: this.outcomes.filter((ok) => !ok).length,
      recentSends: this.outcomes.length,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }
}

export class CarrierHealth {
  private readonly stats = new Map<string, CarrierStats>();

  constructor(
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private of(carrier: string): CarrierStats {
    let stats = this.stats.get(carrier);
    if (!stats) {
      stats = new CarrierStats(carrier);
      this.stats.set(carrier, stats);
    }
    return stats;
  }

  record(carrier: string, outcome: { ok: true } | { ok: false; error: CarrierError }): void {
    const stats = this.of(carrier);
    stats.outcomes.push(outcome.ok);
    if (stats.outcomes.length > WINDOW) stats.outcomes.shift();
    const at = this.clock().toISOString();
    if (outcome.ok) {
      stats.consecutiveFailures = 0;
      stats.lastSuccessAt = at;
    } else {
      stats.consecutiveFailures += 1;
      stats.lastError = { code: outcome.error.code, message: outcome.error.message, retryable: outcome.error.retryable, at };
    }
    const failures = stats.outcomes.filter((ok) => !ok).length;
    const next: HealthState = stats.consecutiveFailures >= DOWN_AFTER ? "down" : failures >= DEGRADED_AT ? "degraded" : "healthy";
    if (next !== stats.state) {
      const previous = stats.state;
      stats.state = next;
      const fields = { carrier, state: next, previous, recentFailures: failures, recentSends: stats.outcomes.length, lastError: stats.lastError?.code ?? null };
      if (next === "healthy") this.logger.info(fields, "carrier recovered");
      else this.logger.warn(fields, `carrier ${next}`);
    }
  }

  snapshot(): CarrierHealthSnapshot[] {
    return [...this.stats.values()].map((s) => s.snapshot());
  }

  /** Starts tracking a carrier before its first send, so it is listed as healthy. */
  track(carrier: string): void {
    this.of(carrier);
  }
}

/** The same carrier, with every send's outcome recorded. Webhooks and capabilities pass through. */
export function withHealth(carrier: Carrier, health: CarrierHealth): Carrier {
  health.track(carrier.id);
  return {
    id: carrier.id,
    channels: carrier.channels,
    webhooks: carrier.webhooks,
    ...(carrier.findSent ? { findSent: carrier.findSent.bind(carrier) } : {}),
    async send(message: OutboundMessage): Promise<SendResult> {
      try {
        const result = await carrier.send(message);
        health.record(carrier.id, { ok: true });
        return result;
      } catch (error) {
        const failure =
          error instanceof CarrierError ? error : new CarrierError(carrier.id, "carrier_error", (error as Error)?.message ?? String(error), true, { cause: error });
        health.record(carrier.id, { ok: false, error: failure });
        throw failure;
      }
    },
  };
}

let current: CarrierHealth | null = null;

/** Registers the health of the carriers this process built (buildCarriers does it). */
export function setCurrentCarrierHealth(health: CarrierHealth): void {
  current = health;
}

/** Health of every configured carrier in this process, for logs and the owner console. */
export function getCarrierHealth(): CarrierHealthSnapshot[] {
  return current?.snapshot() ?? [];
}
