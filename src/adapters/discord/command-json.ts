import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommandDefinition, CommandOption } from '../../core/command.js';

/** Discord's limits on command descriptions. */
const DESCRIPTION_MAX = 100;

/**
 * A platform-neutral command as Discord's application-command JSON. Commands that change a
 * channel declare default_member_permissions = Manage Channels, so Discord hides them from other
 * members (the adapter still checks on receipt: server admins can override command permissions).
 */
export function toDiscordCommand(definition: CommandDefinition): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    name: definition.name,
    description: clip(definition.description),
    // Required options first: Discord rejects a required option after an optional one.
    options: [...definition.options].sort((a, b) => Number(b.required ?? false) - Number(a.required ?? false)).map(toOption),
    default_member_permissions: definition.requiresManageChannel ? PermissionFlagsBits.ManageChannels.toString() : null,
    // Stories and settings belong to server channels; channel ids are per guild.
    contexts: [InteractionContextType.Guild],
    // Installed to servers only. Left out, Discord takes the app's installation contexts, and new
    // apps allow user installs: /scifi would then run where the bot is not a member, so 🔁 and
    // writing past the 15-minute token (both through the bot token) would fail there.
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

function toOption(option: CommandOption): NonNullable<RESTPostAPIChatInputApplicationCommandsJSONBody['options']>[number] {
  const common = { name: option.name, description: clip(option.description), required: option.required ?? false };
  if (option.type === 'number') {
    return {
      ...common,
      type: ApplicationCommandOptionType.Number,
      ...(option.min !== undefined ? { min_value: option.min } : {}),
      ...(option.max !== undefined ? { max_value: option.max } : {}),
    };
  }
  return {
    ...common,
    type: ApplicationCommandOptionType.String,
    // Discord caps string options at 6000 characters.
    ...(option.maxLength !== undefined ? { max_length: Math.min(option.maxLength, 6000) } : {}),
    ...(option.choices ? { choices: option.choices.slice(0, 25).map((c) => ({ name: c, value: c })) } : {}),
  };
}

function clip(text: string): string {
  return [...text].length <= DESCRIPTION_MAX ? text : `${[...text].slice(0, DESCRIPTION_MAX - 1).join('')}…`;
}
