/** What the sign-in pages need to know about this server's sign-in settings (GET /api/auth/sms/config, /login). */
import type { AuthClientConfig } from "../../lib/auth/contract.ts";
import type { AuthSettings } from "../config-sections.ts";

export function authClientConfig(settings: Pick<AuthSettings, "code" | "defaultCountry">, sandboxActive: boolean): AuthClientConfig {
  return {
    sandbox: sandboxActive,
    codeLength: settings.code.codeLength,
    alphanumeric: settings.code.alphanumeric,
    channel: settings.code.channel,
    defaultCountry: settings.defaultCountry,
  };
}
