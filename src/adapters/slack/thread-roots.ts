import type { webApi } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';

/** How many posted messages the in-memory index remembers before forgetting the oldest. */
const REMEMBERED_MESSAGES = 10_000;

/**
 * A 🔁 story goes into the thread of the story it repeats, and Slack wants a thread's parent ts
 * there, never a reply's. A reaction event carries only the message's own ts, so the root comes
 * from what this process posted, or (after a restart) from conversations.replies, whose first
 * message is the thread's parent. When neither knows, the message itself is the root.
 */
export class ThreadRoots {
  private readonly roots = new Map<string, string>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
  ) {}

  remember(channel: string, ts: string, threadTs: string | undefined): void {
    this.roots.set(`${channel}:${ts}`, threadTs ?? ts);
    if (this.roots.size > REMEMBERED_MESSAGES) {
      const oldest = this.roots.keys().next().value;
      if (oldest !== undefined) this.roots.delete(oldest);
    }
  }

  async rootOf(channel: string, ts: string): Promise<string> {
    const known = this.roots.get(`${channel}:${ts}`);
    if (known !== undefined) return known;
    try {
      const reply = await this.client.conversations.replies({ channel, ts, limit: 1 });
      const parent = reply.messages?.[0];
      return parent?.thread_ts ?? parent?.ts ?? ts;
    } catch (error) {
      this.logger.debug({ err: error, channel, ts }, 'conversations.replies failed; using the message as root');
      return ts;
    }
  }
}
