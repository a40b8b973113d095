import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { useRedis } from "../../tests/helpers/services.ts";
import { createStartLimits } from "./start-limits.ts";

const redis = useRedis();

describe("sign-in start limits", () => {
  it("limits per IP and per number, with Retry-After", async () => {
    const limits = createStartLimits({ perIp: 3, perNumber: 2 });
    await limits.consume("203.0.113.1", "+12125550100");
    await limits.consume("203.0.113.2", "+12125550100");
    await expect(limits.consume("203.0.113.3", "+12125550100")).rejects.toMatchObject({ code: "rate_limited", status: 429, retryAfter: expect.any(Number) });
    // 203.0.113.1 has one start; two more to other numbers reach its limit of 3.
    await limits.consume("203.0.113.1", "+12125550101");
    await limits.consume("203.0.113.1", "+12125550102");
    await expect(limits.consume("203.0.113.1", "+12125550103")).rejects.toMatchObject({ code: "rate_limited" });
  });

  it("with Redis, two nodes share one count", async (ctx) => {
    const client = redis();
    if (!client) return ctx.skip();
    const keyPrefix = `textgate-test:auth-start:${crypto.randomUUID()}`;
    const nodeA = createStartLimits({ perIp: 2, perNumber: 100, redis: client, keyPrefix });
    const nodeB = createStartLimits({ perIp: 2, perNumber: 100, redis: client, keyPrefix });
    await nodeA.consume("198.51.100.9", "+12125550110");
    await nodeB.consume("198.51.100.9", "+12125550111");
    await expect(nodeA.consume("198.51.100.9", "+12125550112")).rejects.toMatchObject({ code: "rate_limited" });
    await expect(nodeB.consume("198.51.100.9", "+12125550113")).rejects.toMatchObject({ code: "rate_limited" });
    // Memory limiters (no REDIS_URL) count per process: the negative control.
    const memoryA = createStartLimits({ perIp: 2, perNumber: 100 });
    const memoryB = createStartLimits({ perIp: 2, perNumber: 100 });
    await memoryA.consume("198.51.100.9", "+12125550114");
    await memoryA.consume("198.51.100.9", "+12125550115");
    await expect(memoryB.consume("198.51.100.9", "+12125550116")).resolves.toBeUndefined();
  });
});
