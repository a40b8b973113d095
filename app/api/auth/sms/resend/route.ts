/** POST /api/auth/sms/resend { verificationId } — the same code again. Errors: 404 verification_not_found; 429. */
import { z } from "zod";
import { clientIp, handler, json, readJson } from "@/server/auth/route-helpers.ts";
import { challengesOf } from "@/server/auth/services.ts";

const schema = z.strictObject({ verificationId: z.string().min(1).max(64) });

export const POST = handler(async (request, runtime) => {
  const body = await readJson(request, schema);
  return json(await challengesOf(runtime).resend({ ...body, purpose: "login", ip: clientIp(request) }));
});
