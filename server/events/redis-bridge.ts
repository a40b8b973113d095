/**
 * Carries the event bus across server processes (nodes) over Redis pub/sub, so that an SMS reply
 * received by one node (`inbound.received`) reaches the socket unit waiting on another, and an owner's
 * decision taken on one node (`owner.decided`) reaches the node holding the socket.
 *
 * - Every event published on this node's bus goes out on one channel as JSON `{ node, event }`, with a
 *   per-process node id; ids and times are kept.
 * - Every message from another node is delivered on the local bus with `deliverRemote` (marked
 *   `remote: true`), which this bridge does not forward again: no loops, no duplicates. Our own
 *   messages coming back from Redis are ignored.
 * - Listeners that record events (the audit log) skip remote events: the publishing node wrote them.
 * - Two connections: a connection in subscriber mode cannot publish. Redis errors are logged, never
 *   thrown into publishers; ioredis reconnects (and re-subscribes) on its own. Events published while
 *   Redis is unreachable may be lost for other nodes (pub/sub has no replay); a waiting unit then times out.
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { EventBus } from "./bus.ts";
import type { EventType, TextgateEvent } from "./types.ts";

export const EVENTS_CHANNEL = "textgate:events";

/** Every event type, so that a message naming an unknown type (another version, garbage) is dropped. */
const EVENT_TYPES: Record<EventType, true> = {
  "verification.created": true,
  "verification.step_sent": true,
  "verification.delivery_updated": true,
  "verification.attempt_failed": true,
  "verification.approved": true,
  "verification.expired": true,
  "verification.canceled": true,
  "verification.max_attempts_reached": true,
  "verification.guessing_locked": true,
  "verification.failed": true,
  "session.revoked": true,
  "inbound.received": true,
  "owner.decided": true,
  "send_budget.exhausted": true,
  "send_budget.recovered": true,
  "conversion.low": true,
  "conversion.recovered": true,
  "auth.start_blocked": true,
};

interface Envelope {
  node: string;
  event: TextgateEvent;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a message from the channel; null when it is not a well-formed envelope. */
export function parseEnvelope(message: string): Envelope | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.node !== "string" || !isRecord(value.event)) return null;
  const { id, type, at, data } = value.event;
  if (typeof id !== "string" || typeof type !== "string" || typeof at !== "string" || !isRecord(data)) return null;
  if (!Object.hasOwn(EVENT_TYPES, type)) return null;
  return { node: value.node, event: value.event as unknown as TextgateEvent };
}

export interface RedisBridgeOptions {
  url: string;
  events: EventBus;
  logger: Logger;
  channel?: string;
  /** This process's id on the channel (default: random). */
  node?: string;
}

export class RedisEventBridge {
  readonly node: string;
  private readonly channel: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly unsubscribe: () => void;
  private readonly logger: Logger;
  private healthy = true;
  private closed = false;
  /** Resolves once the subscription is active (or never rejects: failures are logged and retried). */
  readonly ready: Promise<void>;

  constructor(options: RedisBridgeOptions) {
    this.node = options.node ?? crypto.randomUUID();
    this.channel = options.channel ?? EVENTS_CHANNEL;
    this.logger = options.logger.child({ component: "redis-bridge", node: this.node });
    const common = { maxRetriesPerRequest: 1, enableOfflineQueue: true, connectionName: `textgate-events-${this.node}` };
    this.pub = new Redis(options.url, common);
    this.sub = new Redis(options.url, { ...common, autoResubscribe: true });
    for (const connection of [this.pub, this.sub]) {
      connection.on("error", (error: Error) => this.failed(error));
      connection.on("ready", () => this.recovered());
    }
    this.sub.on("message", (channel: string, message: string) => {
      if (channel === this.channel) this.received(options.events, message);
    });
    this.ready = this.sub.subscribe(this.channel).then(
      () => this.logger.debug({ channel: this.channel }, "subscribed to events"),
      (error: unknown) => this.failed(error),
    );
    this.unsubscribe = options.events.subscribe("*", (event, meta) => {
      if (!meta.remote) this.send(event);
    });
  }

  private send(event: TextgateEvent): void {
    if (this.closed) return;
    const message = JSON.stringify({ node: this.node, event } satisfies Envelope);
    this.pub.publish(this.channel, message).catch((error: unknown) => {
      this.logger.error({ err: error, event: event.type, id: event.id }, "could not publish event to Redis");
    });
  }

  private received(events: EventBus, message: string): void {
    const envelope = parseEnvelope(message);
    if (!envelope) {
      this.logger.warn("ignored a malformed message on the events channel");
      return;
    }
    if (envelope.node === this.node) return;
    events.deliverRemote(envelope.event);
  }

  private failed(error: unknown): void {
    if (this.closed) return;
    // ioredis emits an error per reconnection attempt: log the first of an outage, then stay quiet.
    if (!this.healthy) return;
    this.healthy = false;
    this.logger.error({ err: error }, "Redis event bridge: connection problem (retrying); events do not cross nodes meanwhile");
  }

  private recovered(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.logger.info("Redis event bridge: connection restored");
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
