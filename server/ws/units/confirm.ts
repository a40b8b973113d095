/** Confirm: once the socket is admitted, text the user that they have just logged in. Never blocks admission. */
import type { SessionUnit } from "../sessions.ts";

export interface ConfirmOptions {
  /** Default "You've just logged in". */
  text?: string;
}

export function confirm(options: ConfirmOptions = {}): SessionUnit {
  const text = options.text ?? "You've just logged in";
  return {
    name: "confirm",
    timeoutMs: 0,
    async afterAdmit(ctx) {
      await ctx.sendText(text);
    },
  };
}
