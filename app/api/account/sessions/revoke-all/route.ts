/** POST /api/account/sessions/revoke-all — ends every session of the signed-in user. Errors: 401; 403 cross_site_request; 415. */
import { currentSession, handler, json, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  const session = await currentSession(textgate);
  return json({ revoked: await textgate.auth.account.signOutEverywhere(session) });
});
