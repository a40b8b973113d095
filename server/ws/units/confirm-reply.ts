/**
 * Confirm Reply: text the user a question and admit the socket when they answer YES from their number;
 * NO (or a configured word) denies, and so does the timeout. Other texts are ignored.
 */
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import { normalizeAnswer, type SessionUnit } from "../sessions.ts";

export interface ConfirmReplyOptions {
  /** Replaces the catalog's "Is that you logging in? Reply {yes} to accept." ({yes}: the first accept word). */
  text?: string;
  /** The text's locale (else the number's country's); see UnitContext.notice. */
  locale?: string;
  /** Answers that admit (case and spaces ignored). Default ["YES"]. */
  accept?: string[];
  /** Answers that deny. Default ["NO"]. */
  deny?: string[];
  /** Default 120 s. */
  timeoutMs?: number;
}

export function confirmReply(options: ConfirmReplyOptions = {}): SessionUnit {
  const acceptWords = options.accept?.length ? options.accept : ["YES"];
  const accept = new Set(acceptWords.map(normalizeAnswer));
  const deny = new Set((options.deny ?? ["NO"]).map(normalizeAnswer));
  return {
    name: "confirm-reply",
    timeoutMs: options.timeoutMs ?? 120_000,
    async run(ctx) {
      // Listen before texting, so an instant answer is not missed; answers from before this point never count.
      const answer = ctx.waitForReply((body) => {
        const normalized = normalizeAnswer(body);
        return accept.has(normalized) ? "accept" : deny.has(normalized) ? "deny" : null;
      });
      ctx.pending({ type: "pending", unit: "confirm-reply" });
      await ctx.sendNotice({ key: "confirmReply", values: { yes: acceptWords[0] as string }, text: options.text, locale: options.locale });
      return (await answer) === "accept" ? { ok: true } : { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.denied };
    },
  };
}
