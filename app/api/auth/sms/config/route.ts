/** GET /api/auth/sms/config — what the sign-in pages need to know (AuthClientConfig). */
import type { AuthClientConfig } from "@/lib/auth/contract.ts";
import { handler, json } from "@/server/auth/route-helpers.ts";

export const GET = handler(async (_request, runtime) => {
  const { config } = runtime;
  const body: AuthClientConfig = {
    sandbox: runtime.sandbox !== null,
    codeLength: config.AUTH_CODE_LENGTH,
    alphanumeric: config.AUTH_CODE_ALPHANUMERIC,
    channel: config.AUTH_CHANNEL,
    defaultCountry: config.ALLOWED_COUNTRIES[0] ?? "US",
  };
  return json(body);
});
