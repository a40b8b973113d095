/**
 * GET /api/owner/test-numbers — owner only: the test numbers of TEST_NUMBERS (masked, never their codes),
 * whether they still work and until when (TEST_NUMBERS_VALID_UNTIL), and their newest verifications.
 * Errors: 401; 403.
 */
import { handler, json } from "@/server/auth/route-helpers.ts";
import { requireOwner } from "@/server/owner-access.ts";
import { listOwnerTestNumbers } from "@/server/owner-verifications.ts";

export const GET = handler(async (_request, runtime) => {
  await requireOwner(runtime);
  return json(await listOwnerTestNumbers(runtime));
});
