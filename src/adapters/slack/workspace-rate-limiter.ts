/**
 * Slack limits chat.update per workspace (Tier 3, about 50 a minute), not per message or per job,
 * so every reply being written in one workspace draws from one token bucket. Callers wait their
 * turn in order; a 429 pauses the whole bucket for its Retry-After, since every further call in
 * that workspace would be refused too.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  /** Takers queue behind each other so the bucket is fair (first to ask, first served). */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {
    if (perMinute <= 0 || burst < 1) throw new RangeError('perMinute must be > 0 and burst ≥ 1');
    this.tokens = burst;
    this.refilledAt = Date.now();
  }

  /** Resolves once one call may go out. */
  take(): Promise<void> {
    const turn = this.tail.then(() => this.waitForToken());
    this.tail = turn;
    return turn;
  }

  /** Nothing leaves this bucket for `ms` (a 429's Retry-After). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now);
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute));
    }
  }

  private refill(now: number): void {
    const earned = ((now - this.refilledAt) * this.perMinute) / 60_000;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.refilledAt = now;
  }
}

/** One bucket per Slack workspace (team id), created on first use. */
export class WorkspaceRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {}

  bucket(teamId: string): TokenBucket {
    let bucket = this.buckets.get(teamId);
    if (!bucket) {
      bucket = new TokenBucket(this.perMinute, this.burst);
      this.buckets.set(teamId, bucket);
    }
    return bucket;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
