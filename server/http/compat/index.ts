/** The vendor-compatible verify APIs (issue 6), each under /compat/<vendor> with the vendor's own paths. */
import type { ApiRoute, Reply } from "../types.ts";
import { toSignalwire } from "./signalwire/errors.ts";
import { SIGNALWIRE_PREFIX, signalwireRoutes } from "./signalwire/routes.ts";
import { toTextmagic } from "./textmagic/errors.ts";
import { TEXTMAGIC_PREFIX, textmagicRoutes } from "./textmagic/routes.ts";
import { toTwilio } from "./twilio/errors.ts";
import { TWILIO_PREFIX, twilioRoutes } from "./twilio/routes.ts";
import { toVonage } from "./vonage/errors.ts";
import { VONAGE_PREFIX, vonageRoutes } from "./vonage/routes.ts";

export const compatRoutes: ApiRoute[] = [...twilioRoutes, ...signalwireRoutes, ...textmagicRoutes, ...vonageRoutes];

const VENDOR_ERRORS: readonly [string, (error: unknown, path: string) => Reply][] = [
  [TWILIO_PREFIX, (error, path) => toTwilio(error, path.slice(TWILIO_PREFIX.length))],
  [SIGNALWIRE_PREFIX, (error) => toSignalwire(error)],
  [TEXTMAGIC_PREFIX, (error) => toTextmagic(error)],
  [VONAGE_PREFIX, (error) => toVonage(error)],
];

/**
 * The vendor's answer to an error the router raises before any compat handler runs (no such path, or a
 * method the path does not serve), so that an official client parses it as it parses every other failure;
 * null for a path outside /compat/<vendor>.
 */
export function compatRouterError(path: string, error: unknown): Reply | null {
  for (const [prefix, toVendor] of VENDOR_ERRORS) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return toVendor(error, path);
  }
  return null;
}
