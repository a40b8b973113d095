/**
 * POST /api/v1/owner-alerts: the Owner alert unit of a host's `textgate/ws` gate in remote mode
 * (server/kit/ws-remote.ts). textgate texts its owners (OWNER_PHONES) the catalog's alert in each owner's
 * language; with `waitForDecision` it opens a request they answer by SMS ("ACCEPT K7Q2") or on /owner, and
 * the decision arrives as `owner.decided` on the event stream. Only the owners are texted, never a number
 * the request names, and the alert's wording is the catalog's: `who` and `path` are its only blanks.
 */
import { z } from "zod";

/** Printable text without line breaks: it is read in the middle of an SMS. */
const printable = /^[^\p{Cc}\p{Cf}]+$/u;

export const ownerAlertSchema = z.strictObject({
  who: z.string().min(1).max(120).regex(printable, "who must be printable text on one line").describe("Who is connecting, as owners read it: a name and a masked number, such as `Ada (+1•••••••123)`."),
  path: z.string().min(1).max(200).regex(/^\/[^\s\p{Cc}\p{Cf}]*$/u, "path must be a URL path such as /ws/chat").describe("The socket path, such as `/ws/chat`."),
  waitForDecision: z.boolean().default(false).describe("Open a request the owners decide: the answer's `reference`, and an `owner.decided` event with it. Default false: the alert only informs."),
  connectionId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._:-]+$/, "connectionId must be 1-64 letters, digits or . _ : -")
    .optional()
    .describe("Your id of the socket, given back in `owner.decided`. Default: one textgate makes."),
  timeoutSeconds: z.number().int().min(5).max(3600).default(120).describe("How long the owners can decide, 5–3,600 s. Default 120."),
});
export type OwnerAlertRequest = z.input<typeof ownerAlertSchema>;

export interface OwnerAlertResult {
  /** How many owners a carrier took the text for (0 when none is configured). */
  owners: number;
  /** The request's reference (`ACCEPT <reference>`), with `waitForDecision` and at least one owner; else null. */
  reference: string | null;
  connectionId: string | null;
  /** Until when the owners can decide, or null. */
  expiresAt: string | null;
}
