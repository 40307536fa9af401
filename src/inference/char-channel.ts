/**
 * A one-producer, one-consumer stream of text. The producer pushes characters as they are sampled;
 * the consumer gets everything pushed since its last read in one piece, so a slow reader is
 * handed bigger chunks instead of falling behind character by character.
 */
export class CharChannel implements AsyncIterable<string> {
  private buffer = '';
  private finished = false;
  private failure: unknown;
  private wake: (() => void) | undefined;
  private closeListeners: (() => void)[] = [];

  /** Called once when the consumer stops reading early (break/return from for-await). */
  constructor(private readonly onCancel: () => void = () => {}) {}

  get closed(): boolean {
    return this.finished;
  }

  /** Runs once when the stream finishes, however it finishes (end, failure, reader gone). */
  onClose(listener: () => void): void {
    if (this.finished) listener();
    else this.closeListeners.push(listener);
  }

  push(text: string): void {
    if (this.finished) return;
    this.buffer += text;
    this.notify();
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.notify();
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = error ?? new Error('generation failed');
    this.finished = true;
    this.notify();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    let completed = false;
    try {
      for (;;) {
        if (this.buffer.length > 0) {
          const chunk = this.buffer;
          this.buffer = '';
          yield chunk;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.finished) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
      }
      completed = true;
    } finally {
      if (!completed && !this.finished) {
        this.finished = true;
        this.onCancel();
        this.notify();
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
    if (this.finished) {
      const listeners = this.closeListeners;
      this.closeListeners = [];
      for (const listener of listeners) listener();
    }
  }
}
