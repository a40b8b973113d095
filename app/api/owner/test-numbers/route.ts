/**
 * GET /api/owner/test-numbers — owner only: the test numbers of TEST_NUMBERS (masked, never their codes),
 * whether they still work and until when (TEST_NUMBERS_VALID_UNTIL), and their newest verifications.
 * Errors: 401; 403.
 */
import { currentOwner, handler, json } from "@/server/auth/route-helpers.ts";

export const GET = handler(async (_request, textgate) => {
  await currentOwner(textgate);
  return json(await textgate.owners.verifications.testNumbers());
});
