/**
 * Runs the durable parts of workflows: every tick it sends due steps (claimed atomically, so several
 * processes can run it at once) and expires verifications past their validity, then runs the periodic
 * checks registered with `every` whose time has come (the low-conversion alarm). Ticks never overlap.
 */
import type { Logger } from "pino";
import type { VerificationEngine } from "./engine.ts";

interface PeriodicTask {
  name: string;
  everyMs: number;
  run: () => Promise<void>;
  /** When it last ran (the scheduler's clock); null: never, so the first tick runs it. */
  lastRunAt: number | null;
}

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly tasks: PeriodicTask[] = [];

  constructor(
    private readonly engine: VerificationEngine,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Runs `run` on a tick at least `everyMs` after its last run (by the scheduler's clock); its failure is logged, never stops the others. */
  every(name: string, everyMs: number, run: () => Promise<void>): void {
    this.tasks.push({ name, everyMs, run, lastRunAt: null });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One pass: due deliveries until none are left, then expiry. Safe to call directly (tests, fake clocks). */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        while ((await this.engine.runDueDeliveries()) > 0) {}
        while ((await this.engine.expireDue()) > 0) {}
      } catch (error) {
        this.logger.error({ err: error }, "scheduler tick failed");
      }
      try {
        await this.runDueTasks();
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async runDueTasks(): Promise<void> {
    const now = this.clock().getTime();
    for (const task of this.tasks) {
      if (task.lastRunAt !== null && now - task.lastRunAt < task.everyMs) continue;
      task.lastRunAt = now;
      try {
        await task.run();
      } catch (error) {
        this.logger.error({ err: error, task: task.name }, "scheduled check failed");
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
