/**
 * Request schemas of the routes Next serves for the pages (app/api): sign-in by phone, the account and the
 * owner's decisions. Shared by those routes and the OpenAPI document (server/http/openapi-session.ts).
 */
import { z } from "zod";

/** Longest display name, after spaces are folded (server/auth/users.ts). */
export const MAX_NAME_LENGTH = 60;

const phone = z.string().min(1).max(64).describe("The phone number: E.164, or a national number with `country`.");
const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/)
  .transform((c) => c.toUpperCase())
  .optional()
  .describe("ISO 3166-1 alpha-2 country of a national `phone`; either case.");
const verificationId = z.string().min(1).max(64).describe("The `verificationId` the start answered with.");

export const startChallengeSchema = z.strictObject({ phone, country });

export const resendChallengeSchema = z.strictObject({ verificationId });

export const confirmPhoneSchema = z.strictObject({
  verificationId,
  code: z.string().min(1).max(64).describe("The code texted to the new number."),
});

export const profileSchema = z.strictObject({
  name: z
    .string()
    .max(MAX_NAME_LENGTH)
    .nullable()
    .describe(`The display name, at most ${MAX_NAME_LENGTH} characters; spaces are folded; empty or null clears it.`),
});

export const ownerDecisionSchema = z.strictObject({
  decision: z
    .enum(["accept", "deny"])
    .meta({ "x-enumDescriptions": { accept: "let the socket's request through", deny: "refuse it" } })
    .describe("What the owner decided."),
});
