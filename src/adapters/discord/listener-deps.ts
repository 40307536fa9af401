import type { Client } from 'discord.js';
import type { BotServices } from '../../core/bot-services.js';
import type { CommandDefinition } from '../../core/command.js';
import type { Logger } from '../../core/ports.js';
import type { DiscordMessenger } from './discord-messenger.js';

/** What every Discord listener needs, built once by createDiscordAdapter. */
export interface DiscordListenerDeps {
  readonly client: Client;
  readonly commands: ReadonlyMap<string, CommandDefinition>;
  readonly bot: BotServices;
  readonly messenger: DiscordMessenger;
  readonly logger: Logger;
  readonly editIntervalMs: number;
  readonly tokenLifetimeMs: number;
  readonly tokenMarginMs: number;
  /** False once the adapter is stopping: new events are ignored. */
  accepting(): boolean;
}
