/**
 * The check adapters run before any request: a text over the carrier's limit of concatenated parts
 * (counted by lib/sms-segments.ts) is refused as a permanent `message_too_long`.
 */
import { type SmsParts, smsParts } from "../../lib/sms-segments.ts";
import { carrierError } from "./http.ts";

/** Throws a permanent `message_too_long` CarrierError when the text needs more parts than the carrier sends. */
export function assertSmsFits(carrier: string, text: string, maxParts: number): SmsParts {
  const parts = smsParts(text);
  if (text.length === 0) throw carrierError(carrier, "rejected", `${carrier}: the message is empty`);
  if (parts.parts > maxParts) {
    throw carrierError(
      carrier,
      "message_too_long",
      `${carrier}: the text needs ${parts.parts} ${parts.encoding} parts (${parts.length} characters); at most ${maxParts} are sent`,
    );
  }
  return parts;
}
