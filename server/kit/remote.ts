/** The textgate server a host's kit routes talk to: its address and API key, or a client of it already made. */
import { createTextgateClient, type TextgateClient } from "../../lib/client/index.ts";

export interface RemoteTextgate {
  /** The textgate server, such as https://verify.example.com. */
  baseUrl: string;
  /** An API key of that server (`npm run keys:create` there). Server-side only. */
  apiKey: string;
}

export function clientOf(textgate: RemoteTextgate | TextgateClient): TextgateClient {
  return "verifications" in textgate ? textgate : createTextgateClient(textgate);
}
