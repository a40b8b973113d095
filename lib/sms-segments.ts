/**
 * SMS segments (3GPP TS 23.038): GSM-7 when every character is in its basic or extension table (160
 * septets in one segment, 153 per part when concatenated; extension characters take two), UCS-2
 * otherwise (70 UTF-16 code units, 67 per part). Below the engine (server/verification/messages.ts)
 * and the carriers (server/carriers/segments.ts), which both count with it.
 */
const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";
const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export const SMS_GSM7_LIMIT = 160;
export const SMS_UCS2_LIMIT = 70;

/** Length in GSM-7 septets (extended characters take two), or null when the text needs UCS-2. */
export function gsm7Length(text: string): number | null {
  let length = 0;
  for (const char of text) {
    if (basic.has(char)) length += 1;
    else if (extended.has(char)) length += 2;
    else return null;
  }
  return length;
}

export interface SegmentInfo {
  encoding: "GSM-7" | "UCS-2";
  length: number;
  limit: number;
}

export function smsSegmentInfo(text: string): SegmentInfo {
  const gsm = gsm7Length(text);
  // UCS-2 counts UTF-16 code units: characters outside the BMP (emoji) take two.
  return gsm === null ? { encoding: "UCS-2", length: text.length, limit: SMS_UCS2_LIMIT } : { encoding: "GSM-7", length: gsm, limit: SMS_GSM7_LIMIT };
}

export interface SmsParts {
  encoding: "GSM-7" | "UCS-2";
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  length: number;
  parts: number;
}

/** How many parts a text takes when sent concatenated. */
export function smsParts(text: string): SmsParts {
  const info = smsSegmentInfo(text);
  const perPart = info.encoding === "GSM-7" ? 153 : 67;
  const parts = info.length <= info.limit ? 1 : Math.ceil(info.length / perPart);
  return { encoding: info.encoding, length: info.length, parts };
}
