/**
 * Slack limits chat.update per workspace (Tier 3, about 50 a minute), not per message or per job,
 * so every reply being written in one workspace draws from one token bucket. Callers wait their
 * turn in order, except that urgent calls (a story's final update) go before every ordinary one:
 * with 30 stories growing at once, a finished story should not wait behind 29 progress updates.
 * A 429 pauses the whole bucket for its Retry-After, since every further call in that workspace
 * would be refused too.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  /** Takers waiting for a token, first come first served within each class. */
  private readonly urgent: (() => void)[] = [];
  private readonly ordinary: (() => void)[] = [];
  private serving = false;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
  ) {
    if (perMinute <= 0 || burst < 1) throw new RangeError('perMinute must be > 0 and burst ≥ 1');
    this.tokens = burst;
    this.refilledAt = Date.now();
  }

  /** Resolves once one call may go out; urgent takers are served before ordinary ones. */
  take(urgent = false): Promise<void> {
    return new Promise((resolve) => {
      (urgent ? this.urgent : this.ordinary).push(resolve);
      void this.serve();
    });
  }

  /** Nothing leaves this bucket for `ms` (a 429's Retry-After). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }

  /** One loop hands out tokens while anyone waits; the next taker is chosen when a token exists. */
  private async serve(): Promise<void> {
    if (this.serving) return;
    this.serving = true;
    try {
      while (this.urgent.length > 0 || this.ordinary.length > 0) {
        const waitMs = this.claimToken();
        if (waitMs > 0) {
          await sleep(waitMs);
          continue;
        }
        (this.urgent.shift() ?? this.ordinary.shift())?.();
      }
    } finally {
      this.serving = false;
    }
  }

  /** Takes a token and returns 0, or returns how long until one may be taken. */
  private claimToken(): number {
    const now = Date.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute);
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
