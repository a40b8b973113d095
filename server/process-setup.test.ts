import { describe, expect, it } from "vitest";
import "./process-setup.ts";

describe("process setup", () => {
  it("tells detached buffers from empty and full ones", () => {
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    expect((detached as ArrayBuffer & { detached: boolean }).detached).toBe(true);
    expect((new ArrayBuffer(0) as ArrayBuffer & { detached: boolean }).detached).toBe(false);
    expect((new ArrayBuffer(4) as ArrayBuffer & { detached: boolean }).detached).toBe(false);
  });
});
