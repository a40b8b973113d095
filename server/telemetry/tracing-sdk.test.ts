import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, expect, it } from "vitest";
import { startTracing } from "./tracing-sdk.ts";

const exporter = new InMemorySpanExporter();
const tracing = startTracing({ serviceName: "textgate-test", instanceId: "test", exporter });
afterAll(() => tracing.shutdown());

it("cuts the query string off the URL attributes a span starts with, and keeps the path", async () => {
  const span = trace.getTracer("next.js").startSpan("GET", {
    attributes: { "http.method": "GET", "http.target": "/sandbox?to=%2B12125550100", "url.full": "http://x.test/a?code=123456", "url.query": "to=1" },
  });
  span.end();
  const plain = trace.getTracer("next.js").startSpan("GET", { attributes: { "http.target": "/owner" } });
  plain.end();
  await tracing.flush();
  const [first, second] = exporter.getFinishedSpans();
  expect(first?.attributes).toMatchObject({ "http.method": "GET", "http.target": "/sandbox", "url.full": "http://x.test/a", "url.query": "" });
  expect(JSON.stringify(first?.attributes)).not.toMatch(/12125550100|123456/);
  expect(second?.attributes["http.target"]).toBe("/owner");
});
