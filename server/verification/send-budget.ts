/**
 * The global send budget (security checklist item 21): at most SEND_BUDGET_PER_HOUR messages handed to
 * carriers in any rolling hour, for the whole deployment. A circuit breaker against SMS pumping: when
 * the hour's budget is spent, new verifications are refused up front (503 send_budget_exhausted with
 * Retry-After) and steps that come due are postponed until the window has room again.
 *
 * The window is 60 one-minute buckets (so "rolling" to the minute): in memory, or in one Redis hash when
 * REDIS_URL is set, so every node draws on the same budget (one Lua script per message: atomic, one
 * round trip). A trip and the recovery after it are claimed once (across nodes with Redis), so the
 * alarm goes out once per trip, by one node.
 */
import type { Redis } from "ioredis";
import { TextgateError } from "../../lib/errors.ts";

export const BUDGET_WINDOW_MS = 3_600_000;
const BUCKETS = 60;
const BUCKET_MS = BUDGET_WINDOW_MS / BUCKETS;

export type BudgetTake = { taken: true } | { taken: false; retryAfterMs: number };

export interface SendBudget {
  /** Counts one message about to be handed to carriers, or says when the window will have room again. */
  take(): Promise<BudgetTake>;
}

/** What the breaker reports; each call comes once per trip and per recovery. */
export interface BudgetAlarms {
  tripped(retryAfterMs: number): void;
  recovered(): void;
}

/** Where the rolling window is counted: this process, or Redis for every node. */
export interface BudgetWindow {
  take(nowMs: number): Promise<BudgetTake>;
  /** True for exactly one caller per trip. */
  claimTrip(): Promise<boolean>;
  /** True for exactly one caller when a trip ends. */
  claimRecovery(): Promise<boolean>;
}

/** Takes one message from the budget; throws send_budget_exhausted (503, Retry-After) when it is spent. */
export async function takeOrRefuse(budget: SendBudget): Promise<void> {
  const take = await budget.take();
  if (!take.taken) throw new TextgateError("send_budget_exhausted", undefined, { retryAfter: Math.max(1, Math.ceil(take.retryAfterMs / 1000)) });
}

export const UNLIMITED_BUDGET: SendBudget = { take: async () => ({ taken: true }) };

export function createSendBudget(options: { perHour: number; alarms: BudgetAlarms; redis?: Redis; clock?: () => Date }): SendBudget {
  if (options.perHour === 0) return UNLIMITED_BUDGET;
  const window = options.redis ? new RedisBudgetWindow(options.redis, options.perHour) : new MemoryBudgetWindow(options.perHour);
  return new CircuitBreaker(window, options.alarms, options.clock ?? (() => new Date()));
}

/** Takes from a window and reports each trip and recovery it claims. */
export class CircuitBreaker implements SendBudget {
  /** This process saw the budget spent and has not yet seen it free again. */
  private open = false;

  constructor(
    private readonly window: BudgetWindow,
    private readonly alarms: BudgetAlarms,
    private readonly clock: () => Date,
  ) {}

  async take(): Promise<BudgetTake> {
    const take = await this.window.take(this.clock().getTime());
    if (!take.taken) {
      if (!this.open) {
        this.open = true;
        if (await this.window.claimTrip()) this.alarms.tripped(take.retryAfterMs);
      }
    } else if (this.open) {
      this.open = false;
      if (await this.window.claimRecovery()) this.alarms.recovered();
    }
    return take;
  }
}

/** The window of one process: minute buckets, oldest first, and their running total. */
export class MemoryBudgetWindow implements BudgetWindow {
  private readonly buckets: { start: number; count: number }[] = [];
  private total = 0;
  private trip = false;

  constructor(private readonly perHour: number) {}

  async take(nowMs: number): Promise<BudgetTake> {
    for (let oldest = this.buckets[0]; oldest && oldest.start <= nowMs - BUDGET_WINDOW_MS; oldest = this.buckets[0]) {
      this.buckets.shift();
      this.total -= oldest.count;
    }
    if (this.total >= this.perHour) return { taken: false, retryAfterMs: retryAfter(this.buckets, this.total, this.perHour, nowMs) };
    const start = nowMs - (nowMs % BUCKET_MS);
    const last = this.buckets.at(-1);
    if (last?.start === start) last.count += 1;
    else this.buckets.push({ start, count: 1 });
    this.total += 1;
    return { taken: true };
  }

  async claimTrip(): Promise<boolean> {
    if (this.trip) return false;
    this.trip = true;
    return true;
  }

  async claimRecovery(): Promise<boolean> {
    if (!this.trip) return false;
    this.trip = false;
    return true;
  }
}

/** Time until enough of the oldest buckets leave the window for one more message to fit. */
function retryAfter(buckets: readonly { start: number; count: number }[], total: number, perHour: number, nowMs: number): number {
  let left = total;
  for (const bucket of buckets) {
    left -= bucket.count;
    if (left < perHour) return Math.max(1, bucket.start + BUDGET_WINDOW_MS - nowMs);
  }
  return BUCKET_MS;
}

/**
 * KEYS[1] the hash (field: bucket start in ms, value: count). ARGV: now, bucket start, window, budget.
 * Drops buckets that left the window, counts the message when there is room, else answers how long
 * until there is. Returns { 1, 0 } or { 0, retryAfterMs }.
 */
const TAKE_SCRIPT = `
local now, current, window, budget = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local fields = redis.call('HGETALL', KEYS[1])
local total, live = 0, {}
for i = 1, #fields, 2 do
  local start, count = tonumber(fields[i]), tonumber(fields[i + 1])
  if start <= now - window then redis.call('HDEL', KEYS[1], fields[i])
  else total = total + count; live[#live + 1] = { start, count } end
end
if total < budget then
  redis.call('HINCRBY', KEYS[1], current, 1)
  redis.call('PEXPIRE', KEYS[1], window)
  return { 1, 0 }
end
table.sort(live, function(a, b) return a[1] < b[1] end)
for _, bucket in ipairs(live) do
  total = total - bucket[2]
  if total < budget then return { 0, math.max(1, bucket[1] + window - now) } end
end
return { 0, window / 60 }
`;

/** The window shared by every node through Redis. */
export class RedisBudgetWindow implements BudgetWindow {
  private static readonly KEY = "textgate:send-budget";
  private static readonly TRIP_KEY = "textgate:send-budget:tripped";

  constructor(
    private readonly redis: Redis,
    private readonly perHour: number,
    private readonly keyPrefix = "",
  ) {}

  async take(nowMs: number): Promise<BudgetTake> {
    const [taken, retryAfterMs] = (await this.redis.eval(
      TAKE_SCRIPT, 1, this.keyPrefix + RedisBudgetWindow.KEY, nowMs, nowMs - (nowMs % BUCKET_MS), BUDGET_WINDOW_MS, this.perHour,
    )) as [number, number];
    return taken === 1 ? { taken: true } : { taken: false, retryAfterMs };
  }

  async claimTrip(): Promise<boolean> {
    // Expires with the window, so a trip whose recovery no node saw cannot silence the next one for long.
    return (await this.redis.set(this.keyPrefix + RedisBudgetWindow.TRIP_KEY, "1", "PX", BUDGET_WINDOW_MS, "NX")) === "OK";
  }

  async claimRecovery(): Promise<boolean> {
    return (await this.redis.del(this.keyPrefix + RedisBudgetWindow.TRIP_KEY)) === 1;
  }
}
