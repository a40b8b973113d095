/**
 * Every carrier call in a span (`textgate.carrier.send`, `textgate.carrier.find_sent`: carrier and channel,
 * never the number or the text) and every send's outcome and duration told to `onSend` (the
 * textgate_carrier_sends_total counter). Wraps the carriers buildCarriers returns, like health.ts.
 */
import { SpanKind } from "@opentelemetry/api";
import type { Channel } from "../../lib/channels.ts";
import { inSpan } from "../telemetry/tracing.ts";
import { CarrierError, type Carrier, type OutboundMessage, type SendResult } from "./types.ts";

/** One send: `outcome` is "sent" or the CarrierError code (a fixed set, types.ts). */
export type CarrierSendObserver = (send: { carrier: string; channel: Channel; outcome: string; seconds: number }) => void;

export function withTelemetry(carrier: Carrier, onSend: CarrierSendObserver): Carrier {
  const attributes = (message: OutboundMessage) => ({ "textgate.carrier": carrier.id, "textgate.channel": message.channel });
  return {
    id: carrier.id,
    channels: carrier.channels,
    webhooks: carrier.webhooks,
    ...(carrier.findSent
      ? {
          findSent: (message: OutboundMessage, since: Date, taken?: ReadonlySet<string>) =>
            inSpan("textgate.carrier.find_sent", attributes(message), () => carrier.findSent!(message, since, taken), SpanKind.CLIENT),
        }
      : {}),
    send(message: OutboundMessage): Promise<SendResult> {
      return inSpan(
        "textgate.carrier.send",
        attributes(message),
        async (span) => {
          const started = performance.now();
          let outcome = "sent";
          try {
            const result = await carrier.send(message);
            span.setAttribute("textgate.carrier_status", result.status);
            return result;
          } catch (error) {
            outcome = error instanceof CarrierError ? error.code : "carrier_error";
            span.setAttribute("textgate.error_code", outcome);
            throw error;
          } finally {
            onSend({ carrier: carrier.id, channel: message.channel, outcome, seconds: (performance.now() - started) / 1000 });
          }
        },
        SpanKind.CLIENT,
      );
    },
  };
}
