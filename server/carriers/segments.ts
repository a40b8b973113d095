/**
 * SMS segment rules for adapters: how many parts a text takes (GSM-7: 160 in one part, 153 per part
 * when concatenated; UCS-2: 70, then 67 per part), and the check that refuses a text over a carrier's
 * limit before any request is made. Counting reuses the engine's GSM-7 tables (smsSegmentInfo).
 */
import { smsSegmentInfo } from "../verification/messages.ts";
import { carrierError } from "./http.ts";

export interface SmsParts {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  length: number;
  parts: number;
}

export function smsParts(text: string): SmsParts {
  const info = smsSegmentInfo(text);
  const perPart = info.encoding === "GSM-7" ? 153 : 67;
  const parts = info.length <= info.limit ? 1 : Math.ceil(info.length / perPart);
  return { encoding: info.encoding, length: info.length, parts };
}

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
