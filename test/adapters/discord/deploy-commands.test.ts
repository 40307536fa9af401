import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.js';
import { deployCommands } from '../../../src/adapters/discord/deploy-commands.js';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';

const run = promisify(execFile);
let fake: FakeDiscord;
beforeEach(async () => {
  fake = new FakeDiscord();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

describe('deploying the Discord commands', () => {
  it('bulk-overwrites the guild commands, hiding the channel settings from members without Manage Channels', async () => {
    const result = await deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.guildId, commands: allCommands });
    expect(result).toEqual({ applicationId: fake.applicationId, scope: { guildId: fake.guildId }, names: ['scifi', 'scifi-temperature', 'scifi-model', 'scifi-daily'] });
    const put = fake.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put?.authorization).toBe(`Bot ${fake.token}`);
    const byName = new Map(fake.registeredCommands[0]?.commands.map((c) => [c['name'], c]));
    const manage = PermissionFlagsBits.ManageChannels.toString();
    expect(byName.get('scifi')?.['default_member_permissions']).toBeNull();
    expect(byName.get('scifi-temperature')?.['default_member_permissions']).toBe(manage);
    expect(byName.get('scifi-model')?.['default_member_permissions']).toBe(manage);
    expect(byName.get('scifi-daily')?.['default_member_permissions']).toBe(manage);
    // The story sizes are a menu Discord accepted (the fake refuses what Discord would).
    const scifiOptions = byName.get('scifi')?.['options'] as { name: string; choices?: { name: string; value: string }[] }[];
    expect(scifiOptions.find((o) => o.name === 'length')?.choices).toEqual([
      { name: 'short', value: 'short' },
      { name: 'medium', value: 'medium' },
      { name: 'long', value: 'long' },
    ]);
  });

  it('what Discord would refuse fails the deploy with Discord’s reason, and nothing is registered', async () => {
    const shouting = { ...allCommands[0], name: 'SciFi' } as (typeof allCommands)[number];
    await expect(deployCommands({ token: fake.token, apiBase: fake.apiBase, guildId: fake.guildId, commands: [shouting] })).rejects.toMatchObject({
      code: 50035,
      status: 400,
      message: expect.stringMatching(/0\.name: must use the lowercase variant/),
    });
    expect(fake.registeredCommands).toEqual([]);
  });

  it('registers globally without a guild', async () => {
    const result = await deployCommands({ token: fake.token, apiBase: fake.apiBase, commands: allCommands });
    expect(result.scope).toBe('global');
    expect(fake.requests.find((r) => r.method === 'PUT')?.path).toBe(`/applications/${fake.applicationId}/commands`);
  });

  it('npm run deploy:discord -- --guild <id> registers through the config', async () => {
    const { stdout } = await run('npx', ['tsx', 'src/cli/deploy-discord.ts', '--guild', fake.guildId], {
      env: { ...process.env, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase },
    });
    expect(stdout).toBe(`Registered 4 commands in guild ${fake.guildId}: /scifi, /scifi-temperature, /scifi-model, /scifi-daily\n`);
    expect(fake.registeredCommands.map((c) => c.scope)).toEqual([`guild:${fake.guildId}`]);
    // Model options are a menu of the shipped models.
    const byName = new Map(fake.registeredCommands[0]?.commands.map((c) => [c['name'], c]));
    const modelOption = (command: string, option: string) =>
      (byName.get(command)?.['options'] as { name: string; choices?: { value: string }[] }[] | undefined)?.find((o) => o.name === option);
    expect(modelOption('scifi', 'model')?.choices?.map((c) => c.value)).toEqual(['melville', 'scifi']);
    expect(modelOption('scifi-model', 'name')?.choices?.map((c) => c.value)).toEqual(['melville', 'scifi']);
  });

  it('the CLI refuses a malformed guild id before calling Discord', async () => {
    const failure = await run('npx', ['tsx', 'src/cli/deploy-discord.ts', '--guild', 'my-server'], {
      env: { ...process.env, DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase },
    }).then(() => undefined, (error: unknown) => error as { code: number; stderr: string });
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--guild: expected a Discord server id/);
    expect(fake.requests).toEqual([]);
  });
});
