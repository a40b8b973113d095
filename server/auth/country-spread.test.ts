import crypto from "node:crypto";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { useRedis } from "../../tests/helpers/services.ts";
import { type CountrySpread, MemoryCountrySpread, RedisCountrySpread, SPREAD_WINDOW_MS } from "./country-spread.ts";

const redis = useRedis();

const IP = "203.0.113.7";
const COUNTRIES = ["US", "GB", "DE", "FR", "NL"];

function describeSpread(name: string, make: (max: number, clock: () => Date) => CountrySpread, enabled: () => boolean) {
  describe(name, () => {
    let now = Date.parse("2026-11-22T10:00:00.000Z");
    const clock = () => new Date(now);

    it("admits up to the cap of distinct countries per IP, then only countries already used", async (ctx) => {
      if (!enabled()) return ctx.skip();
      const spread = make(5, clock);
      for (const country of COUNTRIES) expect(await spread.admit(IP, country)).toBe(true);
      expect(await spread.admit(IP, "LV")).toBe(false);
      expect(await spread.admit(IP, "GB")).toBe(true);
      expect(await spread.admit("198.51.100.1", "LV")).toBe(true);
    });

    it("forgets a country 24 h after its last start, and never records a refused one", async (ctx) => {
      if (!enabled()) return ctx.skip();
      const spread = make(2, clock);
      expect(await spread.admit(IP, "US")).toBe(true);
      now += 3_600_000;
      expect(await spread.admit(IP, "GB")).toBe(true);
      expect(await spread.admit(IP, "DE")).toBe(false);
      now += SPREAD_WINDOW_MS - 3_600_000;
      // US was last used 24 h ago: gone. GB (23 h ago) still counts, and DE was never recorded.
      expect(await spread.admit(IP, "DE")).toBe(true);
      expect(await spread.admit(IP, "FR")).toBe(false);
      now += 3_600_000;
      expect(await spread.admit(IP, "FR")).toBe(true);
    });
  });
}

describeSpread("MemoryCountrySpread", (max, clock) => new MemoryCountrySpread(max, clock), () => true);
describeSpread("RedisCountrySpread", (max, clock) => new RedisCountrySpread(redis() as Redis, max, clock, `test:${crypto.randomUUID()}:`), () => redis() !== null);
