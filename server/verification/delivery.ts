/**
 * Sends one claimed delivery: opens the sealed code, renders the text for the channel and locale, and
 * hands it to the channel's carriers in order of preference. A failure that retrying can help moves on
 * to the next carrier, then reschedules the delivery with backoff; a permanent one fails it.
 * Before each carrier call the hand-over is recorded and the lease renewed, only while this claim still
 * holds it (`repo.handOver`): a sender that lost its lease never calls a carrier. A delivery re-claimed
 * after it had been handed over (INTERRUPTED) is first looked up at its carriers (`findSent`, from its
 * hand-over time, by the delivery id where the carrier keeps a reference, never taking a send already
 * recorded for another delivery): found, it is recorded as sent and nothing goes out; the lookup failed,
 * nothing goes out and it is asked again later. One claimed but never handed over is simply sent.
 * A test number's step (test-numbers.ts) goes to no carrier and takes nothing from the budget: it is
 * recorded as sent by TEST_NUMBER_CARRIER, so the API, /owner and webhooks tell it from a carrier's send.
 * Every hand-over to the carriers takes one message from the global send budget first; when it is spent,
 * the delivery is postponed (scheduled again, unsent) until the budget's window has room.
 */
import type { Logger } from "pino";
import { maskPhone } from "../../lib/phone.ts";
import type { CarrierRegistry } from "../carriers/registry.ts";
import { CarrierError, type OutboundMessage, type SendResult } from "../carriers/types.ts";
import type { EventBus } from "../events/bus.ts";
import type { VerificationRef } from "../events/types.ts";
import { inSpan } from "../telemetry/tracing.ts";
import type { CodeCrypto } from "./codes.ts";
import { type EngineObserver, NO_OBSERVER } from "./observer.ts";
import { renderMessage } from "./messages.ts";
import { type DeliveryRecord, INTERRUPTED, type VerificationRecord, type VerificationRepository } from "./repository.ts";
import type { SendBudget } from "./send-budget.ts";
import type { SendPacer } from "./send-pacer.ts";
import { TEST_NUMBER_CARRIER } from "./test-numbers.ts";

/** Sends of one delivery before it is given up. */
export const MAX_SEND_TRIES = 5;
/** How long a claimed delivery belongs to its claimer; past that a scheduler may claim it again. */
export const LEASE_MS = 30_000;
/**
 * A lookup after a crash starts this long before the recorded hand-over: the carrier's clock may be a
 * little behind ours, and Twilio's `date_created` has whole seconds. Sends recorded for other
 * deliveries inside it are never taken for this one.
 */
export const LOOKUP_SKEW_MS = 5_000;
/**
 * A request that claimed a step itself (create, resend, next step) records the hand-over in that claim
 * and skips the re-check before its first carrier call while its lease has at least this much left.
 */
const FRESH_LEASE_MS = LEASE_MS / 2;

export function retryDelayMs(tries: number): number {
  return Math.min(1000 * 2 ** Math.max(tries - 1, 0), 60_000);
}

export interface DelivererDeps {
  repo: VerificationRepository;
  carriers: CarrierRegistry;
  codes: CodeCrypto;
  events: EventBus;
  logger: Logger;
  clock: () => Date;
  /** The global send budget: one message taken before each hand-over to the carriers. */
  budget: SendBudget;
  /** Told how long each carrier call took, to size the scheduler's claims. */
  pacer?: SendPacer;
  /** Told when a carrier says at once that a message arrived (the sandbox). */
  observer?: EngineObserver;
  defaultBrand: string;
  defaultSender?: string;
  /** Host for the origin-bound line of code texts (null: none). */
  originHost?: string | null;
  appHash?: string | null;
}

/**
 * Error code of a delivery whose "was it already sent?" lookup failed: it stays "sending" (its outcome is
 * unknown) until its lease, moved to the retry time, runs out; then it is re-claimed and asked again.
 */
export const LOOKUP_FAILED = "lookup_failed";

/** Error code of a delivery postponed because the global send budget was spent. */
export const BUDGET_EXHAUSTED = "send_budget_exhausted";

/** Options of one `deliver`. */
export interface DeliverOptions {
  /** The caller already took this message from the send budget (and refused the request if it could not). */
  budgetTaken?: boolean;
  /** The caller's own claim of this delivery recorded the hand-over (`handed_at`): its first carrier call needs no re-check. */
  handedAtClaim?: boolean;
}

export interface DeliveryOutcome {
  /** "lost": this claim no longer held the lease, so nothing was sent and the node holding it sends it. */
  outcome: "sent" | "retry" | "postponed" | "failed" | "dropped" | "lost";
  /** The delivery as it now stands. */
  delivery: DeliveryRecord;
  /** True when this failure also failed the whole verification. */
  failedVerification?: boolean;
}

export class Deliverer {
  constructor(private readonly deps: DelivererDeps) {}

