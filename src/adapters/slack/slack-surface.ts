import type { ChannelId, EditOptions, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import { PermanentPlatformError } from '../../core/errors.js';
import { platformError } from './slack-errors.js';
import { SLACK_PLATFORM, parseSlackChannelId } from './slack-ids.js';
import type { SlackMessenger } from './slack-messenger.js';

/** Slack's limit for the text of one message. */
export const SLACK_MAX_MESSAGE_LENGTH = 4000;

export interface SlackSurfaceOptions {
  readonly channelId: ChannelId;
  /** Post into this thread (a 🔁 story answers in the thread of the story it repeats). */
  readonly threadTs?: string;
  /** Messages already posted for this reply (restart recovery). */
  readonly messageIds?: readonly string[];
  readonly editIntervalMs: number;
  /**
   * Told once when Slack refuses the first post because the bot may not write here (a private
   * channel it was not invited to, an archived channel); the story fails either way, but the
   * person who asked can be told why.
   */
  readonly onPostRefused?: (slackError: string) => void;
}

/** Slack errors that mean "the bot cannot post in this conversation", not a passing fault. */
const NO_ACCESS_ERRORS = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'restricted_action']);

/**
 * One reply in a Slack channel: chat.postMessage for the first part, chat.update (through the
 * workspace's shared bucket) as it grows, and further parts as replies in the thread of the
 * first message, so a long story never floods the channel.
 */
export class SlackSurface implements MessageSurface {
  readonly maxLength = SLACK_MAX_MESSAGE_LENGTH;
  readonly editIntervalMs: number;
  private readonly teamId: string;
  private readonly channel: string;
  private readonly channelId: ChannelId;
  private threadTs: string | undefined;
  private readonly messageIds: string[];
  private onPostRefused: ((slackError: string) => void) | undefined;

  constructor(
    private readonly messenger: SlackMessenger,
    options: SlackSurfaceOptions,
  ) {
    const { teamId, channel } = parseSlackChannelId(options.channelId);
    this.teamId = teamId;
    this.channel = channel;
    this.channelId = options.channelId;
    this.threadTs = options.threadTs;
    this.messageIds = [...(options.messageIds ?? [])];
    this.editIntervalMs = options.editIntervalMs;
    this.onPostRefused = options.onPostRefused;
  }

  async post(text: string): Promise<string> {
    let ts: string;
    try {
      ts = await this.messenger.post(this.channel, text, this.threadTs);
    } catch (error) {
      const slackError = platformError(error);
      if (this.messageIds.length === 0 && slackError !== undefined && NO_ACCESS_ERRORS.has(slackError)) {
        // Once: the person needs to hear it only once.
        this.onPostRefused?.(slackError);
        this.onPostRefused = undefined;
        throw new PermanentPlatformError(`Slack refused to post in ${this.channel}: ${slackError}`, { cause: error });
      }
      throw error;
    }
    this.messageIds.push(ts);
    return ts;
  }

  async edit(messageId: string, text: string, options?: EditOptions): Promise<void> {
    await this.messenger.update(this.teamId, this.channel, messageId, text, options?.final ?? false);
  }

  async postFollowUp(text: string, previousMessageId: string): Promise<string> {
    // Replies go under a thread's root: the first message of this reply unless it already
    // lives in a thread. Slack wants the parent's ts, never a reply's.
    this.threadTs ??= this.messageIds[0] ?? previousMessageId;
    const ts = await this.messenger.post(this.channel, text, this.threadTs);
    this.messageIds.push(ts);
    return ts;
  }

  address(): SurfaceAddress {
    return {
      platform: SLACK_PLATFORM,
      channelId: this.channelId,
      messageIds: [...this.messageIds],
      ...(this.threadTs === undefined ? {} : { extra: { threadTs: this.threadTs } }),
    };
  }
}

/** The thread a resumed surface was writing into, if any. */
export function threadTsOf(address: SurfaceAddress): string | undefined {
  const value = address.extra?.['threadTs'];
  return typeof value === 'string' ? value : undefined;
}
