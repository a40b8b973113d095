/** GET /api/auth/sms/config — what the sign-in pages need to know (AuthClientConfig). */
import { authClientConfig } from "@/server/auth/client-config.ts";
import { handler, json } from "@/server/auth/route-helpers.ts";

export const GET = handler(async (_request, runtime) => json(authClientConfig(runtime)));
