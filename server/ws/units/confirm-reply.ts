/**
 * Confirm Reply: text the user a question and admit the socket when they answer YES from their number;
 * NO (or a configured word) denies, and so does the timeout. Other texts are ignored.
 */
import { CLOSE, CLOSE_REASON } from "../../../lib/socket/protocol.ts";
import { normalizeAnswer, type SessionUnit } from "../sessions.ts";

export interface ConfirmReplyOptions {
  /** Default "Is that you logging in? Reply YES to accept." */
  text?: string;
  /** Answers that admit (case and spaces ignored). Default ["YES"]. */
  accept?: string[];
  /** Answers that deny. Default ["NO"]. */
  deny?: string[];
  /** Default 120 s. */
  timeoutMs?: number;
}

export function confirmReply(options: ConfirmReplyOptions = {}): SessionUnit {
  const text = options.text ?? "Is that you logging in? Reply YES to accept.";
  const accept = new Set((options.accept ?? ["YES"]).map(normalizeAnswer));
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
      await ctx.sendText(text);
      return (await answer) === "accept" ? { ok: true } : { ok: false, code: CLOSE.denied, reason: CLOSE_REASON.denied };
    },
  };
}
