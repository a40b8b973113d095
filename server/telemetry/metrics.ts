/**
 * Every Prometheus metric of one process (GET /metrics, server/http/metrics.ts), with prom-client.
 * Created by the runtime only when METRICS_TOKEN is set (this module loads prom-client). Counts are this node's
 * own since it started (Prometheus sums nodes: `sum by (status) (rate(…))`);
 * nothing here reads the database. Counters and histograms are updated where things happen, in
 * memory; the socket gauges are read when scraped.
 *
 * Label values come from small fixed sets only: surfaces, channels, statuses, carrier ids (from
 * configuration), error codes, ISO country codes (`countryOf` in lib/phone.ts, the grouping a count
 * by country in SQL uses too). Never a phone number, a code, an id or any text a caller sent; the
 * integration test (tests/integration/metrics.test.ts) checks every label of a scrape.
 *
 * The names and label sets are the vocabulary of the insights the owner will want: conversion is
 * `textgate_verifications_total{status="approved"}` ÷ `textgate_verifications_started_total`, by the
 * same `surface`, `channel` and `country`; docs/grafana/textgate.json charts them.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CheckOutcome, EngineObserver } from "../verification/observer.ts";
import type { Channel, Surface, VerificationStatus } from "../verification/types.ts";

export const METRIC_PREFIX = "textgate_";

export type WebhookOutcome = "succeeded" | "retry" | "failed";

export interface SocketCounts {
  sockets: number;
  pending: number;
}

/** Metric factories, each registered with one node's registry; `labelNames` typed, so `inc` and `observe` check their labels. */
function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return new Counter({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
  return new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

const gauge = (registry: Registry, name: string, help: string): Gauge => new Gauge({ name, help, registers: [registry] });

export class Metrics implements EngineObserver {
  readonly registry = new Registry();

  readonly started = counter(
    this.registry,
    "textgate_verifications_started_total",
    "Verifications created on this node, by surface, first channel and destination country.",
    ["surface", "channel", "country"],
  );
  readonly finished = counter(
    this.registry,
    "textgate_verifications_total",
    "Verifications that reached a final status on this node (approved, expired, canceled, max_attempts_reached, failed).",
    ["surface", "channel", "country", "status"],
  );
  readonly carrierSends = counter(
    this.registry,
    "textgate_carrier_sends_total",
    "Calls to carriers' send APIs, by carrier, channel and outcome (sent, or the carrier error code).",
    ["carrier", "channel", "outcome"],
  );
  readonly carrierSendSeconds = histogram(
    this.registry,
    "textgate_carrier_send_duration_seconds",
    "How long a carrier's send API took to answer.",
    ["carrier", "channel"],
    [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );
  readonly sendToDelivery = histogram(
    this.registry,
    "textgate_send_to_delivery_seconds",
    "Time from handing a message to a carrier to the carrier's delivery receipt (0 when it knew at once, as the sandbox does).",
    ["carrier", "channel"],
    [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
  );
  readonly createToApproval = histogram(
    this.registry,
    "textgate_create_to_approval_seconds",
    "Time from creating a verification to its approval.",
    ["surface", "channel"],
    [2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600],
  );
  readonly checkAttempts = counter(
    this.registry,
    "textgate_check_attempts_total",
    "Code checks by outcome: approved, wrong_code, or refused before comparing (locked, bad_format, not_found).",
    ["outcome"],
  );
  readonly fraudRefusals = counter(
    this.registry,
    "textgate_fraud_refusals_total",
    "Requests refused to protect phones and the bill, by reason (the error code, or countries_per_ip for silently blocked sign-ins).",
    ["reason"],
  );
  readonly budgetTaken = counter(
    this.registry,
    "textgate_send_budget_taken_total",
    "Messages this node took from the global send budget (SEND_BUDGET_PER_HOUR) before handing them to a carrier.",
  );
  readonly budgetPerHour = gauge(this.registry, "textgate_send_budget_per_hour", "SEND_BUDGET_PER_HOUR (0: no budget).");
  readonly budgetExhausted = gauge(this.registry, "textgate_send_budget_exhausted", "1 while the send budget is spent and nothing goes to carriers, else 0.");
  readonly webhookDeliveries = counter(
    this.registry,
    "textgate_webhook_deliveries_total",
    "Webhook delivery attempts by outcome: succeeded, retry (failed, tried again later) or failed (given up).",
    ["outcome"],
  );

  private socketCounts: () => SocketCounts = () => ({ sockets: 0, pending: 0 });

  constructor(options: { budgetPerHour: number; defaultMetrics?: boolean }) {
    this.budgetPerHour.set(options.budgetPerHour);
    this.budgetExhausted.set(0);
    const counts = () => this.socketCounts();
    new Gauge({
      name: "textgate_sockets",
      help: "Sockets this node holds: open (every socket) and pending (not yet through its connect units).",
      labelNames: ["state"] as const,
      registers: [this.registry],
      collect() {
        const { sockets, pending } = counts();
        this.set({ state: "open" }, sockets);
        this.set({ state: "pending" }, pending);
      },
    });
    // CPU, memory, event-loop delay, handles: prom-client's process metrics, under the same prefix.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Where the socket gauges read this node's counts (the socket gate, server/ws/index.ts). */
  countSockets(source: () => SocketCounts): void {
    this.socketCounts = source;
  }

  verificationStarted(labels: { surface: Surface; channel: Channel; country: string }): void {
    this.started.inc(labels);
  }

  verificationFinished(labels: { surface: Surface; channel: Channel; country: string; status: VerificationStatus }): void {
    this.finished.inc(labels);
  }

  carrierSend(carrier: string, channel: Channel, outcome: string, seconds: number): void {
    this.carrierSends.inc({ carrier, channel, outcome });
    this.carrierSendSeconds.observe({ carrier, channel }, seconds);
  }

  checked(outcome: CheckOutcome): void {
    this.checkAttempts.inc({ outcome });
  }

  refused(reason: string): void {
    this.fraudRefusals.inc({ reason });
  }

  delivered(carrier: string, channel: Channel, seconds: number): void {
    this.sendToDelivery.observe({ carrier, channel }, Math.max(0, seconds));
  }

  webhookAttempt(outcome: WebhookOutcome): void {
    this.webhookDeliveries.inc({ outcome });
  }

  /** The Prometheus text exposition of every metric. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
