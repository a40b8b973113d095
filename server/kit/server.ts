/**
 * `textgate/server`: textgate inside a host's own Node process (the in-process mode of the kit). The host
 * builds one Textgate in its custom server and hands it to the kit's entries:
 *
 *   import { createTextgate, loadConfig } from "textgate/server";
 *   const textgate = await createTextgate(loadConfig());   // DATABASE_URL, TEXTGATE_SECRET, carriers, …
 *   SmsProvider({ textgate }); createSmsAuthRoutes({ textgate })                 // textgate/next-auth
 *   createSocketGate({ textgate: inProcessSockets(textgate, textgate.sections.ws), endpoints })  // textgate/ws
 *
 * Next bundles a host's route modules apart from its custom server: pass `() => textgate` read from a
 * module of the host's own (as textgate does in server/bridge.ts), or build it where the routes run.
 * The database is migrated at start unless AUTO_MIGRATE=false, from the migrations shipped in the package.
 */
export { ConfigError, type Config, loadConfig } from "../env.ts";
export { createTextgate, StartupError, type Textgate, type TextgateOptions } from "../textgate.ts";
export { inProcessSockets } from "../ws/index.ts";
