import type { ChannelId, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import type { TerminalScreen } from './terminal-screen.js';

export const CONSOLE_PLATFORM = 'console';

/**
 * One reply in the terminal. A terminal has no message limit worth the name, but the same
 * follow-up rules apply, so parts are shown as one text joined back together.
 */
export class ConsoleSurface implements MessageSurface {
  readonly maxLength = 4000;
  /** A terminal can take far more edits than a chat platform; 4 per second looks smooth. */
  readonly editIntervalMs = 250;
  private readonly parts = new Map<string, string>();
  private nextId = 1;

  constructor(
    private readonly screen: TerminalScreen,
    private readonly label: string,
    private readonly channelId: ChannelId,
  ) {}

  async post(text: string): Promise<string> {
    return this.add(text);
  }

  async edit(messageId: string, text: string): Promise<void> {
    if (!this.parts.has(messageId)) throw new Error(`no such console message ${messageId}`);
    this.parts.set(messageId, text);
    this.draw();
  }

  async postFollowUp(text: string): Promise<string> {
    return this.add(text);
  }

  address(): SurfaceAddress {
    return { platform: CONSOLE_PLATFORM, channelId: this.channelId, messageIds: [...this.parts.keys()] };
  }

  completed(): void {
    this.screen.settle(this.label);
  }

  private add(text: string): string {
    const id = `${this.label}.${this.nextId++}`;
    this.parts.set(id, text);
    this.draw();
    return id;
  }

  private draw(): void {
    this.screen.show(this.label, [...this.parts.values()].join(''));
  }
}