  /** Sends one step (or resend) in its own span, `textgate.delivery.send`, whose children are the carrier calls. */
  deliver(d: DeliveryRecord, v: VerificationRecord, options: DeliverOptions = {}): Promise<DeliveryOutcome> {
    const attributes = { "textgate.verification_id": v.id, "textgate.delivery_id": d.id, "textgate.step": d.stepIndex, "textgate.channel": d.channel };
    return inSpan("textgate.delivery.send", attributes, async (span) => {
      const result = await this.send(d, v, options);
      span.setAttribute("textgate.delivery_outcome", result.outcome);
      return result;
    });
  }

  private async send(d: DeliveryRecord, v: VerificationRecord, options: DeliverOptions): Promise<DeliveryOutcome> {
    const { repo, carriers, codes, events, logger, clock } = this.deps;
    if (v.status !== "pending" || v.expiresAt <= clock()) {
      await repo.markDropped(d.id, clock());
      return { outcome: "dropped", delivery: { ...d, status: "dropped", leaseUntil: null } };
    }
    const ref: VerificationRef = { verificationId: v.id, to: v.to, purpose: v.purpose, surface: v.surface, channel: v.workflow[0]?.channel ?? d.channel };
    if (v.testNumber) return this.recordTestSend(d, ref);
    const body = renderMessage(
      { channel: d.channel, locale: v.locale, brand: v.brand ?? this.deps.defaultBrand, template: v.template, code: codes.open(v.codeSealed, v.id) },
      { validForSeconds: v.validFor, originHost: this.deps.originHost, appHash: this.deps.appHash },
    );
    const outbound = { channel: d.channel, to: v.to, from: v.sender ?? this.deps.defaultSender, body, idempotencyKey: d.id, locale: v.locale };
    // Re-claimed after a hand-over whose outcome was never recorded (or whose lookup failed last time):
    // the carrier may have accepted that send, so it is asked first, and the phone is not texted or called twice.
    if (d.errorCode === INTERRUPTED) {
      const earlier = await this.findEarlierSend(d, outbound);
      if (earlier === "unknown") {
        const retryAt = new Date(clock().getTime() + retryDelayMs(d.tries));
        const error = "could not ask the carrier whether the message already went out";
        await repo.markOutcomeUnknown(d, retryAt, LOOKUP_FAILED, error, clock());
        return { outcome: "retry", delivery: { ...d, leaseUntil: retryAt, errorCode: LOOKUP_FAILED, error } };
      }
      if (earlier) {
        const sentAt = clock();
        if (await repo.markSent(d, { ...earlier.result, carrier: earlier.carrier }, sentAt)) {
          events.publish("verification.step_sent", { ...ref, deliveryId: d.id, stepIndex: d.stepIndex, channel: d.channel, carrier: earlier.carrier });
        }
        return {
          outcome: "sent",
          delivery: { ...d, status: earlier.result.status, carrier: earlier.carrier, carrierMessageId: earlier.result.carrierMessageId, sentAt, leaseUntil: null },
        };
      }
    }
    if (!(await this.holdsLease(d, options.handedAtClaim === true))) return this.lost(d);
    if (!options.budgetTaken) {
      const take = await this.deps.budget.take();
      if (!take.taken) {
        const dueAt = new Date(clock().getTime() + take.retryAfterMs);
        const error = "the send budget is spent: postponed until the window has room";
        await repo.markPostponed(d, dueAt, BUDGET_EXHAUSTED, error, clock());
        events.publish("verification.delivery_updated", { ...ref, deliveryId: d.id, status: "scheduled", errorCode: BUDGET_EXHAUSTED });
        return { outcome: "postponed", delivery: { ...d, status: "scheduled", dueAt, leaseUntil: null, tries: d.tries - 1, errorCode: BUDGET_EXHAUSTED, error } };
      }
    }
    let lastError: CarrierError | null = null;
    let first = true;
    for (const carrier of carriers.for(d.channel)) {
      // Failing over takes time (a timeout, say): the lease is re-checked and renewed before each carrier.
      if (!first && !(await this.holdsLease(d, false))) return this.lost(d);
      first = false;
      const started = clock().getTime();
      try {
        const result = await carrier.send(outbound);
        this.deps.pacer?.record(clock().getTime() - started);
        const sentAt = clock();
        if (await repo.markSent(d, { ...result, carrier: carrier.id }, sentAt)) {
          events.publish("verification.step_sent", { ...ref, deliveryId: d.id, stepIndex: d.stepIndex, channel: d.channel, carrier: carrier.id });
          if (result.status === "delivered") (this.deps.observer ?? NO_OBSERVER).delivered(carrier.id, d.channel, 0);
        }
        const delivery: DeliveryRecord = {
          ...d,
          status: result.status,
          carrier: carrier.id,
          carrierMessageId: result.carrierMessageId,
          sentAt,
          deliveredAt: result.status === "delivered" ? sentAt : null,
          leaseUntil: null,
          errorCode: null,
          error: null,
        };
        return { outcome: "sent", delivery };
      } catch (error) {
        const failure =
          error instanceof CarrierError ? error : new CarrierError(carrier.id, "carrier_error", (error as Error)?.message ?? String(error), true, { cause: error });
        logger.warn({ carrier: carrier.id, deliveryId: d.id, code: failure.code, retryable: failure.retryable }, "carrier send failed");
        this.deps.pacer?.record(clock().getTime() - started);
        lastError = failure;
        if (!failure.retryable) break;
      }
    }
    const now = clock();
    const errorCode = lastError?.code ?? "channel_unavailable";
    const message = lastError?.message ?? `No carrier is configured for ${d.channel}`;
    const retryAt = new Date(now.getTime() + retryDelayMs(d.tries));
    if (lastError?.retryable && d.tries < MAX_SEND_TRIES && retryAt < v.expiresAt) {
      await repo.markRetry(d, retryAt, lastError.carrier, errorCode, message, now);
      events.publish("verification.delivery_updated", { ...ref, deliveryId: d.id, status: "scheduled", errorCode });
      return {
        outcome: "retry",
        delivery: { ...d, status: "scheduled", dueAt: retryAt, leaseUntil: null, carrier: lastError.carrier, errorCode, error: message },
      };
    }
    await repo.markFailed(d, lastError?.carrier ?? null, errorCode, message, now);
    events.publish("verification.delivery_updated", { ...ref, deliveryId: d.id, status: "failed", errorCode });
    const delivery: DeliveryRecord = { ...d, status: "failed", failedAt: now, leaseUntil: null, carrier: lastError?.carrier ?? null, errorCode, error: message };
    let failedVerification = false;
    if (!(await repo.hasOutstandingDeliveries(v.id))) {
      const delivered = (await repo.deliveriesOf(v.id)).some((x) => x.sentAt !== null);
      if (!delivered && (await repo.end(v.id, "failed", now))) {
        failedVerification = true;
        events.publish("verification.failed", { ...ref, reason: errorCode });
      }
    }
    return { outcome: "failed", delivery, failedVerification };
  }

