/** The Discord adapter's public surface: what main.ts and the deploy CLI use. */
export { createDiscordAdapter, DISCORD_DEFAULTS, type DiscordAdapter, type DiscordAdapterOptions } from './discord-adapter.js';
export { deployCommands, type DeployOptions, type DeployResult } from './deploy-commands.js';
export { DISCORD_PLATFORM } from './discord-ids.js';
export { DiscordStartError } from './discord-start-error.js';
