import { MessageGoneError, MessageUneditableError, PermanentPlatformError } from './errors.js';
import type { Logger, MessageSurface } from './ports.js';
import { splitMessage } from './split-message.js';

export interface ProgressiveMessageOptions {
  readonly logger: Logger;
  /** Called for every failed edit (intermediate or final attempt), for metrics. */
  readonly onEditFailed?: (error: unknown) => void;
  /** Attempts for the final edit of each part before giving up. */
  readonly finalAttempts?: number;
  /** Pause between final attempts; doubled after each. */
  readonly finalRetryMs?: number;
  /** Message ids of a reply that was already posted (restart recovery). */
  readonly existingMessageIds?: readonly string[];
  /** Called after each new message of the reply is posted, with all ids so far. */
  readonly onPosted?: (messageIds: readonly string[]) => void;
}

/**
 * One reply that grows as text arrives (after vercel/chat's fallbackStream):
 * - a placeholder is posted first;
 * - edits happen on a timer of surface.editIntervalMs, never two in flight at once;
 * - an edit that would change nothing is skipped;
 * - a failed intermediate edit is logged and the stream goes on;
 * - after the stream, one authoritative final pass makes every message show its final part;
 * - text past surface.maxLength continues in follow-up messages instead of being cut;
 * - a message that is gone (MessageGoneError: someone deleted it) ends the reply: nothing more is
 *   posted or edited, and `removed` tells the writer to stop;
 * - a message that can no longer be edited (MessageUneditableError) is posted anew.
 */
export class ProgressiveMessage {
  private readonly ids: string[];
  /** What each posted message is known to show. */
  private readonly shown: string[] = [];
  private desired = '';
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlushAt = -Infinity;
  private finished = false;
  private gone = false;
  /** Edits wait until the placeholder exists, so an early update() cannot post twice. */
  private ready = false;

  constructor(
    private readonly surface: MessageSurface,
    private readonly options: ProgressiveMessageOptions,
  ) {
    this.ids = [...(options.existingMessageIds ?? [])];
  }

  get messageIds(): readonly string[] {
    return this.ids;
  }

  /**
   * Someone deleted one of the reply's messages (a moderator, or the user who asked): the reply
   * stops there. Posting the rest anew would undo their decision.
   */
  get removed(): boolean {
    return this.gone;
  }

  /** Posts the placeholder unless a message already exists (then shows the placeholder there). */
  async start(placeholder: string): Promise<void> {
    this.desired = placeholder;
    if (this.ids.length === 0) {
      let id: string;
      try {
        id = await this.surface.post(placeholder);
      } catch (error) {
        // Discord's placeholder replaces the interaction's "thinking…" response: deleted already.
        if (!(error instanceof MessageGoneError)) throw error;
        this.stopAsDeleted(undefined);
        return;
      }
      this.ids.push(id);
      this.shown[0] = placeholder;
      this.options.onPosted?.(this.ids);
    }
    this.ready = true;
    if (this.currentParts().some((p, i) => p !== this.shown[i])) this.schedule();
  }

  /** Sets the whole text the reply should show; it reaches the platform on the next tick. */
  update(text: string): void {
    if (this.finished) return;
    this.desired = text;
    this.schedule();
  }

  /**
   * Shows exactly `text` across as many messages as needed, retrying failed edits; resolves
   * once every part landed or retries ran out (then it throws the last error).
   */
  async finish(text: string): Promise<void> {
    this.finished = true;
    this.desired = text;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
    const attempts = this.options.finalAttempts ?? 4;
    let delay = this.options.finalRetryMs ?? 1000;
    for (let attempt = 1; !this.gone; attempt++) {
      try {
        await this.sync(true);
        if (!this.gone) this.surface.completed?.(this.ids);
        return;
      } catch (error) {
        this.options.onEditFailed?.(error);
        if (attempt >= attempts || error instanceof PermanentPlatformError) throw error;
        this.options.logger.warn({ err: error, attempt }, 'final edit failed; retrying');
        await sleep(delay);
        delay *= 2;
      }
    }
  }

  private schedule(): void {
    if (this.timer || this.inFlight || this.finished || !this.ready) return;
    const wait = Math.max(0, this.lastFlushAt + this.surface.editIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushIntermediate();
    }, wait);
  }

  private flushIntermediate(): void {
    if (this.finished) return;
    this.lastFlushAt = Date.now();
    this.inFlight = this.sync(false)
      .catch((error: unknown) => {
        this.options.onEditFailed?.(error);
        this.options.logger.warn({ err: error }, 'intermediate edit failed; carrying on');
      })
      .finally(() => {
        this.inFlight = undefined;
        if (!this.finished && this.currentParts().some((p, i) => p !== this.shown[i])) {
          this.schedule();
        }
      });
  }

  private stopAsDeleted(messageId: string | undefined): void {
    this.options.logger.info({ messageId }, 'message deleted; the reply stops here');
    this.gone = true;
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private currentParts(): string[] {
    return splitMessage(this.desired, this.surface.maxLength);
  }

  /**
   * Brings every message in line with the desired text. Only the growing part changes between
   * ticks, so a pass is one edit, plus one more each time a message fills up and a follow-up
   * begins.
   */
  private async sync(final: boolean): Promise<void> {
    const parts = this.currentParts();
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] ?? '';
      const id = this.ids[i];
      if (id === undefined) {
        await this.postPart(i, part);
        continue;
      }
      if (this.shown[i] === part) continue;
      try {
        await this.surface.edit(id, part, { final });
      } catch (error) {
        if (error instanceof MessageUneditableError) {
          // Still there, only frozen: the reader gets the rest in a new message.
          this.options.logger.info({ messageId: id }, 'message can no longer be edited; posting that part anew');
          await this.postPart(i, part);
          continue;
        }
        if (!(error instanceof MessageGoneError)) throw error;
        this.stopAsDeleted(id);
        return;
      }
      this.shown[i] = part;
    }
  }

  /** Posts part `i` as a new message (a follow-up of part i-1 when there is one) in slot `i`. */
  private async postPart(i: number, part: string): Promise<void> {
    const previous = this.ids[i - 1];
    this.ids[i] = previous === undefined ? await this.surface.post(part) : await this.surface.postFollowUp(part, previous);
    this.shown[i] = part;
    this.options.onPosted?.(this.ids);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
