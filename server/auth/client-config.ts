/** What the sign-in pages need to know about this server's sign-in settings (GET /api/auth/sms/config, /login). */
import type { AuthClientConfig } from "../../lib/auth/contract.ts";
import type { Runtime } from "../runtime.ts";

export function authClientConfig(runtime: Runtime): AuthClientConfig {
  const { config } = runtime;
  return {
    sandbox: runtime.sandbox !== null,
    codeLength: config.AUTH_CODE_LENGTH,
    alphanumeric: config.AUTH_CODE_ALPHANUMERIC,
    channel: config.AUTH_CHANNEL,
    defaultCountry: config.ALLOWED_COUNTRIES[0] ?? "US",
  };
}
