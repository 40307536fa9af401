import { Events, MessageFlags, type ChatInputCommandInteraction, type Interaction } from 'discord.js';
import { isUserError } from '../../../core/errors.js';
import { DiscordCommandContext } from '../command-context.js';
import { parseOptions } from '../command-options.js';
import { DeferredReply } from '../deferred-reply.js';
import { discordChannelId, discordUserId } from '../discord-ids.js';
import { NO_MENTIONS, redactDiscordError } from '../discord-messenger.js';
import type { DiscordListenerDeps } from '../listener-deps.js';
import { PrivateReplies } from '../private-replies.js';

const GENERIC_FAILURE = 'Something went wrong on my side; please try again in a moment.';

export function register(deps: DiscordListenerDeps): void {
  deps.client.on(Events.InteractionCreate, (interaction: Interaction) => {
    if (!interaction.isChatInputCommand() || !deps.accepting()) return;
    handleCommand(interaction, deps).catch((error: unknown) =>
      deps.logger.error({ err: redactDiscordError(error), command: interaction.commandName }, 'Discord command handling failed'),
    );
  });
}

/**
 * Acknowledge within Discord's 3 seconds (deferReply, before anything else), then run the
 * platform-neutral command. Commands that change the channel answer privately, so they defer
 * ephemerally; /scifi defers publicly because its story streams into the deferred response.
 */
async function handleCommand(interaction: ChatInputCommandInteraction, deps: DiscordListenerDeps): Promise<void> {
  const definition = deps.commands.get(interaction.commandName);
  if (!definition || !interaction.inGuild()) {
    await interaction.reply({
      content: definition ? 'I write stories in server channels; please use me there.' : 'I do not know that command.',
      flags: MessageFlags.Ephemeral,
      allowedMentions: NO_MENTIONS,
    });
    return;
  }
  const ephemeral = definition.requiresManageChannel === true;
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const reply = DeferredReply.forInteraction(interaction, ephemeral, deps.tokenLifetimeMs, deps.tokenMarginMs);
  const privateReplies = new PrivateReplies(interaction, reply, deps.messenger, deps.logger);
  let context: DiscordCommandContext | undefined;
  try {
    context = new DiscordCommandContext({
      interaction,
      channelId: discordChannelId(interaction.guildId, interaction.channelId),
      userId: discordUserId(interaction.guildId, interaction.user.id),
      options: parseOptions(definition.options, interaction.options.data),
      reply,
      privateReplies,
      messenger: deps.messenger,
      bot: deps.bot,
      logger: deps.logger,
      editIntervalMs: deps.editIntervalMs,
    });
    await definition.run(context);
  } catch (error) {
    if (!isUserError(error)) deps.logger.error({ err: error, command: definition.name }, 'command failed');
    await privateReplies.send(isUserError(error) ? error.message : GENERIC_FAILURE);
  }
  await privateReplies.settle(context?.storyRequested ?? false);
}
