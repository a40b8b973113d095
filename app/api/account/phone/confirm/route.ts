/**
 * POST /api/account/phone/confirm { verificationId, code } — moves the account to the new number and
 * texts the old one. Errors: 400 invalid_code (details.attemptsLeft); 401; 403 reauth_required, cross_site_request; 415;
 * 404 verification_not_found; 409 phone_unavailable (checked only after the right code, so a wrong
 * code answers alike for a taken and a free number).
 */
import { confirmPhoneSchema } from "@/lib/validations/account.ts";
import { currentSession, handler, json, readJson, requireSameOrigin } from "@/server/auth/route-helpers.ts";

export const POST = handler(async (request, textgate) => {
  requireSameOrigin(request, textgate);
  const session = await currentSession(textgate);
  const body = await readJson(request, confirmPhoneSchema);
  return json(await textgate.auth.account.confirmPhoneChange(session, body));
});
