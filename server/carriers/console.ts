/**
 * The console carrier: prints each text or call to standard output, for development without a handset.
 * It prints the whole message, code included, so like the sandbox it is a development carrier.
 */
import crypto from "node:crypto";
import type { Carrier, OutboundMessage, SendResult } from "./types.ts";

export function consoleCarrier(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Carrier {
  return {
    id: "console",
    channels: ["sms", "voice"],
    async send(message: OutboundMessage): Promise<SendResult> {
      const kind = message.channel === "voice" ? "CALL" : "SMS";
      write(`[console carrier] ${kind} to ${message.to}${message.from ? ` from ${message.from}` : ""}: ${message.body}`);
      return { carrierMessageId: `CN${crypto.randomUUID().replaceAll("-", "")}`, status: "sent" };
    },
  };
}
