/**
 * The process logger (pino). Codes, phone numbers and message bodies never reach the log in clear:
 * fields with those names are redacted wherever they appear, and phone numbers written inside text (a
 * log message, an error's message or stack, any other string field) are masked as lib/phone.ts's
 * maskPhone does, so a carrier error such as "more than 50 Messages.json to +447860812345" is safe to log.
 */
import pino, { type Logger } from "pino";
import { maskPhone } from "../lib/phone.ts";

export const REDACTED_FIELDS = [
  "code", "*.code", "to", "*.to", "from", "*.from", "phone", "*.phone", "body", "*.body",
  "req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie",
];

/**
 * "+44 7860 812345", "+1 (212) 555-0100", "+447860812345", "%2B447860812345" (in a URL): a plus, then 7 to 15
 * digits with at most two separators between them. It stops at 15 digits, so a number followed by more
 * digits ("+447860812345 2026-12-02") is still masked (with a little of what follows).
 */
const INTERNATIONAL = /(?:\+|%2B)\d(?:[ ().-]{0,2}\d){6,14}/gi;
/** 8 to 15 digits standing alone ("447860812345", as Vonage writes numbers), not inside an id, a date or a decimal. */
const BARE = /(?<![\w.+%:-])\d{8,15}(?![\w.:-])/g;

function maskMatch(match: string): string {
  const digits = match.replace(/\D/g, "").length;
  return digits >= 7 && digits <= 15 ? maskPhone(match) : match;
}

/** Masks every phone number found in `text`; the rest of the text is kept. */
export function maskNumbersInText(text: string): string {
  if (!/\d{3}/.test(text)) return text;
  return text.replace(INTERNATIONAL, maskMatch).replace(BARE, maskMatch);
}

function maskStrings(object: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(object)) if (typeof value === "string") object[key] = maskNumbersInText(value);
  return object;
}

function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  if (serialized && typeof serialized === "object") maskStrings(serialized as Record<string, unknown>);
  return serialized;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "textgate" },
      redact: { paths: REDACTED_FIELDS, censor: "[redacted]" },
      serializers: { err: serializeError },
      // Top-level string fields of the log object (a URL, a reason) may carry a number too.
      formatters: { log: (object) => maskStrings({ ...object }) },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) if (typeof args[i] === "string") args[i] = maskNumbersInText(args[i] as string);
          return method.apply(this, args);
        },
      },
    },
    destination,
  );
}
