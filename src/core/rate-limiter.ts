/** The window every limit is counted over. */
const WINDOW_MS = 60_000;

/**
 * A sliding-window limit of events per key per minute (jobs per user). In memory on purpose:
 * after a restart everyone starts with a fresh allowance, which errs on the friendly side.
 * A key whose events have all left the window is forgotten, so a bot in a large public server
 * holds only the users active in the last minute, not everyone who ever asked.
 */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();
  /** Sweep stale keys once the map has grown this far past its size after the last sweep. */
  private sweepAt = 1024;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records an event and returns 0, or returns the milliseconds until one is allowed. */
  take(key: string): number {
    const now = this.now();
    if (this.events.size >= this.sweepAt) this.forgetIdle(now);
    const recent = (this.events.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= this.perMinute) {
      this.events.set(key, recent);
      return WINDOW_MS - (now - (recent[0] ?? now));
    }
    recent.push(now);
    this.events.set(key, recent);
    return 0;
  }

  /** Gives back the latest event of `key`: a request refused for another reason (a full queue) used nothing. */
  refund(key: string): void {
    const recent = this.events.get(key);
    recent?.pop();
    if (recent?.length === 0) this.events.delete(key);
  }

  /** Keys still remembered (users with an event in the last minute, give or take a sweep). */
  get trackedKeys(): number {
    return this.events.size;
  }

  /** Drops keys with no event in the window; the next sweep waits until the map doubles again. */
  private forgetIdle(now: number): void {
    for (const [key, times] of this.events) {
      if (times.every((t) => now - t >= WINDOW_MS)) this.events.delete(key);
    }
    this.sweepAt = Math.max(1024, this.events.size * 2);
  }
}
