/**
 * GET /api/owner/verifications?limit=50&status=pending&surface=twilio — owner only: the newest
 * verifications of every surface with their status (as the native API answers it) and the id their own API
 * uses. Errors: 400 invalid_request (unknown status or surface, limit outside 1–200); 401; 403.
 */
import { handler, json } from "@/server/auth/route-helpers.ts";
import { requireOwner } from "@/server/owner-access.ts";
import { listOwnerVerifications, ownerVerificationsQuerySchema } from "@/server/owner-verifications.ts";

export const GET = handler(async (request, runtime) => {
  await requireOwner(runtime);
  const query = ownerVerificationsQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return json(await listOwnerVerifications(runtime, query));
});
