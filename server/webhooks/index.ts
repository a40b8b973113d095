/**
 * Events out (webhooks and the SSE stream), composed once per process by server/textgate.ts: installs
 * the outbox triggers, records the bus-only events, runs the dispatcher, and wakes it and every open
 * stream when an event is committed here or on another node (the bus, over Redis with REDIS_URL);
 * without a wake-up they still poll every WEBHOOKS_INTERVAL_MS.
 */
import type { Logger } from "pino";
import type { Config } from "../env.ts";
import type { EventBus } from "../events/bus.ts";
import type { Sql } from "../store/sql.ts";
import { type DispatcherOptions, WebhookDispatcher } from "./dispatcher.ts";
import { type SigningEndpoint, WebhookEndpoints } from "./endpoints.ts";
import { Outbox, recordBusEvents } from "./outbox.ts";
import type { UrlPolicy } from "./ssrf.ts";
import { sendTestEvent, type TestSendOutcome } from "./test-sends.ts";
import { installOutboxTriggers } from "./triggers.ts";

/** Events are kept 3 days (the stream promises resumption for at least 24 h), longer while a delivery needs them. */
export const EVENT_RETENTION_MS = 72 * 3600 * 1000;
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export interface Webhooks {
  endpoints: WebhookEndpoints;
  outbox: Outbox;
  dispatcher: WebhookDispatcher;
  policy: UrlPolicy;
  /** How often an open event stream reads the table when nothing woke it (other nodes' events without Redis). */
  streamPollMs: number;
  /** Sends a signed webhook.test to one endpoint now, recorded as one of its deliveries (test-sends.ts). */
  sendTest(endpoint: SigningEndpoint): Promise<TestSendOutcome>;
  /** Calls `listener` whenever an event may have been committed; returns the unsubscribe function. */
  onActivity(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface WebhooksOptions {
  config: Pick<Config, "TEXTGATE_SECRET" | "production" | "WEBHOOKS_ALLOW_PRIVATE_URLS" | "WEBHOOKS_INTERVAL_MS" | "WEBHOOKS_LEASE_MS">;
  sql: Sql;
  events: EventBus;
  logger: Logger;
  clock?: () => Date;
  textOwners?: DispatcherOptions["textOwners"];
  onAttempt?: DispatcherOptions["onAttempt"];
  /** Start the dispatcher's timer (default true); tests drive `dispatcher.tick()` themselves. */
  startDispatcher?: boolean;
}

export async function startWebhooks(options: WebhooksOptions): Promise<Webhooks> {
  const { config, sql, events, logger } = options;
  const clock = options.clock ?? (() => new Date());
  await installOutboxTriggers(sql);
  const outbox = new Outbox(sql);
  const endpoints = new WebhookEndpoints(sql, config.TEXTGATE_SECRET, clock);
  const policy: UrlPolicy = { production: config.production, allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_URLS };
  const dispatcher = new WebhookDispatcher({
    sql,
    outbox,
    endpoints,
    logger: logger.child({ component: "webhooks" }),
    policy,
    leaseMs: config.WEBHOOKS_LEASE_MS,
    intervalMs: config.WEBHOOKS_INTERVAL_MS,
    clock,
    textOwners: options.textOwners,
    onAttempt: options.onAttempt,
  });
  const stopRecording = recordBusEvents(events, outbox, logger);
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  // Every bus event follows a commit (the engine publishes after its transaction), local or remote.
  const stopWaking = events.subscribe("*", () => {
    dispatcher.wake();
    notify();
  });
  if (options.startDispatcher ?? true) dispatcher.start();
  const pruner = setInterval(() => {
    outbox.prune(new Date(clock().getTime() - EVENT_RETENTION_MS)).catch((error: unknown) => logger.warn({ err: error }, "could not prune events"));
  }, PRUNE_EVERY_MS);
  pruner.unref();
  return {
    endpoints,
    outbox,
    dispatcher,
    policy,
    streamPollMs: Math.max(1000, config.WEBHOOKS_INTERVAL_MS),
    sendTest: (endpoint) => sendTestEvent({ sql, policy, leaseMs: config.WEBHOOKS_LEASE_MS, clock }, endpoint),
    onActivity(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      clearInterval(pruner);
      stopWaking();
      stopRecording();
      listeners.clear();
      await dispatcher.stop();
    },
  };
}
