/** Discord's edit limits in practice, written once. */
export const WRITE_BUDGET_DEFAULTS = {
  /** Writes (posts and edits) per channel within one window. */
  writesPerWindow: 5,
  windowMs: 5_000,
  /** Smallest gap between two edits of one message. */
  messageIntervalMs: 1_000,
} as const;

export interface WriteBudgetOptions {
  readonly writesPerWindow?: number;
  readonly windowMs?: number;
  readonly messageIntervalMs?: number;
}

interface ChannelState {
  /** When each write of the current window was granted, oldest first. */
  readonly grants: number[];
  /** Set by a 429: nothing is granted in this channel before then. */
  blockedUntil: number;
  /** Writes are granted in the order they asked (a FIFO chain). */
  tail: Promise<void>;
  waiting: number;
}

/**
 * One shared write budget per Discord channel: every story streaming into a channel takes its
 * writes from the same sliding window, so several stories at once slow down together instead of
 * tripping Discord's rate limit. A 429 seen by discord.js's REST queue pauses the channel here too
 * (pause()), so our queue and theirs agree on when the next write may go.
 */
export class ChannelWriteBudget {
  private readonly channels = new Map<string, ChannelState>();
  private readonly lastEditOf = new Map<string, number>();
  private readonly writesPerWindow: number;
  private readonly windowMs: number;
  private readonly messageIntervalMs: number;

  constructor(options: WriteBudgetOptions = {}) {
    this.writesPerWindow = options.writesPerWindow ?? WRITE_BUDGET_DEFAULTS.writesPerWindow;
    this.windowMs = options.windowMs ?? WRITE_BUDGET_DEFAULTS.windowMs;
    this.messageIntervalMs = options.messageIntervalMs ?? WRITE_BUDGET_DEFAULTS.messageIntervalMs;
  }

  /**
   * Resolves when one more write may go to `channelId`; for an edit, also at least
   * messageIntervalMs after the previous edit of that message was granted.
   */
  acquire(channelId: string, editOfMessageId?: string): Promise<void> {
    const state = this.state(channelId);
    state.waiting += 1;
    const turn = state.tail.then(async () => {
      if (editOfMessageId !== undefined) {
        const last = this.lastEditOf.get(editOfMessageId);
        if (last !== undefined) await sleepUntil(last + this.messageIntervalMs);
      }
      await this.waitForSlot(state);
      if (editOfMessageId !== undefined) this.lastEditOf.set(editOfMessageId, Date.now());
    });
    state.tail = turn.finally(() => {
      state.waiting -= 1;
      this.forgetIfIdle(channelId, state);
    });
    return turn;
  }

  /** Nothing more goes to this channel for `ms` (Discord answered 429 with this retry_after). */
  pause(channelId: string, ms: number): void {
    const state = this.state(channelId);
    state.blockedUntil = Math.max(state.blockedUntil, Date.now() + ms);
  }

  /** Writes waiting for a slot in this channel (for tests and metrics). */
  waitingIn(channelId: string): number {
    return this.channels.get(channelId)?.waiting ?? 0;
  }

  private state(channelId: string): ChannelState {
    let state = this.channels.get(channelId);
    if (!state) {
      if (this.channels.size >= 1000) this.sweep();
      state = { grants: [], blockedUntil: 0, tail: Promise.resolve(), waiting: 0 };
      this.channels.set(channelId, state);
    }
    return state;
  }

  private async waitForSlot(state: ChannelState): Promise<void> {
    for (;;) {
      const now = Date.now();
      while (state.grants.length > 0 && (state.grants[0] ?? 0) <= now - this.windowMs) state.grants.shift();
      const windowFreeAt =
        state.grants.length < this.writesPerWindow ? now : (state.grants[0] ?? now) + this.windowMs;
      const at = Math.max(windowFreeAt, state.blockedUntil);
      if (at <= now) {
        state.grants.push(now);
        return;
      }
      await sleepUntil(at);
    }
  }

  private sweep(): void {
    for (const [id, state] of this.channels) this.forgetIfIdle(id, state);
  }

  /** Keeps memory flat on a bot in many channels: idle channels with an empty window go. */
  private forgetIfIdle(channelId: string, state: ChannelState): void {
    const now = Date.now();
    const lastGrant = state.grants[state.grants.length - 1] ?? 0;
    if (state.waiting === 0 && lastGrant <= now - this.windowMs && state.blockedUntil <= now) {
      this.channels.delete(channelId);
    }
    // Edit stamps older than the interval no longer constrain anything.
    if (this.lastEditOf.size > 1000) {
      for (const [id, at] of this.lastEditOf) if (at <= now - this.messageIntervalMs) this.lastEditOf.delete(id);
    }
  }
}

function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
