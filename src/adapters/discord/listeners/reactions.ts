import {
  Events,
  type MessageReaction,
  type MessageReactionEventDetails,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { isUserError } from '../../../core/errors.js';
import { discordChannelId, discordUserId } from '../discord-ids.js';
import { DiscordSurface } from '../discord-surface.js';
import type { DiscordListenerDeps } from '../listener-deps.js';

/** Reacting with this to one of the bot's stories asks for a new story from the same seed. */
export const REGENERATE_EMOJI = '🔁';

export function register(deps: DiscordListenerDeps): void {
  deps.client.on(
    Events.MessageReactionAdd,
    (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, _details: MessageReactionEventDetails) => {
      if (!deps.accepting()) return;
      onReaction(reaction, user, deps).catch((error: unknown) =>
        deps.logger.error({ err: error, messageId: reaction.message.id }, 'Discord reaction handling failed'),
      );
    },
  );
}

/**
 * The event may concern a message discord.js never saw (partials): its ids are all we need,
 * because the stored story record — not the cache — says whether it is one of ours. No fetch.
 */
async function onReaction(
  reaction: MessageReaction | PartialMessageReaction,
  user: User | PartialUser,
  deps: DiscordListenerDeps,
): Promise<void> {
  if (user.id === deps.client.user?.id || user.bot === true) return;
  if (reaction.emoji.name !== REGENERATE_EMOJI) return;
  const message = reaction.message;
  if (!message.guildId) return;
  const channelId = discordChannelId(message.guildId, message.channelId);
  const surface = new DiscordSurface({
    channelId,
    messenger: deps.messenger,
    logger: deps.logger,
    editIntervalMs: deps.editIntervalMs,
    replyToMessageId: message.id,
  });
  try {
    const started = await deps.bot.stories.regenerate({
      channelId,
      messageId: message.id,
      userId: discordUserId(message.guildId, user.id),
      surface,
    });
    if (!started) deps.logger.debug({ messageId: message.id }, '🔁 on a message that is not one of our stories');
  } catch (error) {
    if (!isUserError(error)) throw error;
    // A reaction has no private reply channel; the member sees the running regeneration anyway.
    deps.logger.info({ messageId: message.id, reason: error.code }, '🔁 refused');
  }
}
