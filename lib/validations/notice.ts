/**
 * POST /api/v1/notices: a catalog text (server/verification/notice-locales.ts) to one number, for the
 * socket units of a host's `textgate/ws` gate (server/kit/ws.ts). Only these texts, never free text: an
 * API key must not turn textgate into a relay of arbitrary messages.
 */
import { z } from "zod";
import { LIMITS } from "./verification.ts";

/** The units' texts: Reply, Reply with a shared secret, Confirm Reply, Confirm. */
export const NOTICE_KINDS = ["reply", "replySecret", "confirmReply", "confirm"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export const sendNoticeSchema = z.strictObject({
  to: z.string().min(1).max(64).describe("The number, E.164 (`+14155550123`)."),
  notice: z
    .enum(NOTICE_KINDS)
    .describe(
      "Which text: `reply` (“Hi, what's on the screen?”), `replySecret` (“Hi, what's our shared secret?”), `confirmReply` (“Is that you logging in? Reply YES to accept.”), `confirm` (“You've just logged in”).",
    ),
  yes: z
    .string()
    .regex(/^[A-Za-z0-9]{1,16}$/, "yes must be 1-16 letters or digits")
    .optional()
    .describe("`confirmReply` only: the word the text asks for. Default `YES`."),
  locale: z.string().min(2).max(10).optional().describe("Language of the text. Default: from the number's country, else DEFAULT_LOCALE."),
  brand: z.string().min(1).max(LIMITS.brand.max).optional().describe("The name the text starts with. Default: the server's DEFAULT_BRAND."),
});
export type SendNoticeRequest = z.infer<typeof sendNoticeSchema>;
