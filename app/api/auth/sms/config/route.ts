/** GET /api/auth/sms/config — what the sign-in pages need to know (AuthClientConfig). */
import { signInRoutes } from "@/server/auth/sign-in-routes.ts";

export const { GET } = signInRoutes.config;
