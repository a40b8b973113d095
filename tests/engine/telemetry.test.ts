/**
 * The tracing wiring (server/telemetry/tracing-sdk.ts registering a provider, tracing.ts's spans in the
 * engine, the send step and the carrier wrapper) with an in-memory exporter, and the engine's counters
 * that publish no event (check refusals, fraud refusals, expiry): on a real database with a fake clock.
 */
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CarrierError } from "../../server/carriers/types.ts";
import { inSpan } from "../../server/telemetry/tracing.ts";
import { startTracing, type Tracing } from "../../server/telemetry/tracing-sdk.ts";
import { startTestRuntime, type TestRuntime } from "../helpers/runtime.ts";

const TO = "+14155550123";
/** Counting is on only with a token (server/runtime.ts). */
const METRICS_TOKEN = "engine-metrics-token-0123";

describe("engine telemetry", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let t: TestRuntime;
  beforeAll(() => {
    tracing = startTracing({ serviceName: "textgate-test", instanceId: "test", exporter });
  });
  afterAll(async () => {
    await tracing.shutdown();
    trace.disable();
  });
  beforeEach(async () => {
    exporter.reset();
    t = await startTestRuntime("sqlite", { METRICS_TOKEN });
  });
  afterEach(() => t.stop());

  async function finished(): Promise<ReadableSpan[]> {
    await tracing.flush();
    return exporter.getFinishedSpans();
  }
  const byName = (spans: readonly ReadableSpan[], name: string) => spans.filter((s) => s.name === name);
  const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

  it("create → send step → carrier call nest, and checks carry the verification id; no code or number in any attribute", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO });
    const code = await t.lastCode(TO);
    await t.runtime.engine.check({ id: verification.id }, code === "000000" ? "111111" : "000000");
    await t.runtime.engine.check({ to: TO }, code);
    const spans = await finished();

    const [create] = byName(spans, "textgate.verification.create");
    expect(create?.attributes).toMatchObject({ "textgate.verification_id": verification.id, "textgate.surface": "native", "textgate.channel": "sms" });
    const [step] = byName(spans, "textgate.delivery.send");
    expect(parentOf(step)).toBe(create?.spanContext().spanId);
    expect(step?.attributes).toMatchObject({ "textgate.verification_id": verification.id, "textgate.step": 0, "textgate.delivery_outcome": "sent" });
    const [carrier] = byName(spans, "textgate.carrier.send");
    expect(parentOf(carrier)).toBe(step?.spanContext().spanId);
    expect(carrier?.kind).toBe(SpanKind.CLIENT);
    expect(carrier?.attributes).toMatchObject({ "textgate.carrier": "sandbox", "textgate.channel": "sms", "textgate.carrier_status": "delivered" });
    // The check by number learns its id once it has found the verification.
    expect(byName(spans, "textgate.verification.check").map((s) => [s.attributes["textgate.verification_id"], s.attributes["textgate.check_outcome"]])).toEqual([
      [verification.id, "wrong_code"],
      [verification.id, "approved"],
    ]);
    expect(create?.resource.attributes["service.name"]).toBe("textgate-test");

    const recorded = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })));
    for (const secret of [TO, TO.slice(1), TO.slice(-7), code]) expect(recorded).not.toContain(secret);
  });

  it("a refusal ends its span with the error code; check refusals and fraud refusals are counted", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, codeLength: 6 });
    await expect(t.runtime.engine.cancel(verification.id)).rejects.toMatchObject({ code: "cancel_too_early" });
    await expect(t.runtime.engine.check({ id: verification.id }, "12")).rejects.toMatchObject({ code: "invalid_request" });
    await expect(t.runtime.engine.check({ id: "01a00000-0000-7000-8000-000000000000" }, "123456")).rejects.toMatchObject({ code: "verification_not_found" });
    await expect(t.runtime.engine.create({ to: "+19005550100" })).rejects.toMatchObject({ code: "line_type_not_allowed" });
    const spans = await finished();

    const [cancel] = byName(spans, "textgate.verification.cancel");
    expect(cancel?.status).toEqual({ code: SpanStatusCode.ERROR, message: "cancel_too_early" });
    expect(cancel?.attributes["textgate.error_code"]).toBe("cancel_too_early");
    expect(cancel?.events).toEqual([]); // an expected refusal is no exception with a stack

    const counts = async (name: "checkAttempts" | "fraudRefusals") =>
      Object.fromEntries((await t.runtime.metrics![name].get()).values.map((v) => [Object.values(v.labels).join(","), v.value]));
    expect(await counts("checkAttempts")).toEqual({ bad_format: 1, not_found: 1 });
    expect(await counts("fraudRefusals")).toEqual({ line_type_not_allowed: 1 });
  });

  it("records an unexpected error's message and stack with phone numbers masked", async () => {
    const failing = inSpan("textgate.test.failing", {}, async () => {
      throw new CarrierError("laml", "rejected", `more than 50 Messages.json to ${TO}`, false);
    });
    await expect(failing).rejects.toThrow(TO);
    const [span] = byName(await finished(), "textgate.test.failing");
    expect(span?.attributes["textgate.error_code"]).toBe("rejected");
    const recorded = JSON.stringify(span?.events);
    expect(recorded).toContain("more than 50 Messages.json to +1");
    expect(recorded).not.toContain(TO.slice(2));
  });

  it("counts nothing and loads no prom-client without METRICS_TOKEN", async () => {
    const off = await startTestRuntime("sqlite");
    try {
      expect(off.runtime.metrics).toBeNull();
      const { verification } = await off.runtime.engine.create({ to: TO });
      await expect(off.runtime.engine.check({ id: verification.id }, await off.lastCode(TO))).resolves.toMatchObject({ valid: true });
    } finally {
      await off.stop();
    }
  });

  it("counts the scheduler's expiry as a finished verification, and a refusal once when create runs resend", async () => {
    const { verification } = await t.runtime.engine.create({ to: TO, validFor: 60 });
    t.clock.advance(61);
    await t.runtime.engine.expireDue();
    const finishedCounts = (await t.runtime.metrics!.finished.get()).values;
    expect(finishedCounts).toEqual([{ labels: { surface: "native", channel: "sms", country: "US", status: "expired" }, value: 1 }]);
    expect(verification.status).toBe("pending");

    // "resend" policy with the per-number limit spent: create's resend refuses, counted once.
    const limited = await startTestRuntime("sqlite", { SEND_LIMIT_PER_NUMBER: "1", METRICS_TOKEN });
    try {
      await limited.runtime.engine.create({ to: TO });
      await expect(limited.runtime.engine.create({ to: TO, onPending: "resend" })).rejects.toMatchObject({ code: "send_limit_reached" });
      expect((await limited.runtime.metrics!.fraudRefusals.get()).values).toEqual([{ labels: { reason: "send_limit_reached" }, value: 1 }]);
    } finally {
      await limited.stop();
    }
  });
});
