/** One ChallengeService per runtime (its rate limiters must be shared by every request). */
import type { Runtime } from "../runtime.ts";
import { ChallengeService } from "./challenges.ts";

const services = new WeakMap<Runtime, ChallengeService>();

export function challengesOf(runtime: Runtime): ChallengeService {
  let service = services.get(runtime);
  if (!service) {
    service = new ChallengeService(runtime.engine, runtime.config);
    services.set(runtime, service);
  }
  return service;
}
