/** POST /api/auth/sms/resend { verificationId } — the same code again. Errors: 404 verification_not_found; 429. */
import { resendChallengeSchema } from "@/lib/validations/account.ts";
import { clientIp, handler, json, readJson } from "@/server/auth/route-helpers.ts";
import { challengesOf } from "@/server/auth/services.ts";

export const POST = handler(async (request, runtime) => {
  const body = await readJson(request, resendChallengeSchema);
  return json(await challengesOf(runtime).resend({ ...body, purpose: "login", ip: clientIp(request) }));
});
