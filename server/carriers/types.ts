/**
 * The carrier contract: what the engine needs from anything that can deliver a text or a spoken call.
 * Adapters only move messages; codes, retries, limits and failover live in the engine.
 */
import type { Channel } from "../verification/types.ts";

export interface OutboundMessage {
  channel: Channel;
  /** E.164 destination. */
  to: string;
  /** Sender id or from number; the carrier's default when absent. */
  from?: string;
  /** The text to send, or the words to speak. */
  body: string;
  /** Stable per delivery: a retried send after a crash passes the same key, so the carrier sends once. */
  idempotencyKey: string;
}

export interface SendResult {
  carrierMessageId: string;
  /** Some carriers (the sandbox) know at once that the message arrived. */
  status: "sent" | "delivered";
}

export interface Carrier {
  /** Stable id used in configuration (SMS_CARRIERS=...). */
  readonly id: string;
  readonly channels: readonly Channel[];
  send(message: OutboundMessage): Promise<SendResult>;
}

/** A carrier refused or failed to send. `retryable` says whether trying again (or another carrier) can help. */
export class CarrierError extends Error {
  constructor(
    readonly carrier: string,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "CarrierError";
  }
}
