/**
 * GET /api/owner/verifications?limit=50&status=pending&surface=twilio — owner only: the newest
 * verifications of every surface with their status (as the native API answers it) and the id their own API
 * uses. Errors: 400 invalid_request (unknown status or surface, limit outside 1–200); 401; 403.
 */
import { currentOwner, handler, json } from "@/server/auth/route-helpers.ts";
import { ownerVerificationsQuerySchema } from "@/server/owners/verifications.ts";

export const GET = handler(async (request, textgate) => {
  await currentOwner(textgate);
  const query = ownerVerificationsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await textgate.owners.verifications.list(query));
});
