/** What the /login page hands its script: embedded as JSON in the element with id LOGIN_DATA_ID. */
import type { AuthClientConfig } from "@/lib/auth/contract.ts";

export const LOGIN_DATA_ID = "textgate-login-data";

/** Where the bundled script is served from (built into public/ by scripts/build-login-script.ts). */
export const LOGIN_SCRIPT_PATH = "/_textgate/login.js";

export interface LoginPageData {
  auth: AuthClientConfig;
  /** Where to go after signing in: a same-origin path, already checked. */
  callbackUrl: string;
}
