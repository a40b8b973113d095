/**
 * Limits on codes sent to one number (Twilio allows 5 per 10 minutes and answers 60203): counted per
 * E.164 number, in memory, or in Redis when REDIS_URL is set so every node shares the count.
 */
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { TextgateError } from "../../lib/errors.ts";

export interface SendLimiter {
  /** Counts one send to `to`; throws send_limit_reached (429, with Retry-After) when over the limit. */
  consume(to: string): Promise<void>;
}

export function createSendLimiter(options: { points: number; windowSeconds: number; redis?: Redis }): SendLimiter {
  const common = { keyPrefix: "textgate:sends", points: options.points, duration: options.windowSeconds };
  const limiter = options.redis ? new RateLimiterRedis({ ...common, storeClient: options.redis }) : new RateLimiterMemory(common);
  return {
    async consume(to) {
      try {
        await limiter.consume(to, 1);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          throw new TextgateError("send_limit_reached", undefined, { retryAfter: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) });
        }
        throw rejection;
      }
    },
  };
}
