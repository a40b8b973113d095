/**
 * The OpenTelemetry SDK: loaded by server.ts only when OTEL_EXPORTER_OTLP_ENDPOINT is set (a dynamic
 * import, so a server without it neither loads nor pays for these packages at start-up). It registers a
 * Node tracer provider (async-hooks context, so a span stays active across awaits) that batches spans
 * to an OTLP/HTTP (JSON) exporter, and the W3C trace-context propagator, so an API request carrying
 * `traceparent` joins its caller's trace.
 *
 * The exporter reads the standard variables itself (https://opentelemetry.io/docs/specs/otel/protocol/exporter/):
 * OTEL_EXPORTER_OTLP_ENDPOINT (`/v1/traces` appended), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS;
 * the provider reads OTEL_TRACES_SAMPLER(_ARG) and the batch processor OTEL_BSP_*.
 * Versions: the 2.x SDK line, the last that runs on Node 20 (3.x needs Node 22.15).
 */
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider, type Span, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace-node";

/** Attributes that can carry a URL's query string, which may hold a phone number (`/sandbox?to=…`). */
const URL_ATTRIBUTES = ["http.target", "http.url", "url.full"] as const;

/**
 * Cuts the query string off the URL attributes every span starts with, ours and Next's own (Next opens
 * its spans whenever a provider is registered, with `http.target` as the raw path and query): no number
 * or code may leave in a trace. Next sets them when the span starts, so onStart sees them.
 */
export class UrlQueryRedactor implements SpanProcessor {
  onStart(span: Span): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === "string" && value.includes("?")) span.setAttribute(key, value.slice(0, value.indexOf("?")));
    }
    if (span.attributes["url.query"] !== undefined) span.setAttribute("url.query", "");
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

export interface Tracing {
  /** Exports every span ended so far. */
  flush(): Promise<void>;
  /** Exports what is buffered and stops (at shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** This process's id among the nodes (`service.instance.id`). */
  instanceId: string;
  /** Where spans go (default: the OTLP/HTTP exporter configured by the OTEL_EXPORTER_OTLP_* variables). */
  exporter?: SpanExporter;
}

export function startTracing(options: TracingOptions): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName, "service.instance.id": options.instanceId }),
    spanProcessors: [new UrlQueryRedactor(), new BatchSpanProcessor(options.exporter ?? new OTLPTraceExporter())],
  });
  provider.register();
  return { flush: () => provider.forceFlush(), shutdown: () => provider.shutdown() };
}
