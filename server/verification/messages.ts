/**
 * Renders the text of a code message and checks it fits: one SMS segment (160 GSM-7 characters, or 70
 * UCS-2 characters when any character is outside GSM-7) or 500 characters for a voice call (SignalWire's MFA limit, docs/compat/signalwire.md).
 */
import { TextgateError } from "../../lib/errors.ts";
import { smsSegmentInfo } from "../../lib/sms-segments.ts";
import type { Channel } from "./types.ts";
import { textsFor } from "./locales.ts";

export const VOICE_LIMIT = 500;

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

/** What an SMS carries besides the code text, each only while the whole still fits one segment. */
export interface SmsExtras {
  /** The code's validity: the default text then says how long it works ("Valid for 10 min."). */
  validForSeconds?: number;
  /**
   * The host of the page the code is typed on (PUBLIC_URL's): the message ends with the origin-bound
   * line "@host #code", which WebOTP (Chrome on Android) and Safari's domain-bound codes read to fill
   * the code in (https://wicg.github.io/sms-one-time-codes/).
   */
  originHost?: string | null;
  /** Android SMS Retriever's 11-character app hash (ANDROID_APP_HASH), on its own line before the origin line. */
  appHash?: string | null;
}

/** "10 min" / "2 h" in the locale's words: minutes up to two hours, whole hours beyond. */
function localizedDuration(seconds: number, locale: string): string {
  const texts = textsFor(locale);
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? texts.minutes.replace("{n}", String(minutes)) : texts.hours.replace("{n}", String(Math.ceil(minutes / 60)));
}

function fitsOneSegment(text: string): boolean {
  const info = smsSegmentInfo(text);
  return info.length <= info.limit;
}

/**
 * The text of a code message. A voice call reads the code text alone. An SMS adds, in this order of
 * priority and only while the whole stays within one segment: the origin-bound line (autofill), the
 * app hash, then the validity sentence (default text only; a template says what its owner wrote).
 */
export function renderMessage({ channel, locale, brand, template, code }: MessageOptions, extras: SmsExtras = {}): string {
  const texts = textsFor(locale);
  const pattern = template ?? (channel === "voice" ? texts.voice : texts.sms);
  const spokenCode = channel === "voice" ? spellForVoice(code) : code;
  const core = pattern.replaceAll("{brand}", brand).replaceAll("{code}", spokenCode);
  if (channel === "voice") return core;
  const origin = extras.originHost ? `@${extras.originHost} #${code}` : null;
  const validity = !template && extras.validForSeconds && extras.validForSeconds > 0 ? texts.validity.replace("{duration}", localizedDuration(extras.validForSeconds, locale)) : "";
  const compose = (withValidity: boolean, withHash: boolean, withOrigin: boolean) =>
    [core + (withValidity ? validity : ""), withHash && extras.appHash ? extras.appHash : null, withOrigin ? origin : null].filter(Boolean).join("\n");
  for (const [withValidity, withHash, withOrigin] of [
    [true, true, true],
    [false, true, true],
    [false, false, true],
    [false, false, false],
  ] as const) {
    const text = compose(withValidity, withHash, withOrigin);
    if (fitsOneSegment(text)) return text;
  }
  return core;
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
