/**
 * The limits on starting sign-ins: per client IP and per number, each AUTH_START_LIMIT_* starts per 10
 * minutes (rate-limiter-flexible). In memory, or in Redis when REDIS_URL is set, so that several nodes
 * share one count (otherwise N nodes would allow N times the limit).
 */
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TextgateError } from "../../lib/errors.ts";

export const START_WINDOW_SECONDS = 600;

export interface StartLimits {
  /** Counts one start from `ip` to `e164`; throws rate_limited (429, Retry-After) past either limit. */
  consume(ip: string, e164: string): Promise<void>;
}

export function createStartLimits(options: { perIp: number; perNumber: number; redis?: Redis; keyPrefix?: string }): StartLimits {
  const prefix = options.keyPrefix ?? "textgate:auth-start";
  const make = (name: string, points: number): RateLimiterAbstract => {
    const common = { keyPrefix: `${prefix}:${name}`, points, duration: START_WINDOW_SECONDS };
    return options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis }) : new RateLimiterMemory(common);
  };
  const perIp = make("ip", options.perIp);
  const perNumber = make("number", options.perNumber);
  return {
    async consume(ip, e164) {
      await consume(perIp, ip);
      await consume(perNumber, e164);
    },
  };
}

async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const wait = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new TextgateError("rate_limited", `Too many codes requested. Try again in ${wait} s.`, { retryAfter: wait });
    }
    throw rejection;
  }
}
