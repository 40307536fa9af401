/**
 * Characters generated per second over a sliding window, kept in one bucket per second so the
 * memory stays fixed however busy the bot is.
 */
export class SlidingRate {
  private readonly buckets: number[];
  private readonly seconds: number[];

  constructor(
    private readonly windowSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new Array<number>(windowSeconds).fill(0);
    this.seconds = new Array<number>(windowSeconds).fill(-1);
  }

  add(count: number): void {
    const second = Math.floor(this.now() / 1000);
    const slot = second % this.windowSeconds;
    if (this.seconds[slot] !== second) {
      this.seconds[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] ?? 0) + count;
  }

  /** Average per second over the last windowSeconds whole and current seconds. */
  perSecond(): number {
    const current = Math.floor(this.now() / 1000);
    let total = 0;
    for (let slot = 0; slot < this.windowSeconds; slot++) {
      const second = this.seconds[slot] ?? -1;
      if (second > current - this.windowSeconds && second <= current) total += this.buckets[slot] ?? 0;
    }
    return total / this.windowSeconds;
  }
}
