import {
  DiscordAPIError,
  InteractionWebhook,
  MessageFlags,
  RESTEvents,
  type Client,
  type MessageMentionOptions,
  type RateLimitData,
  type SendableChannels,
} from 'discord.js';
import type { Logger } from '../../core/ports.js';
import type { ChannelWriteBudget } from './write-budget.js';

/** Every message the bot sends or edits pings no one: generated text may contain anything. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

/** An interaction's webhook: the application id and the 15-minute interaction token. */
export interface InteractionHook {
  readonly applicationId: string;
  readonly token: string;
}

/** How long a webhook token is remembered for attributing a 429 to its channel. */
const HOOK_MEMORY_MS = 20 * 60_000;

/**
 * The only place that writes messages to Discord. Each write first takes a slot from the
 * channel's budget and always carries NO_MENTIONS; 429s are retried by discord.js's REST queue
 * (the awaited call simply takes longer) and pause the channel's budget for their retry_after.
 */
export class DiscordMessenger {
  /** discord.js's major parameter for webhook routes (`app/token`) → the channel it writes to. */
  private readonly hookChannels = new Map<string, { channelId: string; at: number }>();

  constructor(
    private readonly client: Client,
    private readonly budget: ChannelWriteBudget,
    private readonly logger: Logger,
  ) {
    client.rest.on(RESTEvents.RateLimited, (info) => this.onRateLimited(info));
  }

  /** Posts a new message in the channel, optionally as a reply; returns its id. */
  async channelPost(channelId: string, text: string, replyToMessageId?: string): Promise<string> {
    const channel = await this.sendableChannel(channelId);
    await this.budget.acquire(channelId);
    const message = await channel.send({
      content: text,
      allowedMentions: NO_MENTIONS,
      ...(replyToMessageId ? { reply: { messageReference: replyToMessageId, failIfNotExists: false } } : {}),
    });
    return message.id;
  }

  /** Edits a message the bot owns through the bot token (no interaction token needed). */
  async channelEdit(channelId: string, messageId: string, text: string): Promise<void> {
    const channel = await this.sendableChannel(channelId);
    await this.budget.acquire(channelId, messageId);
    await channel.messages.edit(messageId, { content: text, allowedMentions: NO_MENTIONS });
  }

  /** Edits a message of an interaction (`@original` for its first response); returns the real id. */
  async webhookEdit(channelId: string, hook: InteractionHook, messageId: string, text: string): Promise<string> {
    // '@original' names a different message for every interaction: key its pacing by token.
    await this.budget.acquire(channelId, messageId === '@original' ? `${hook.token}/@original` : messageId);
    const message = await this.webhook(channelId, hook).editMessage(messageId, {
      content: text,
      allowedMentions: NO_MENTIONS,
    });
    return message.id;
  }

  /** A follow-up message of an interaction (public unless `ephemeral`); returns its id. */
  async webhookFollowUp(channelId: string, hook: InteractionHook, text: string, ephemeral = false): Promise<string> {
    await this.budget.acquire(channelId);
    const message = await this.webhook(channelId, hook).send({
      content: text,
      allowedMentions: NO_MENTIONS,
      ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
    });
    return message.id;
  }

  private webhook(channelId: string, hook: InteractionHook): InteractionWebhook {
    const now = Date.now();
    this.hookChannels.set(`${hook.applicationId}/${hook.token}`, { channelId, at: now });
    if (this.hookChannels.size > 100) {
      for (const [key, entry] of this.hookChannels) if (entry.at < now - HOOK_MEMORY_MS) this.hookChannels.delete(key);
    }
    return new InteractionWebhook(this.client as Client<true>, hook.applicationId, hook.token);
  }

  private async sendableChannel(channelId: string): Promise<SendableChannels & { messages: { edit: EditFn } }> {
    const channel = await this.client.channels.fetch(channelId);
    if (!channel?.isSendable() || !('messages' in channel)) {
      throw new Error(`Discord channel ${channelId} cannot take messages`);
    }
    return channel as SendableChannels & { messages: { edit: EditFn } };
  }

  private onRateLimited(info: RateLimitData): void {
    const channelId = this.hookChannels.get(info.majorParameter)?.channelId ??
      (/^\/channels\//.test(info.route) ? info.majorParameter : undefined);
    this.logger.warn(
      { route: info.route, method: info.method, retryAfterMs: info.retryAfter, global: info.global, channelId },
      'Discord rate limit hit; pausing writes',
    );
    if (channelId !== undefined) this.budget.pause(channelId, info.retryAfter);
  }
}

type EditFn = (messageId: string, options: { content: string; allowedMentions: MessageMentionOptions }) => Promise<unknown>;

/** The interaction token no longer works (expired or revoked): write through the bot token. */
export function isInteractionTokenGone(error: unknown): boolean {
  return (
    error instanceof DiscordAPIError &&
    (error.code === 50027 /* Invalid Webhook Token */ ||
      error.code === 10015 /* Unknown Webhook */ ||
      error.status === 401)
  );
}
