/**
 * POST /api/account/phone/start { phone, country? } — sends a code to a new number for the signed-in
 * user. Errors: 401 unauthorized; 403 reauth_required (sign-in too old), cross_site_request; 400; 415; 429.
 */
import { startChallengeSchema } from "@/lib/validations/account.ts";
import { assertRecentSignIn } from "@/server/auth/account.ts";
import { clientIp, currentSession, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";
import { challengesOf } from "@/server/auth/services.ts";

export const POST = handler(async (request, runtime) => {
  requireSameOrigin(request, runtime);
  const session = await currentSession(runtime);
  assertRecentSignIn(runtime, session);
  const body = await readJson(request, startChallengeSchema);
  return json(await challengesOf(runtime).start({ ...body, purpose: "change-phone", ip: clientIp(request), owner: session.user.id }));
});
