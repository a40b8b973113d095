/**
 * Spans, through `@opentelemetry/api` only: without a registered tracer provider (no
 * OTEL_EXPORTER_OTLP_ENDPOINT, see tracing-sdk.ts) every span is the API's non-recording no-op, so
 * the engine, the carriers and the API router can open spans unconditionally at almost no cost.
 *
 * What a span may carry: ids (verification, delivery), surfaces, channels, carriers, countries, error
 * codes and HTTP facts. Never a code, a message body or a whole phone number (the caller's attributes
 * are what is recorded; `spanAttributes` in telemetry.test.ts checks the engine's).
 */
import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { isTextgateError } from "../../lib/errors.ts";
import { maskNumbersInText } from "../logger.ts";

export const TRACER_NAME = "textgate";

/** The tracer of this process: the registered provider's, or the no-op one (looked up per call, so a provider registered later is used). */
export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/**
 * Runs `fn` inside a span named `name` that is the active one for everything it awaits (carrier calls
 * become its children). A throw ends the span with an error status: a TextgateError with its `code`
 * (an expected refusal, such as a wrong code's verification_not_found, is recorded as that code, not as an
 * exception with a stack), anything else as an exception whose message and stack have phone numbers masked
 * (and a CarrierError's `code`).
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind: SpanKind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      if (isTextgateError(error)) {
        span.setAttribute("textgate.error_code", error.code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
      } else {
        // Masked as the log masks them: a carrier's error text can quote the number (docs/architecture.md).
        const e = error instanceof Error ? error : new Error(String(error));
        span.recordException({ name: e.name, message: maskNumbersInText(e.message), ...(e.stack ? { stack: maskNumbersInText(e.stack) } : {}) });
        const code = (error as { code?: unknown }).code;
        if (typeof code === "string") span.setAttribute("textgate.error_code", code);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}
