/** POST /api/auth/sms/resend { verificationId } — the same code again. Errors: 404 verification_not_found; 429. */
import { signInRoutes } from "@/server/auth/sign-in-routes.ts";

export const { POST } = signInRoutes.resend;
