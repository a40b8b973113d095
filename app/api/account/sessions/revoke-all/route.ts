/** POST /api/account/sessions/revoke-all — ends every session of the signed-in user. Errors: 401; 403 cross_site_request; 415. */
import { signOutEverywhere } from "@/server/auth/account.ts";
import { currentSession, handler, json, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, runtime) => {
  requireSameOrigin(request, runtime);
  const session = await currentSession(runtime);
  return json({ revoked: await signOutEverywhere(runtime, session) });
});
