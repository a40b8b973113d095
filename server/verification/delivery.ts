/**
 * Sends one claimed delivery: opens the sealed code, renders the text for the channel and locale, and
 * hands it to the channel's carriers in order of preference. A failure that retrying can help moves on
 * to the next carrier, then reschedules the delivery with backoff; a permanent one fails it.
 * A delivery re-claimed from a process that died mid-send is first looked up at its carriers
 * (`findSent`, with the delivery id as client reference where the carrier keeps one): found, it is
 * recorded as sent and nothing goes out; the lookup failed, nothing goes out and it is asked again later.
 */
import type { Logger } from "pino";
import type { CarrierRegistry } from "../carriers/registry.ts";
import { CarrierError, type OutboundMessage, type SendResult } from "../carriers/types.ts";
import type { EventBus } from "../events/bus.ts";
import type { CodeCrypto } from "./codes.ts";
import { renderMessage } from "./messages.ts";
import { type DeliveryRecord, INTERRUPTED, type VerificationRecord, type VerificationRepository } from "./repository.ts";

/** Sends of one delivery before it is given up. */
export const MAX_SEND_TRIES = 5;
/** How long a claimed delivery belongs to its claimer; past that a scheduler may claim it again. */
export const LEASE_MS = 30_000;

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
  defaultBrand: string;
  defaultSender?: string;
}

/**
 * Error code of a delivery whose "was it already sent?" lookup failed: it stays "sending" (its outcome is
 * unknown) until its lease, moved to the retry time, runs out; then it is re-claimed and asked again.
 */
export const LOOKUP_FAILED = "lookup_failed";

export interface DeliveryOutcome {
  outcome: "sent" | "retry" | "failed" | "dropped";
  /** The delivery as it now stands. */
  delivery: DeliveryRecord;
  /** True when this failure also failed the whole verification. */
  failedVerification?: boolean;
}

export class Deliverer {
  constructor(private readonly deps: DelivererDeps) {}

  async deliver(d: DeliveryRecord, v: VerificationRecord): Promise<DeliveryOutcome> {
    const { repo, carriers, codes, events, logger, clock } = this.deps;
    if (v.status !== "pending" || v.expiresAt <= clock()) {
      await repo.markDropped(d.id, clock());
      return { outcome: "dropped", delivery: { ...d, status: "dropped", leaseUntil: null } };
    }
    const ref = { verificationId: v.id, to: v.to, purpose: v.purpose, surface: v.surface };
    const body = renderMessage({
      channel: d.channel,
      locale: v.locale,
      brand: v.brand ?? this.deps.defaultBrand,
      template: v.template,
      code: codes.open(v.codeSealed, v.id),
    });
    const outbound = { channel: d.channel, to: v.to, from: v.sender ?? this.deps.defaultSender, body, idempotencyKey: d.id, locale: v.locale };
    // Re-claimed from a process that died mid-send (or whose lookup failed last time): the carrier may
    // have accepted that send, so it is asked first, and the phone is not texted or called twice.
    if (d.errorCode === INTERRUPTED) {
      const earlier = await this.findEarlierSend(d, outbound);
      if (earlier === "unknown") {
        const retryAt = new Date(clock().getTime() + retryDelayMs(d.tries));
        const error = "could not ask the carrier whether the message already went out";
        await repo.markOutcomeUnknown(d.id, retryAt, LOOKUP_FAILED, error, clock());
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
    let lastError: CarrierError | null = null;
    for (const carrier of carriers.for(d.channel)) {
      try {
        const result = await carrier.send(outbound);
        const sentAt = clock();
        if (await repo.markSent(d, { ...result, carrier: carrier.id }, sentAt)) {
          events.publish("verification.step_sent", { ...ref, deliveryId: d.id, stepIndex: d.stepIndex, channel: d.channel, carrier: carrier.id });
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
        lastError = failure;
        if (!failure.retryable) break;
      }
    }
    const now = clock();
    const errorCode = lastError?.code ?? "channel_unavailable";
    const message = lastError?.message ?? `No carrier is configured for ${d.channel}`;
    const retryAt = new Date(now.getTime() + retryDelayMs(d.tries));
    if (lastError?.retryable && d.tries < MAX_SEND_TRIES && retryAt < v.expiresAt) {
      await repo.markRetry(d.id, retryAt, lastError.carrier, errorCode, message, now);
      events.publish("verification.delivery_updated", { ...ref, deliveryId: d.id, status: "scheduled", errorCode });
      return {
        outcome: "retry",
        delivery: { ...d, status: "scheduled", dueAt: retryAt, leaseUntil: null, carrier: lastError.carrier, errorCode, error: message },
      };
    }
    await repo.markFailed(d.id, lastError?.carrier ?? null, errorCode, message, now);
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

  /** A send a dead process already made, found through a carrier's lookup; "unknown" when a lookup failed. */
  private async findEarlierSend(d: DeliveryRecord, message: OutboundMessage): Promise<{ carrier: string; result: SendResult } | null | "unknown"> {
    const since = new Date(d.dueAt.getTime() - 60_000);
    for (const carrier of this.deps.carriers.for(d.channel)) {
      if (!carrier.findSent) continue;
      try {
        const result = await carrier.findSent(message, since);
        if (result) return { carrier: carrier.id, result };
      } catch (error) {
        this.deps.logger.warn({ err: error, carrier: carrier.id, deliveryId: d.id }, "could not look up an earlier send");
        return "unknown";
      }
    }
    return null;
  }
}
