import type { ChatInputCommandInteraction } from 'discord.js';
import type { Logger } from '../../core/ports.js';
import type { DeferredReply } from './deferred-reply.js';
import type { DiscordMessenger } from './discord-messenger.js';

/**
 * Short answers only the member who ran the command sees. The deferral decides the visibility of
 * the "thinking…" message: an ephemeral one simply becomes the answer; a public one is removed
 * first, because on Discord the first follow-up after a deferral replaces it and keeps its
 * visibility — the answer would otherwise be shown to the whole channel.
 */
export class PrivateReplies {
  constructor(
    private readonly interaction: ChatInputCommandInteraction,
    private readonly reply: DeferredReply,
    private readonly messenger: DiscordMessenger,
    private readonly logger: Logger,
  ) {}

  private get channel(): string {
    return this.interaction.channelId;
  }

  async send(text: string): Promise<void> {
    if (!this.reply.usable()) {
      this.logger.warn({ channelId: this.channel }, 'interaction token expired; a private answer was dropped');
      return;
    }
    if (this.reply.original === 'loading') {
      if (this.reply.ephemeral) {
        this.reply.original = 'used';
        this.reply.originalMessageId = await this.messenger.webhookEdit(this.channel, this.reply, '@original', text);
        return;
      }
      this.reply.original = 'deleted';
      await this.interaction.deleteReply();
    }
    await this.messenger.webhookFollowUp(this.channel, this.reply, text, true);
  }

  /**
   * After the command ran: a deferral nobody wrote into would spin "thinking…" until it fails, so
   * it is closed — unless a story is about to stream into it.
   */
  async settle(storyPending: boolean): Promise<void> {
    if (storyPending || this.reply.original !== 'loading' || !this.reply.usable()) return;
    if (this.reply.ephemeral) {
      await this.send('Done.');
    } else {
      this.reply.original = 'deleted';
      await this.interaction.deleteReply();
    }
  }
}
