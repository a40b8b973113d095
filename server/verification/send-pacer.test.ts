import { describe, expect, it } from "vitest";
import { eachConcurrently, MAX_CLAIM, SEND_CONCURRENCY, SendPacer } from "./send-pacer.ts";

const LEASE_MS = 30_000;

describe("SendPacer", () => {
  it("claims at most MAX_CLAIM while carriers answer fast", () => {
    const pacer = new SendPacer(LEASE_MS);
    expect(pacer.claimLimit()).toBe(MAX_CLAIM);
    for (let i = 0; i < 20; i++) pacer.record(40);
    expect(pacer.claimLimit()).toBe(MAX_CLAIM);
  });

  it.each([800, 2_000, 5_000, 10_000])("never claims more than its senders hand over in half a lease at %i ms a call", (latencyMs) => {
    const pacer = new SendPacer(LEASE_MS);
    pacer.record(latencyMs);
    const limit = pacer.claimLimit();
    // The last of `limit` steps, sent SEND_CONCURRENCY at a time, goes out within half the lease.
    expect(Math.ceil(limit / SEND_CONCURRENCY) * latencyMs).toBeLessThanOrEqual(LEASE_MS / 2);
    expect(limit).toBeGreaterThanOrEqual(1);
  });

  it("shrinks at once when the carrier slows down and grows back gradually", () => {
    const pacer = new SendPacer(LEASE_MS);
    pacer.record(10_000);
    expect(pacer.claimLimit()).toBe(SEND_CONCURRENCY);
    pacer.record(100);
    expect(pacer.claimLimit()).toBe(SEND_CONCURRENCY);
    for (let i = 0; i < 30; i++) pacer.record(100);
    expect(pacer.claimLimit()).toBe(MAX_CLAIM);
  });

  it("claims one step when a single call outlasts half the lease", () => {
    const pacer = new SendPacer(LEASE_MS);
    pacer.record(20_000);
    expect(pacer.claimLimit()).toBe(1);
  });
});

describe("eachConcurrently", () => {
  it("runs every item, never more than the limit at once", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      done.push(n);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });
});
