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

/** One write in a channel's window. */
interface Slot {
  /** When the write was granted, then when it finished: Discord counts it on arrival, which lies between. */
  at: number;
  inFlight: boolean;
  readonly finished: Promise<void>;
  finish(): void;
}

interface ChannelState {
  slots: Slot[];
  /** Set by a 429: nothing is granted in this channel before then. */
  blockedUntil: number;
  /** Writes are granted in the order they asked (a FIFO chain). */
  tail: Promise<void>;
  waiting: number;
}

/**
 * One shared write budget per Discord channel: every story streaming into a channel takes its
 * writes from the same sliding window, so several stories at once slow down together instead of
 * tripping Discord's rate limit. A write counts from when it is granted until a window after it
 * finished, so network latency can never squeeze more writes into Discord's window than allowed.
 * A 429 pauses the channel here too (pause()), so our queue and discord.js's agree on when the
 * next write may go.
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
   * Runs `write` once the channel's window has room — for an edit (`editKey` names the message),
   * also at least messageIntervalMs after the previous edit of that message finished.
   */
  async write<T>(channelId: string, editKey: string | undefined, write: () => Promise<T>): Promise<T> {
    const slot = await this.acquire(channelId, editKey);
    try {
      return await write();
    } finally {
      slot.at = Date.now();
      slot.inFlight = false;
      if (editKey !== undefined) this.lastEditOf.set(editKey, slot.at);
      slot.finish();
    }
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

  private acquire(channelId: string, editKey: string | undefined): Promise<Slot> {
    const state = this.state(channelId);
    state.waiting += 1;
    const turn = state.tail.then(async () => {
      if (editKey !== undefined) {
        const last = this.lastEditOf.get(editKey);
        if (last !== undefined) await sleepUntil(last + this.messageIntervalMs);
      }
      return this.waitForSlot(state);
    });
    state.tail = turn.then(
      () => this.leave(channelId, state),
      () => this.leave(channelId, state),
    );
    return turn;
  }

  private leave(channelId: string, state: ChannelState): void {
    state.waiting -= 1;
    this.forgetIfIdle(channelId, state);
  }

  private state(channelId: string): ChannelState {
    let state = this.channels.get(channelId);
    if (!state) {
      if (this.channels.size >= 1000) this.sweep();
      state = { slots: [], blockedUntil: 0, tail: Promise.resolve(), waiting: 0 };
      this.channels.set(channelId, state);
    }
    return state;
  }

  private async waitForSlot(state: ChannelState): Promise<Slot> {
    for (;;) {
      const now = Date.now();
      state.slots = state.slots.filter((s) => s.inFlight || s.at > now - this.windowMs);
      if (now < state.blockedUntil) {
        await sleepUntil(state.blockedUntil);
        continue;
      }
      if (state.slots.length < this.writesPerWindow) {
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const slot: Slot = { at: now, inFlight: true, finished, finish };
        state.slots.push(slot);
        return slot;
      }
      // Full: wait for the first finished write to leave the window, or an in-flight one to finish.
      const done = state.slots.filter((s) => !s.inFlight).map((s) => s.at + this.windowMs);
      const waits: Promise<void>[] = state.slots.filter((s) => s.inFlight).map((s) => s.finished);
      if (done.length > 0) waits.push(sleepUntil(Math.min(...done)));
      await Promise.race(waits);
    }
  }

  private sweep(): void {
    for (const [id, state] of this.channels) this.forgetIfIdle(id, state);
  }

  /** Keeps memory flat on a bot in many channels: idle channels with an empty window go. */
  private forgetIfIdle(channelId: string, state: ChannelState): void {
    const now = Date.now();
    const busy = state.slots.some((s) => s.inFlight || s.at > now - this.windowMs);
    if (state.waiting === 0 && !busy && state.blockedUntil <= now) this.channels.delete(channelId);
    if (this.lastEditOf.size > 1000) {
      for (const [id, at] of this.lastEditOf) if (at <= now - this.messageIntervalMs) this.lastEditOf.delete(id);
    }
  }
}

function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
