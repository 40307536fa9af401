import type { ChannelId, Logger, MessageSurface, SurfaceAddress } from '../../core/ports.js';
import { DeferredReply } from './deferred-reply.js';
import { DISCORD_PLATFORM, parseDiscordChannelId } from './discord-ids.js';
import { isInteractionTokenGone, type DiscordMessenger } from './discord-messenger.js';

/** Discord's message content limit. */
export const DISCORD_MAX_LENGTH = 2000;

export interface DiscordSurfaceOptions {
  readonly channelId: ChannelId;
  readonly messenger: DiscordMessenger;
  readonly logger: Logger;
  readonly editIntervalMs: number;
  /** The deferred interaction the story answers, while its token lasts. */
  readonly reply?: DeferredReply;
  /** The first message is posted as a reply to this one (🔁 regenerations). */
  readonly replyToMessageId?: string;
  /** Restart recovery: what was already posted. */
  readonly messageIds?: readonly string[];
  readonly webhookMessageIds?: readonly string[];
}

/**
 * One story reply on Discord. While the interaction token is usable, messages are written
 * through the interaction's webhook (the deferred response, then follow-ups); after that — or
 * once Discord refuses the token — through the bot token as ordinary channel messages, editing
 * the interaction's messages by id, which the bot owns.
 */
export class DiscordSurface implements MessageSurface {
  readonly maxLength = DISCORD_MAX_LENGTH;
  readonly editIntervalMs: number;
  private readonly channel: string;
  private readonly messageIds: string[];
  /** Messages written through the interaction webhook (editable with the token). */
  private readonly webhookIds: Set<string>;

  constructor(private readonly options: DiscordSurfaceOptions) {
    this.editIntervalMs = options.editIntervalMs;
    this.channel = parseDiscordChannelId(options.channelId).channelId;
    this.messageIds = [...(options.messageIds ?? [])];
    this.webhookIds = new Set(options.webhookMessageIds ?? []);
  }

  async post(text: string): Promise<string> {
    const reply = this.publicReply();
    if (reply?.original === 'loading') {
      reply.original = 'used';
      const id = await this.viaWebhook(
        (hook) => this.options.messenger.webhookEdit(this.channel, hook, '@original', text),
        () => this.options.messenger.channelPost(this.channel, text, this.options.replyToMessageId),
      );
      if (this.webhookIds.has(id)) reply.originalMessageId = id;
      return this.remember(id);
    }
    if (reply) {
      return this.remember(await this.viaWebhook(
        (hook) => this.options.messenger.webhookFollowUp(this.channel, hook, text),
        () => this.options.messenger.channelPost(this.channel, text, this.options.replyToMessageId),
      ));
    }
    return this.remember(await this.options.messenger.channelPost(this.channel, text, this.options.replyToMessageId));
  }

  async postFollowUp(text: string, _previousMessageId: string): Promise<string> {
    if (this.publicReply()) {
      return this.remember(await this.viaWebhook(
        (hook) => this.options.messenger.webhookFollowUp(this.channel, hook, text),
        () => this.options.messenger.channelPost(this.channel, text),
      ));
    }
    return this.remember(await this.options.messenger.channelPost(this.channel, text));
  }

  async edit(messageId: string, text: string): Promise<void> {
    const reply = this.options.reply;
    if (reply?.usable() && this.webhookIds.has(messageId)) {
      const target = messageId === reply.originalMessageId ? '@original' : messageId;
      await this.viaWebhook(
        (hook) => this.options.messenger.webhookEdit(this.channel, hook, target, text),
        async () => {
          await this.options.messenger.channelEdit(this.channel, messageId, text);
          return messageId;
        },
      );
      return;
    }
    await this.options.messenger.channelEdit(this.channel, messageId, text);
  }

  address(): SurfaceAddress {
    const reply = this.options.reply;
    const extra: Record<string, unknown> = {
      webhookMessageIds: [...this.webhookIds],
      ...(this.options.replyToMessageId ? { replyToMessageId: this.options.replyToMessageId } : {}),
    };
    // A dead token is worth nothing after a restart; a live one lets recovery keep the webhook.
    if (reply?.usable()) {
      Object.assign(extra, {
        applicationId: reply.applicationId,
        interactionToken: reply.token,
        tokenUsableUntil: reply.usableUntil,
        ephemeral: reply.ephemeral,
        original: reply.original,
        ...(reply.originalMessageId ? { originalMessageId: reply.originalMessageId } : {}),
      });
    }
    return { platform: DISCORD_PLATFORM, channelId: this.options.channelId, messageIds: [...this.messageIds], extra };
  }

  /** The interaction, when a public story may still be written through it. */
  private publicReply(): DeferredReply | undefined {
    const reply = this.options.reply;
    return reply?.usable() && !reply.ephemeral ? reply : undefined;
  }

  /** Writes through the webhook; if Discord refuses the token, marks it dead and uses the bot token. */
  private async viaWebhook(
    write: (hook: DeferredReply) => Promise<string>,
    fallback: () => Promise<string>,
  ): Promise<string> {
    const reply = this.options.reply;
    if (!reply) return fallback();
    try {
      const id = await write(reply);
      this.webhookIds.add(id);
      return id;
    } catch (error) {
      if (!isInteractionTokenGone(error)) throw error;
      this.options.logger.info({ channelId: this.options.channelId }, 'interaction token refused; continuing through the bot token');
      reply.markDead();
      return fallback();
    }
  }

  private remember(id: string): string {
    if (!this.messageIds.includes(id)) this.messageIds.push(id);
    return id;
  }
}

/** Rebuilds a surface from a stored address (restart recovery); tolerant of missing fields. */
export function surfaceFromAddress(
  address: SurfaceAddress,
  base: Omit<DiscordSurfaceOptions, 'channelId' | 'reply' | 'replyToMessageId' | 'messageIds' | 'webhookMessageIds'>,
): DiscordSurface {
  const extra = address.extra ?? {};
  const str = (key: string): string | undefined => (typeof extra[key] === 'string' ? (extra[key] as string) : undefined);
  const ids = (key: string): string[] =>
    Array.isArray(extra[key]) ? (extra[key] as unknown[]).filter((v): v is string => typeof v === 'string') : [];
  const applicationId = str('applicationId');
  const token = str('interactionToken');
  const usableUntil = typeof extra.tokenUsableUntil === 'number' ? extra.tokenUsableUntil : 0;
  const original = str('original');
  const reply =
    applicationId && token && usableUntil > Date.now()
      ? new DeferredReply(
          applicationId,
          token,
          usableUntil,
          extra.ephemeral === true,
          original === 'used' || original === 'deleted' ? original : 'loading',
          str('originalMessageId'),
        )
      : undefined;
  const replyToMessageId = str('replyToMessageId');
  return new DiscordSurface({
    ...base,
    channelId: address.channelId,
    messageIds: address.messageIds,
    webhookMessageIds: ids('webhookMessageIds'),
    ...(reply ? { reply } : {}),
    ...(replyToMessageId ? { replyToMessageId } : {}),
  });
}
