import { PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { BotServices } from '../../core/bot-services.js';
import type { CommandContext, OptionValues } from '../../core/command.js';
import type { ChannelId, Logger, MessageSurface, UserId } from '../../core/ports.js';
import type { DeferredReply } from './deferred-reply.js';
import { DISCORD_PLATFORM } from './discord-ids.js';
import type { DiscordMessenger } from './discord-messenger.js';
import { DiscordSurface } from './discord-surface.js';
import type { PrivateReplies } from './private-replies.js';

export interface DiscordCommandContextInit {
  readonly interaction: ChatInputCommandInteraction;
  readonly channelId: ChannelId;
  readonly userId: UserId;
  readonly options: OptionValues;
  readonly reply: DeferredReply;
  readonly privateReplies: PrivateReplies;
  readonly messenger: DiscordMessenger;
  readonly bot: BotServices;
  readonly logger: Logger;
  readonly editIntervalMs: number;
}

/** A slash command as the platform-neutral commands see it. */
export class DiscordCommandContext implements CommandContext {
  readonly platform = DISCORD_PLATFORM;
  readonly channelId: ChannelId;
  readonly userId: UserId;
  readonly options: OptionValues;
  readonly bot: BotServices;
  private surface: DiscordSurface | undefined;

  constructor(private readonly init: DiscordCommandContextInit) {
    this.channelId = init.channelId;
    this.userId = init.userId;
    this.options = init.options;
    this.bot = init.bot;
  }

  /** Manage Channels as Discord computed it for this member here (roles and overwrites included). */
  async canManageChannel(): Promise<boolean> {
    return this.init.interaction.memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false;
  }

  replyPrivately(text: string): Promise<void> {
    return this.init.privateReplies.send(text);
  }

  storySurface(): MessageSurface {
    this.surface ??= new DiscordSurface({
      channelId: this.channelId,
      messenger: this.init.messenger,
      logger: this.init.logger,
      editIntervalMs: this.init.editIntervalMs,
      reply: this.init.reply,
    });
    return this.surface;
  }

  /** Whether a story was pointed at this interaction (it will write into the deferral). */
  get storyRequested(): boolean {
    return this.surface !== undefined;
  }
}
