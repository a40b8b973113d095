/**
 * Runs the durable parts of workflows: every tick it sends due steps (claimed atomically, so several
 * processes can run it at once) and expires verifications past their validity. Ticks never overlap.
 */
import type { Logger } from "pino";
import type { VerificationEngine } from "./engine.ts";

export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly engine: VerificationEngine,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

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
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
