/** Confirm: once the socket is admitted, text the user that they have just logged in. Never blocks admission. */
import type { SessionUnit } from "../sessions.ts";

export interface ConfirmOptions {
  /** Replaces the catalog's "You've just logged in". */
  text?: string;
  /** The text's locale (else the number's country's); see UnitContext.notice. */
  locale?: string;
}

export function confirm(options: ConfirmOptions = {}): SessionUnit {
  return {
    name: "confirm",
    timeoutMs: 0,
    async afterAdmit(ctx) {
      await ctx.sendNotice({ key: "confirm", text: options.text, locale: options.locale });
    },
  };
}