  /**
   * A test number's step: nothing is rendered or handed to a carrier; the step is recorded as sent (once,
   * by whichever claim gets there first: markSent is conditional on `sending`).
   */
  private async recordTestSend(d: DeliveryRecord, ref: VerificationRef): Promise<DeliveryOutcome> {
    const sentAt = this.deps.clock();
    if (await this.deps.repo.markSent(d, { carrier: TEST_NUMBER_CARRIER, carrierMessageId: null, status: "sent" }, sentAt)) {
      this.deps.logger.info({ testNumber: maskPhone(ref.to), verificationId: ref.verificationId, deliveryId: d.id, step: d.stepIndex, channel: d.channel }, "test number: nothing sent, the configured code checks");
      this.deps.events.publish("verification.step_sent", { ...ref, deliveryId: d.id, stepIndex: d.stepIndex, channel: d.channel, carrier: TEST_NUMBER_CARRIER });
    }
    const delivery: DeliveryRecord = { ...d, status: "sent", carrier: TEST_NUMBER_CARRIER, carrierMessageId: null, sentAt, leaseUntil: null, errorCode: null, error: null };
    return { outcome: "sent", delivery };
  }

  /**
   * True while this claim holds the delivery's lease, which it then renews, recording the hand-over.
   * `freshClaim`: the caller's own claim recorded the hand-over just now; trusted while enough of its lease is left.
   */
  private async holdsLease(d: DeliveryRecord, freshClaim: boolean): Promise<boolean> {
    const now = this.deps.clock();
    if (freshClaim && d.handedAt !== null && d.leaseUntil !== null && d.leaseUntil.getTime() - now.getTime() >= FRESH_LEASE_MS) return true;
    return this.deps.repo.handOver(d, now, new Date(now.getTime() + LEASE_MS));
  }

  private lost(d: DeliveryRecord): DeliveryOutcome {
    this.deps.logger.warn({ deliveryId: d.id }, "lease lost before the carrier call: left to the node that holds it");
    return { outcome: "lost", delivery: d };
  }

  /**
   * The send of this delivery that an earlier holder handed over, found through a carrier's lookup from
   * its hand-over time; "unknown" when a lookup failed.
   */
  private async findEarlierSend(d: DeliveryRecord, message: OutboundMessage): Promise<{ carrier: string; result: SendResult } | null | "unknown"> {
    const since = new Date((d.handedAt ?? d.dueAt).getTime() - LOOKUP_SKEW_MS);
    const recorded = await this.deps.repo.sendsRecordedTo(message.to, since);
    for (const carrier of this.deps.carriers.for(d.channel)) {
      if (!carrier.findSent) continue;
      try {
        const result = await carrier.findSent(message, since, recorded.get(carrier.id) ?? NOTHING_RECORDED);
        if (result) return { carrier: carrier.id, result };
      } catch (error) {
        this.deps.logger.warn({ err: error, carrier: carrier.id, deliveryId: d.id }, "could not look up an earlier send");
        return "unknown";
      }
    }
    return null;
  }
}

const NOTHING_RECORDED: ReadonlySet<string> = new Set();
