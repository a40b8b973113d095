/**
 * Send-to-approval times as a histogram: each approved verification falls in the first bucket whose
 * upper bound (seconds) it does not exceed, so hours add up by summing counts (insight_latency) and a
 * median or p95 over any range comes out of the sums, as "at most N seconds" (the bucket's bound).
 */

/** Upper bounds in seconds; the last bucket holds everything slower. */
export const LATENCY_BOUNDS_SECONDS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600] as const;

/** The bucket of a time in seconds: 0 … LATENCY_BOUNDS_SECONDS.length (the overflow bucket). */
export function latencyBucket(seconds: number): number {
  const index = LATENCY_BOUNDS_SECONDS.findIndex((bound) => seconds <= bound);
  return index === -1 ? LATENCY_BOUNDS_SECONDS.length : index;
}

/**
 * The bound under which a share `q` (0.5: median, 0.95: p95) of the counted times fall: the upper bound of
 * the bucket where the running count reaches q of the total; null for the overflow bucket (over an hour)
 * or when nothing was counted.
 */
export function latencyQuantile(counts: ReadonlyMap<number, number>, q: number): { atMostSeconds: number | null; count: number } | null {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = Math.ceil(q * total);
  let running = 0;
  for (let bucket = 0; bucket <= LATENCY_BOUNDS_SECONDS.length; bucket++) {
    running += counts.get(bucket) ?? 0;
    if (running >= target) return { atMostSeconds: LATENCY_BOUNDS_SECONDS[bucket] ?? null, count: total };
  }
  return { atMostSeconds: null, count: total };
}
