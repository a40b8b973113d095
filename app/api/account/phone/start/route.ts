/**
 * POST /api/account/phone/start { phone, country? } — sends a code to a new number for the signed-in
 * user. Errors: 401 unauthorized; 403 reauth_required (sign-in too old), cross_site_request; 400; 415; 429.
 */
import { startChallengeSchema } from "@/lib/validations/account.ts";
import { clientIp, currentSession, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  const session = await currentSession(textgate);
  textgate.auth.account.assertRecentSignIn(session);
  const body = await readJson(request, startChallengeSchema);
  return json(await textgate.auth.challenges.start({ ...body, purpose: "change-phone", ip: clientIp(request), owner: session.user.id }));
});
