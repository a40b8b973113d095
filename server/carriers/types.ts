/**
 * The carrier contract: what the engine needs from anything that can deliver a text or a spoken call.
 * Adapters only move messages; codes, retries, limits and failover live in the engine.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Channel } from "../../lib/channels.ts";

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
  /**
   * BCP-47-ish locale of the text ("en", "pt-br"), used by voice carriers to pick the speaking voice.
   * Optional: the engine does not pass it yet, and adapters fall back to their configured language.
   */
  locale?: string;
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
  /**
   * "Was this already sent?": the text or call this exact send produced since `since` (the moment it was
   * handed over, less a little clock skew), found through the carrier's own records (by our client
   * reference where the carrier keeps one, else by destination, caller and body), or null when the
   * carrier has none. `taken` holds this carrier's ids of sends already recorded for other deliveries to
   * the number: never an answer, since two steps' texts can be identical and calls carry nothing to
   * compare. Throws a CarrierError when it cannot tell (the lookup failed, or its answer may be cut
   * short): the engine then sends nothing and asks again later. Asked before re-sending a delivery that a
   * crashed process had handed over. Every real carrier answers for every channel it sends; only the
   * development carriers lack it. docs/carriers.md says what each carrier can confirm.
   */
  findSent?(message: OutboundMessage, since: Date, taken?: ReadonlySet<string>): Promise<SendResult | null>;
  /** Present when the carrier calls us back (inbound texts, delivery receipts). */
  readonly webhooks?: CarrierWebhooks;
}

/** Stable, carrier-independent reasons a send failed (stored as the delivery's error_code). */
export type CarrierErrorCode =
  | "invalid_number"
  | "auth_failed"
  | "insufficient_funds"
  | "rejected"
  | "message_too_long"
  | "rate_limited"
  | "carrier_unavailable"
  | "timeout"
  | "network_error"
  | "bad_response"
  /** A lookup answered with a full page still inside the window: what is beyond it is unknown. */
  | "lookup_incomplete";

export type WebhookKind = "inbound" | "status" | "voice";

/** A webhook request as the adapters see it: already read, nothing trusted yet. */
export interface WebhookRequest {
  method: string;
  /** The URL the carrier called as the public sees it: PUBLIC_URL + path + query (a proxy may change Host). */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Query string parameters, in order. */
  query: [string, string][];
  /** Form fields when the body is application/x-www-form-urlencoded, else []. */
  form: [string, string][];
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
}

/** A text a phone sent to one of our numbers. */
export interface InboundText {
  /** E.164 sender. */
  from: string;
  to: string | null;
  body: string;
  /** Stable per message, so a webhook delivered twice is stored once. */
  carrierMessageId: string;
}

/** A delivery receipt, found by carrier message id or (when the carrier echoes our reference) delivery id. */
export interface StatusUpdate {
  carrierMessageId?: string;
  deliveryId?: string;
  status: "sent" | "delivered" | "failed";
  /** The carrier's own error code or status letter, for the delivery's error text. */
  carrierError?: string;
}

/** What a carrier's webhooks need: a signature check and parsers. Parsers return null for payloads to ignore. */
export interface CarrierWebhooks {
  /** False when the secret that authenticates webhooks is not configured: every webhook is then refused. */
  readonly configured: boolean;
  /**
   * True when the request is authentic (valid signature, or the secret URL token for carriers that sign
   * nothing). False when it is not, or when webhooks are not configured for this carrier: fail closed.
   */
  verify(request: WebhookRequest, kind: WebhookKind): boolean;
  inbound(request: WebhookRequest): InboundText | null;
  status(request: WebhookRequest): StatusUpdate | null;
  /** The call document (TwiML/cXML) a carrier fetches for a voice call, for carriers that fetch one. */
  voice?(request: WebhookRequest): string | null;
  /** Body and content type to answer an inbound webhook with (e.g. an empty TwiML <Response/>). */
  readonly inboundReply?: { contentType: string; body: string };
}

/** A carrier refused or failed to send. `retryable` says whether trying again (or another carrier) can help. */
export class CarrierError extends Error {
  constructor(
    readonly carrier: string,
    readonly code: CarrierErrorCode | (string & {}),
    message: string,
    readonly retryable: boolean,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "CarrierError";
  }
}
