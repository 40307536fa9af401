import { REST, Routes, type APIApplication, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { CommandDefinition } from '../../core/command.js';
import { toDiscordCommand } from './command-json.js';

export interface DeployOptions {
  readonly token: string;
  /** REST base URL (a fake Discord in tests); Discord's own by default. */
  readonly apiBase?: string;
  /** Set → the commands of that guild only (instant, for development); unset → global. */
  readonly guildId?: string;
  readonly commands: readonly CommandDefinition[];
}

export interface DeployResult {
  readonly applicationId: string;
  readonly scope: 'global' | { readonly guildId: string };
  readonly names: readonly string[];
}

/**
 * Registers the commands with one bulk overwrite: commands no longer defined disappear, changed
 * ones are updated, and running it twice changes nothing.
 */
export async function deployCommands(options: DeployOptions): Promise<DeployResult> {
  const rest = new REST(options.apiBase ? { api: options.apiBase } : {}).setToken(options.token);
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const body = options.commands.map(toDiscordCommand);
  const route = options.guildId
    ? Routes.applicationGuildCommands(application.id, options.guildId)
    : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
  return {
    applicationId: application.id,
    scope: options.guildId ? { guildId: options.guildId } : 'global',
    names: registered.map((c) => c.name),
  };
}
