/**
 * Finds one-time codes in message text so the handset can highlight them.
 *
 * A code is a run of 4 to 20 digits or capital letters (or, as text-to-speech bodies spell them, single
 * characters separated by spaces, commas, dots or dashes: "1, 2, 3, 4") that follows a word such as "code",
 * "PIN" or "is", or that comes before "is your …". It must contain a digit, unless it directly follows
 * "code"/"PIN"/"OTP" (letters-only alphanumeric codes). Each distinct code is marked once per message.
 */

export type BodyPart = { kind: "text"; text: string } | { kind: "code"; text: string; code: string };

const CANDIDATE = /(?<![A-Za-z0-9+])(?:[A-Z0-9]{4,20}|[A-Z0-9](?:[ ,.-]{1,3}[A-Z0-9](?![A-Za-z0-9])){3,19})(?![A-Za-z0-9])/g;
const TRIGGER_BEFORE = /\b(?:code|codes|pin|otp|passcode|password|token|is|are)\b[\s:=#"'“‘-]*$/i;
const STRONG_TRIGGER_BEFORE = /\b(?:code|pin|otp|passcode)\b(?:\s+is)?[\s:=#"'“‘-]*$/i;
const TRIGGER_AFTER = /^["'”’]?\s+(?:is|was)\s+(?:your|the)\b/i;
/** A spelled-out run that swallowed the first word of the next sentence ("…5, 6. I repeat"). */
const SENTENCE_TAIL = /\.\s+[A-Z]$/;

export function splitCodes(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  const seen = new Set<string>();
  let last = 0;
  for (const match of body.matchAll(CANDIDATE)) {
    const start = match.index;
    let text = match[0];
    while (SENTENCE_TAIL.test(text)) text = text.replace(SENTENCE_TAIL, "");
    const code = text.replace(/[ ,.-]/g, "");
    if (code.length < 4 || code.length > 20 || seen.has(code)) continue;
    const before = body.slice(Math.max(0, start - 40), start);
    const after = body.slice(start + text.length, start + text.length + 20);
    const triggered = TRIGGER_BEFORE.test(before) || TRIGGER_AFTER.test(after);
    const plausible = /\d/.test(code) || STRONG_TRIGGER_BEFORE.test(before);
    if (!triggered || !plausible) continue;
    if (start > last) parts.push({ kind: "text", text: body.slice(last, start) });
    parts.push({ kind: "code", text, code });
    seen.add(code);
    last = start + text.length;
  }
  if (last < body.length) parts.push({ kind: "text", text: body.slice(last) });
  return parts;
}

/** The codes in a message, in order, each once. */
export function findCodes(body: string): string[] {
  return splitCodes(body).flatMap((part) => (part.kind === "code" ? [part.code] : []));
}
