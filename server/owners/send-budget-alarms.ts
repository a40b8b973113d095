/**
 * What happens when the global send budget trips or recovers (server/verification/send-budget.ts): an
 * error log line, an event on the bus, and a text to each owner (OWNER_PHONES). The owners' text goes
 * straight to the carriers through sendNotice, so it neither counts against the budget nor waits for it,
 * and it goes out at most once per budget window from this process, however often the breaker flaps at
 * the edge of the window.
 */
import type { Logger } from "pino";
import type { EventBus } from "../events/bus.ts";
import type { NoticeKey, NoticeValues } from "../verification/notices.ts";
import { BUDGET_WINDOW_MS, type BudgetAlarms } from "../verification/send-budget.ts";

export interface BudgetAlarmOptions {
  perHour: number;
  logger: Logger;
  events: EventBus;
  owners: readonly string[];
  /** Texts one owner (sendNotice); false when no carrier took it. Never throws. */
  textOwner(to: string, body: string): Promise<boolean>;
  /** The catalog text for one owner, in the language of their number (notices.ts noticeFor). */
  notice(to: string, key: NoticeKey, values: NoticeValues): string;
  clock?: () => Date;
}

export function sendBudgetAlarms(options: BudgetAlarmOptions): BudgetAlarms {
  const clock = options.clock ?? (() => new Date());
  let ownersTextedAt: number | null = null;

  const textOwners = (retryAfterSeconds: number) => {
    const now = clock().getTime();
    if (!options.owners.length || (ownersTextedAt !== null && now - ownersTextedAt < BUDGET_WINDOW_MS)) return;
    ownersTextedAt = now;
    const values = { perHour: options.perHour, minutes: Math.ceil(retryAfterSeconds / 60) };
    for (const owner of options.owners) void options.textOwner(owner, options.notice(owner, "sendBudgetSpent", values));
  };

  return {
    tripped(retryAfterMs) {
      const retryAfterSeconds = Math.ceil(retryAfterMs / 1000);
      options.logger.error({ budgetPerHour: options.perHour, retryAfterSeconds }, "send budget exhausted: no messages go to carriers until the window has room");
      options.events.publish("send_budget.exhausted", { budgetPerHour: options.perHour, retryAfterSeconds });
      textOwners(retryAfterSeconds);
    },
    recovered() {
      options.logger.info({ budgetPerHour: options.perHour }, "send budget recovered: sending resumed");
      options.events.publish("send_budget.recovered", { budgetPerHour: options.perHour });
    },
  };
}
