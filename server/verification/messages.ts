/**
 * Renders the text of a code message and checks it fits: one SMS segment (160 GSM-7 characters, or 70
 * UCS-2 characters when any character is outside GSM-7) or 500 characters for a voice call (seed 003).
 */
import { TextgateError } from "../../lib/errors.ts";
import type { Channel } from "./types.ts";
import { textsFor } from "./locales.ts";

const GSM7_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM7_EXTENDED = "^{}\\[~]|€\f";
const basic = new Set(GSM7_BASIC);
const extended = new Set(GSM7_EXTENDED);

export const SMS_GSM7_LIMIT = 160;
export const SMS_UCS2_LIMIT = 70;
export const VOICE_LIMIT = 500;

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

/** "4821" → "4, 8, 2, 1": a voice reads each character instead of "four thousand…". */
export function spellForVoice(code: string): string {
  return code.split("").join(", ");
}

export interface MessageOptions {
  channel: Channel;
  locale: string;
  brand: string;
  template?: string | null;
  code: string;
}

export function renderMessage({ channel, locale, brand, template, code }: MessageOptions): string {
  const texts = textsFor(locale);
  const pattern = template ?? (channel === "voice" ? texts.voice : texts.sms);
  const spokenCode = channel === "voice" ? spellForVoice(code) : code;
  return pattern.replaceAll("{brand}", brand).replaceAll("{code}", spokenCode);
}

/**
 * Refuses, before anything is stored or sent, a template without `{code}` or a message that would not
 * fit its channel with a code of this length.
 */
export function assertMessageFits(options: Omit<MessageOptions, "code"> & { codeLength: number; alphanumeric: boolean }): void {
  if (options.template !== undefined && options.template !== null && !options.template.includes("{code}")) {
    throw new TextgateError("invalid_template", "The message template must contain {code} where the code goes.");
  }
  // The widest code of this shape: "W" is GSM-7 like every code character, and as wide as any.
  const sample = options.alphanumeric ? "W".repeat(options.codeLength) : "8".repeat(options.codeLength);
  const text = renderMessage({ ...options, code: sample });
  if (options.channel === "voice") {
    if (text.length > VOICE_LIMIT) {
      throw new TextgateError("message_too_long", `The voice message would be ${text.length} characters; the limit is ${VOICE_LIMIT}.`);
    }
    return;
  }
  const info = smsSegmentInfo(text);
  if (info.length > info.limit) {
    throw new TextgateError(
      "message_too_long",
      `The SMS would be ${info.length} ${info.encoding} characters; one segment holds ${info.limit}.`,
      { details: info },
    );
  }
}
