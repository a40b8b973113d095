/**
 * How many countries one client IP starts sign-ins to (security checklist item 19: "> 5 countries per
 * IP per 24 h is blocked"). A counter cannot do this: rate-limiter-flexible counts points per key, and a
 * key per IP counts starts, not countries, while a key per (IP, country) never sees the others. So this
 * keeps, per IP, the set of countries with the time each was last used, each forgotten 24 h after that:
 * in memory, or in one Redis sorted set per IP (score: last use) when REDIS_URL is set, updated by one
 * Lua script so that concurrent starts on several nodes cannot together pass the cap.
 */
import type { Redis } from "ioredis";

export const SPREAD_WINDOW_MS = 24 * 3_600_000;

export interface CountrySpread {
  /**
   * Records a start from `ip` to `country` and answers true, or answers false (recording nothing) when
   * it would make more than the allowed number of distinct countries in the last 24 h.
   */
  admit(ip: string, country: string): Promise<boolean>;
}

export function createCountrySpread(options: { maxCountries: number; redis?: Redis; clock?: () => Date }): CountrySpread {
  const clock = options.clock ?? (() => new Date());
  return options.redis ? new RedisCountrySpread(options.redis, options.maxCountries, clock) : new MemoryCountrySpread(options.maxCountries, clock);
}

/** Sweeps forgotten IPs at most this often, so the map does not grow with every address ever seen. */
const SWEEP_EVERY_MS = 10 * 60_000;

export class MemoryCountrySpread implements CountrySpread {
  /** IP → country → last start (ms). */
  private readonly byIp = new Map<string, Map<string, number>>();
  private sweptAt = 0;

  constructor(
    private readonly maxCountries: number,
    private readonly clock: () => Date,
  ) {}

  async admit(ip: string, country: string): Promise<boolean> {
    const now = this.clock().getTime();
    if (now - this.sweptAt >= SWEEP_EVERY_MS) this.sweep(now);
    const countries = this.byIp.get(ip) ?? new Map<string, number>();
    for (const [known, lastUsed] of countries) if (lastUsed <= now - SPREAD_WINDOW_MS) countries.delete(known);
    if (!countries.has(country) && countries.size >= this.maxCountries) return false;
    countries.set(country, now);
    this.byIp.set(ip, countries);
    return true;
  }

  private sweep(now: number): void {
    this.sweptAt = now;
    for (const [ip, countries] of this.byIp) {
      if ([...countries.values()].every((lastUsed) => lastUsed <= now - SPREAD_WINDOW_MS)) this.byIp.delete(ip);
    }
  }
}

/** KEYS[1] the IP's sorted set. ARGV: now, window, max countries, country. Returns 1 (admitted) or 0. */
const ADMIT_SCRIPT = `
local now, window, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if not redis.call('ZSCORE', KEYS[1], ARGV[4]) and redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 1
`;

export class RedisCountrySpread implements CountrySpread {
  constructor(
    private readonly redis: Redis,
    private readonly maxCountries: number,
    private readonly clock: () => Date,
    private readonly keyPrefix = "textgate:auth-countries:",
  ) {}

  async admit(ip: string, country: string): Promise<boolean> {
    const admitted = await this.redis.eval(ADMIT_SCRIPT, 1, this.keyPrefix + ip, this.clock().getTime(), SPREAD_WINDOW_MS, this.maxCountries, country);
    return admitted === 1;
  }
}
