import type { MessageSurface, SurfaceAddress } from '../../src/core/ports.js';

export type SurfaceOp =
  | { readonly op: 'post'; readonly id: string; readonly text: string }
  | { readonly op: 'edit'; readonly id: string; readonly text: string }
  | { readonly op: 'followUp'; readonly id: string; readonly after: string; readonly text: string };

/**
 * An in-memory MessageSurface for core tests: records every call, keeps each message's current
 * text, and can be told to fail the next edits.
 */
export class RecordingSurface implements MessageSurface {
  readonly ops: SurfaceOp[] = [];
  readonly messages = new Map<string, string>();
  completedWith: readonly string[] | undefined;
  /** Number of upcoming edit calls that will throw. */
  failNextEdits = 0;
  /** Edits currently awaiting completion; a correct caller never has two. */
  inFlight = 0;
  maxInFlight = 0;
  private nextId = 1;

  constructor(
    readonly maxLength = 2000,
    readonly editIntervalMs = 1000,
    /** Delay of each platform call, to expose overlapping edits. */
    private readonly latencyMs = 0,
    private readonly channelId = 'test:ws:chan',
  ) {}

  async post(text: string): Promise<string> {
    const id = `m${this.nextId++}`;
    await this.delay();
    this.messages.set(id, text);
    this.ops.push({ op: 'post', id, text });
    return id;
  }

  async edit(messageId: string, text: string): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.delay();
      if (this.failNextEdits > 0) {
        this.failNextEdits--;
        throw new Error('edit failed (injected)');
      }
      if (!this.messages.has(messageId)) throw new Error(`unknown message ${messageId}`);
      this.messages.set(messageId, text);
      this.ops.push({ op: 'edit', id: messageId, text });
    } finally {
      this.inFlight--;
    }
  }

  async postFollowUp(text: string, previousMessageId: string): Promise<string> {
    const id = `m${this.nextId++}`;
    await this.delay();
    this.messages.set(id, text);
    this.ops.push({ op: 'followUp', id, after: previousMessageId, text });
    return id;
  }

  address(): SurfaceAddress {
    return { platform: 'test', channelId: this.channelId, messageIds: [...this.messages.keys()] };
  }

  completed(messageIds: readonly string[]): void {
    this.completedWith = messageIds;
  }

  /** The reply as a reader sees it: every message's text in order, joined. */
  shownText(): string {
    return [...this.messages.values()].join('');
  }

  edits(): SurfaceOp[] {
    return this.ops.filter((o) => o.op === 'edit');
  }

  private async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
  }
}
