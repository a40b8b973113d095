/**
 * The one process-wide value: the Textgate that server.ts built (createTextgate), read by the route
 * modules and pages Next bundles (app/, pages/), which cannot be handed it as an argument. Kept on
 * globalThis because Next's bundles hold their own copy of every module, this one included.
 */
import type { Textgate } from "./textgate.ts";

declare global {
  var __textgate: Textgate | undefined;
}

/** Makes `textgate` the one app/ and pages/ see (server.ts, after createTextgate); undefined takes it back. */
export function publishTextgate(textgate: Textgate | undefined): void {
  globalThis.__textgate = textgate;
}

/** The Textgate of this process, for app/ and pages/. */
export function currentTextgate(): Textgate {
  const textgate = globalThis.__textgate;
  if (!textgate) throw new Error("textgate is not started: run the app through server.ts (npm run dev / npm start)");
  return textgate;
}
