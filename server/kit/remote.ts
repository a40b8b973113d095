/** The textgate server a host's kit routes talk to: its address and API key, or a client of it already made. */
import { createTextgateClient, type TextgateClient } from "../../lib/client/index.ts";

export interface RemoteTextgate {
  /** The textgate server, such as https://verify.example.com. */
  baseUrl: string;
  /** An API key of that server (`npm run keys:create` there). Server-side only. */
  apiKey: string;
}

/**
 * The client of `textgate`. Made at once when both settings are there (a malformed URL fails at start), else
 * at the first request: `next build` imports a host's route modules (`export const { POST } =
 * createSmsAuthRoutes({ textgate: { baseUrl: process.env.TEXTGATE_URL!, … } })`) without the runtime's
 * environment, and a route that is never called must not fail the build. A request then fails with
 * createTextgateClient's own message if the settings are still missing.
 */
export function clientOf(textgate: RemoteTextgate | TextgateClient): TextgateClient {
  if ("verifications" in textgate) return textgate;
  if (textgate.baseUrl && textgate.apiKey) return createTextgateClient(textgate);
  let client: TextgateClient | undefined;
  return new Proxy({} as TextgateClient, { get: (_target, key) => Reflect.get((client ??= createTextgateClient(textgate)), key) });
}
