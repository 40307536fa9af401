/**
 * npm run deploy:discord [-- --guild <id>]
 * Registers the bot's slash commands with Discord: in one guild (instant, for development) or
 * globally. Reads DISCORD_TOKEN (and DISCORD_API_BASE) through the config like the bot does.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allCommands } from '../../commands/index.js';
import { withModelChoices } from '../core/command.js';
import { deployCommands } from '../adapters/discord/deploy-commands.js';
import { ConfigError, loadConfig } from '../config.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { guild: { type: 'string' } }, strict: true });
  const guildId = values.guild;
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
    process.stderr.write(`--guild: expected a Discord server id (17–20 digits), got "${guildId}"\n`);
    return 2;
  }
  const config = loadConfig();
  if (!config.discord) {
    process.stderr.write('DISCORD_TOKEN: required to register commands (the bot token from the Developer Portal)\n');
    return 2;
  }
  const result = await deployCommands({
    token: config.discord.token,
    ...(config.discord.apiBase ? { apiBase: config.discord.apiBase } : {}),
    ...(guildId ? { guildId } : {}),
    // Model options become a menu of the models this install serves (re-deploy after adding one).
    commands: withModelChoices(allCommands, await servedModelIds(config.modelsDir)),
  });
  const where = result.scope === 'global' ? 'globally' : `in guild ${result.scope.guildId}`;
  process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => `/${n}`).join(', ')}\n`);
  return 0;
}

/** Ids of the model folders (those with a meta.json), without loading any weights. */
async function servedModelIds(modelsDir: string): Promise<string[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const ids: string[] = [];
  for (const entry of entries) {
    const files: string[] = entry.isDirectory() ? await readdir(join(modelsDir, entry.name)).catch(() => []) : [];
    const hasMeta = files.includes('meta.json');
    if (hasMeta) ids.push(entry.name);
  }
  return ids.sort();
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `deploy failed: ${String(error)}`}\n`);
    process.exitCode = 1;
  },
);
