/**
 * The owner console's list of verifications: every surface (native API, the Twilio, Textmagic, SignalWire
 * and Vonage compatible APIs, sign-ins, sockets) in one list, newest first, each with the status the native
 * API answers for it and the id its own API knows it by; and the test numbers (TEST_NUMBERS) with their
 * recent uses. Numbers are masked; test numbers' codes are never shown.
 */
import { z } from "zod";
import { maskPhone } from "../../lib/phone.ts";
import { verificationSid } from "../http/compat/twilio/serialize.ts";
import type { VerificationEngine } from "../verification/engine.ts";
import { type TestNumberSettings, testNumbersActive } from "../verification/test-numbers.ts";
import { SURFACES, VERIFICATION_STATUSES, type VerificationSummary } from "../verification/types.ts";

export const ownerVerificationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  status: z.enum(VERIFICATION_STATUSES).optional(),
  surface: z.enum(SURFACES).optional(),
});
export type OwnerVerificationsQuery = z.infer<typeof ownerVerificationsQuerySchema>;

/** The id a verification has on the API that created it: Twilio's `VE…` sid, textgate's id elsewhere. */
export function surfaceId(v: Pick<VerificationSummary, "id" | "surface">): string {
  return v.surface === "twilio" ? verificationSid(v.id) : v.id;
}

export function serializeOwnerVerification(v: VerificationSummary) {
  return {
    id: v.id,
    surface: v.surface,
    surfaceId: surfaceId(v),
    purpose: v.purpose,
    to: maskPhone(v.to),
    testNumber: v.testNumber,
    channel: v.channel,
    status: v.status,
    attempts: v.attempts,
    maxAttempts: v.maxAttempts,
    createdAt: v.createdAt.toISOString(),
    expiresAt: v.expiresAt.toISOString(),
    finishedAt: v.finishedAt?.toISOString() ?? null,
  };
}
export type OwnerVerification = ReturnType<typeof serializeOwnerVerification>;

/** How many recent uses of test numbers /owner lists. */
export const TEST_NUMBER_USES_LISTED = 20;

export interface OwnerConsoleLists {
  /** The newest verifications of every surface. */
  list(query: OwnerVerificationsQuery): Promise<{ verifications: OwnerVerification[] }>;
  /** The configured test numbers (masked, without their codes), until when they work, and their newest verifications. */
  testNumbers(now?: Date): Promise<OwnerTestNumbers>;
}

export interface OwnerTestNumbers {
  active: boolean;
  validUntil: string | null;
  numbers: string[];
  uses: OwnerVerification[];
}

export function ownerConsoleLists(engine: Pick<VerificationEngine, "listRecent">, testNumbers: TestNumberSettings): OwnerConsoleLists {
  return {
    async list(query) {
      const rows = await engine.listRecent(query);
      return { verifications: rows.map(serializeOwnerVerification) };
    },
    async testNumbers(now = new Date()) {
      const uses = await engine.listRecent({ limit: TEST_NUMBER_USES_LISTED, testNumber: true });
      return {
        active: testNumbersActive(testNumbers, now),
        validUntil: testNumbers.validUntil?.toISOString() ?? null,
        numbers: testNumbers.numbers.map((n) => maskPhone(n.e164)),
        uses: uses.map(serializeOwnerVerification),
      };
    },
  };
}
