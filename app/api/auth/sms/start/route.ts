/**
 * POST /api/auth/sms/start { phone, country? } — sends a sign-in code. The same answer whether or not
 * the number has an account. Errors: 400 invalid_phone_number, invalid_request; 415; 429 rate_limited.
 */
import { startChallengeSchema } from "@/lib/validations/account.ts";
import { clientIp, handler, json, readJson } from "@/server/auth/route-helpers.ts";
import { challengesOf } from "@/server/auth/services.ts";

export const POST = handler(async (request, runtime) => {
  const body = await readJson(request, startChallengeSchema);
  return json(await challengesOf(runtime).start({ ...body, purpose: "login", ip: clientIp(request) }));
});
