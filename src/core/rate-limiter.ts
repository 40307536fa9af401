/**
 * A sliding-window limit of events per key per minute (jobs per user). In memory on purpose:
 * after a restart everyone starts with a fresh allowance, which errs on the friendly side.
 */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event and returns 0, or returns the milliseconds until one is allowed. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.events.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= this.perMinute) {
      this.events.set(key, recent);
      return 60_000 - (now - (recent[0] ?? now));
    }
    recent.push(now);
    this.events.set(key, recent);
    return 0;
  }

  /** Gives back the latest event of `key`: a request refused for another reason (a full queue) used nothing. */
  refund(key: string): void {
    this.events.get(key)?.pop();
  }
}
