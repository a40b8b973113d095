/** Typed payloads of every state change the engine publishes. Sockets and webhooks subscribe to these. */
import type { CancelReason } from "../../lib/validations/webhooks.ts";
import type { Channel, DeliveryStatus, Surface, VerificationStatus } from "../verification/types.ts";

export interface VerificationRef {
  verificationId: string;
  to: string;
  purpose: string;
  surface: Surface;
  /** The verification's channel, its first step's (a later step or a resend may use another; step_sent's is the step's). */
  channel: Channel;
}

export interface ConversionAlarmData {
  scope: "country" | "carrier";
  /** An ISO 3166-1 code ("unknown" when the metadata cannot place the number) or a carrier id. */
  key: string;
  started: number;
  approved: number;
  /** approved ÷ started, 0..1, three decimals. */
  conversion: number;
  threshold: number;
  windowSeconds: number;
}

export interface EventPayloads {
  /** `country`: the number's ISO 3166-1 code as parsed at creation ("unknown" when the metadata cannot place it). */
  "verification.created": VerificationRef & { expiresAt: string; country: string };
  "verification.step_sent": VerificationRef & { deliveryId: string; stepIndex: number; channel: Channel; carrier: string };
  "verification.delivery_updated": VerificationRef & { deliveryId: string; status: DeliveryStatus; errorCode?: string };
  "verification.attempt_failed": VerificationRef & { attempts: number; attemptsLeft: number };
  "verification.approved": VerificationRef & { by: "code" | "owner" };
  "verification.expired": VerificationRef;
  "verification.canceled": VerificationRef & { reason: CancelReason };
  "verification.max_attempts_reached": VerificationRef & { attempts: number };
  /**
   * Wrong codes in a row for one number, on any surface, reached GUESS_LOCK_AFTER_FAILURES: checks for it
   * are refused for `lockedForSeconds`. Once per streak (server/verification/guess-limits.ts).
   */
  "verification.guessing_locked": VerificationRef & { failures: number; lockedForSeconds: number };
  "verification.failed": VerificationRef & { reason: string };
  /** Sessions ended on the server: one (`sessionId`) or every session of the user (`sessionId: null`). */
  "session.revoked": { userId: string; sessionId: string | null };
  "inbound.received": { inboundId: string; carrier: string; from: string; to: string | null; body: string };
  /** The global send budget (SEND_BUDGET_PER_HOUR) is spent: nothing goes to carriers until `retryAfterSeconds`. Once per trip. */
  "send_budget.exhausted": { budgetPerHour: number; retryAfterSeconds: number };
  /** The send budget has room again after a trip: sending resumed. */
  "send_budget.recovered": { budgetPerHour: number };
  /**
   * A country's or a carrier's conversion (approved ÷ started) over the last `windowSeconds` fell below
   * CONVERSION_ALARM_THRESHOLD with at least CONVERSION_ALARM_MIN_STARTED started: possible SMS pumping
   * or a carrier outage. Once per episode across nodes (server/owners/conversion-alarms.ts).
   */
  "conversion.low": ConversionAlarmData;
  /** That conversion is back above the threshold (plus a margin): the alarm is re-armed. */
  "conversion.recovered": ConversionAlarmData;
  /**
   * A sign-in start answered as usual but not sent (silent block), with the reason: `countries_per_ip`,
   * one client IP reaching more than AUTH_COUNTRIES_PER_IP countries in 24 h. `to` is masked.
   */
  "auth.start_blocked": { reason: "countries_per_ip"; ip: string; country: string; to: string };
  /** An owner decided a pending socket request (server/owners/desk.ts); the node holding the socket acts on it. */
  "owner.decided": { reference: string; connectionId: string; decision: "accept" | "deny" };
}

export type EventType = keyof EventPayloads;

export interface TextgateEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  at: string;
  data: EventPayloads[T];
}

export const TERMINAL_EVENT_STATUS: Partial<Record<EventType, VerificationStatus>> = {
  "verification.approved": "approved",
  "verification.expired": "expired",
  "verification.canceled": "canceled",
  "verification.max_attempts_reached": "max_attempts_reached",
  "verification.failed": "failed",
};
