/**
 * POST /api/account/profile { name } — sets the signed-in user's display name (an empty or null name
 * clears it): `{ name }`, spaces folded as at sign-up. Errors: 401 unauthorized; 403 cross_site_request; 400 invalid_request; 415; 413.
 */
import { profileSchema } from "@/lib/validations/account.ts";
import { currentSession, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  const session = await currentSession(textgate);
  const { name } = await readJson(request, profileSchema);
  return json(await textgate.auth.users.rename(session.user.id, name));
});
