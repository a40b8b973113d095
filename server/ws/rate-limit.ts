/** Per-socket message rate: at most `perSecond` frames in any one-second window (fixed window, no timers). */
export class MessageRate {
  private windowStart = 0;
  private count = 0;

  constructor(private readonly perSecond: number) {}

  /** Counts one message; false when it is over the limit. */
  take(now = Date.now()): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.count = 0;
    }
    this.count++;
    return this.count <= this.perSecond;
  }
}
