/** Ids remembered at most, however busy the workspace; far more than Slack's retry window sees. */
const MAX_REMEMBERED_EVENTS = 10_000;

/**
 * Slack redelivers an event it thinks went unanswered (X-Slack-Retry-Num, same event_id). Each
 * event_id is acted on once: the first delivery that arrives wins, whether it is the original or
 * a retry of one that never reached us. Ids are forgotten after Slack's retry window (its last
 * retry comes about 5 minutes after the first try), and past MAX_REMEMBERED_EVENTS the oldest go
 * first, so a flood of reactions cannot grow memory for the whole window.
 */
export class EventDeduplicator {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly maxRemembered = MAX_REMEMBERED_EVENTS,
  ) {}

  /** True the first time an id is offered within the window; false for every repeat. */
  firstTime(eventId: string): boolean {
    const now = Date.now();
    this.forgetOlderThan(now - this.ttlMs);
    if (this.seen.has(eventId)) return false;
    this.seen.set(eventId, now);
    if (this.seen.size > this.maxRemembered) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  /** Ids currently remembered (for tests). */
  get remembered(): number {
    return this.seen.size;
  }

  private forgetOlderThan(cutoff: number): void {
    // Map iteration follows insertion order, so the oldest ids come first.
    for (const [id, at] of this.seen) {
      if (at >= cutoff) break;
      this.seen.delete(id);
    }
  }
}
