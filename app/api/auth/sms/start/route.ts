/**
 * POST /api/auth/sms/start { phone, country? } — sends a sign-in code. The same answer whether or not
 * the number has an account. Errors: 400 invalid_phone_number, invalid_request; 415; 429 rate_limited.
 */
import { z } from "zod";
import { clientIp, handler, json, readJson } from "@/server/auth/route-helpers.ts";
import { challengesOf } from "@/server/auth/services.ts";

const schema = z.strictObject({ phone: z.string().min(1).max(64), country: z.string().regex(/^[A-Za-z]{2}$/).transform((c) => c.toUpperCase()).optional() });

export const POST = handler(async (request, runtime) => {
  const body = await readJson(request, schema);
  return json(await challengesOf(runtime).start({ ...body, purpose: "login", ip: clientIp(request) }));
});
