/**
 * How many due steps one scheduler pass may claim. Every claimed step holds a lease (LEASE_MS) that
 * another node may take over once it runs out, so a pass claims no more than it can hand to carriers
 * within half of it: SEND_CONCURRENCY sends at a time, each taking about as long as carriers have been
 * answering lately. A step still waiting when its lease runs out is not lost either way: the sender
 * re-checks the lease before each carrier call (`VerificationRepository.handOver`) and skips a step
 * it no longer holds, which the node that took it sends. docs/architecture.md, Decisions.
 */

/** Carrier calls one scheduler pass makes at once (steps of one verification still go one by one). */
export const SEND_CONCURRENCY = 8;
/** The most steps one pass claims, however fast carriers answer. */
export const MAX_CLAIM = 50;
/** Assumed carrier latency until one has been measured: a cautious second. */
const INITIAL_LATENCY_MS = 1000;

export class SendPacer {
  private latencyMs = INITIAL_LATENCY_MS;

  constructor(private readonly leaseMs: number) {}

  /** One carrier call's duration. Slower answers count at once, faster ones gradually, so a slowdown shrinks the next claim. */
  record(durationMs: number): void {
    this.latencyMs = durationMs > this.latencyMs ? durationMs : this.latencyMs * 0.8 + durationMs * 0.2;
  }

  /** Steps the next pass may claim: what SEND_CONCURRENCY senders hand over in half a lease, 1 to MAX_CLAIM. */
  claimLimit(): number {
    const perSender = Math.floor(this.leaseMs / 2 / Math.max(this.latencyMs, 1));
    return Math.min(Math.max(perSender * SEND_CONCURRENCY, 1), MAX_CLAIM);
  }
}

/** Runs `work` over `items`, at most `concurrency` at a time; resolves when all have settled. */
export async function eachConcurrently<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
