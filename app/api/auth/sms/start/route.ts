/**
 * POST /api/auth/sms/start { phone, country? } — sends a sign-in code. The same answer whether or not
 * the number has an account. Errors: 400 invalid_phone_number, invalid_request; 415; 429 rate_limited.
 */
import { signInRoutes } from "@/server/auth/sign-in-routes.ts";

export const { POST } = signInRoutes.start;
