/** One ChallengeService per runtime (its rate limiters must be shared by every request). */
import type { Runtime } from "../runtime.ts";
import { ChallengeService } from "./challenges.ts";
import { createCountrySpread } from "./country-spread.ts";
import { createStartLimits } from "./start-limits.ts";

const services = new WeakMap<Runtime, ChallengeService>();

export function challengesOf(runtime: Runtime): ChallengeService {
  let service = services.get(runtime);
  if (!service) {
    const { engine, config, logger, events, redis } = runtime;
    service = new ChallengeService({
      engine,
      config,
      logger,
      events,
      countrySpread: createCountrySpread({ maxCountries: config.AUTH_COUNTRIES_PER_IP, redis }),
      startLimits: createStartLimits({ perIp: config.AUTH_START_LIMIT_PER_IP, perNumber: config.AUTH_START_LIMIT_PER_NUMBER, redis }),
    });
    services.set(runtime, service);
  }
  return service;
}
