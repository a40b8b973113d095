/**
 * The process logger (pino). Codes, phone numbers and message bodies never reach the log in clear:
 * fields with those names are redacted wherever they appear.
 */
import pino, { type Logger } from "pino";

export const REDACTED_FIELDS = [
  "code", "*.code", "to", "*.to", "from", "*.from", "phone", "*.phone", "body", "*.body",
  "req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie",
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: "textgate" }, redact: { paths: REDACTED_FIELDS, censor: "[redacted]" } }, destination);
}
