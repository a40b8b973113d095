import { describe, expect, it } from "vitest";
import { randomBytesPooled } from "./random.ts";

describe("randomBytesPooled", () => {
  it("hands out fresh bytes of the asked size, across refills of the pool, never the same twice", () => {
    const seen = new Set<string>();
    // 16 bytes × 1,000 is about four refills of the 4 KB pool.
    for (let i = 0; i < 1000; i++) {
      const bytes = randomBytesPooled(16);
      expect(bytes).toHaveLength(16);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(1000);
    expect(randomBytesPooled(0)).toHaveLength(0);
    expect(randomBytesPooled(4096)).toHaveLength(4096);
  });

  it("gives each caller its own copy: changing one does not change the next", () => {
    const first = randomBytesPooled(32);
    const copy = Buffer.from(first);
    first.fill(0xff);
    const second = randomBytesPooled(32);
    expect(second.equals(Buffer.alloc(32, 0xff))).toBe(false);
    expect(copy.equals(first)).toBe(false);
  });

  it("refuses sizes outside 0 to 4,096", () => {
    expect(() => randomBytesPooled(4097)).toThrow(RangeError);
    expect(() => randomBytesPooled(-1)).toThrow(RangeError);
    expect(() => randomBytesPooled(1.5)).toThrow(RangeError);
  });
});
