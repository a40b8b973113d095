/** The vendor-compatible verify APIs (issue 6), each under /compat/<vendor> with the vendor's own paths. */
import type { ApiRoute } from "../types.ts";
import { signalwireRoutes } from "./signalwire/routes.ts";
import { textmagicRoutes } from "./textmagic/routes.ts";
import { twilioRoutes } from "./twilio/routes.ts";
import { vonageRoutes } from "./vonage/routes.ts";

export const compatRoutes: ApiRoute[] = [...twilioRoutes, ...signalwireRoutes, ...textmagicRoutes, ...vonageRoutes];
