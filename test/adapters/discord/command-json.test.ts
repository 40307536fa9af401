import { ApplicationCommandOptionType, ApplicationIntegrationType, InteractionContextType, PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.js';
import { toDiscordCommand } from '../../../src/adapters/discord/command-json.js';
import type { CommandDefinition } from '../../../src/core/command.js';
import { TEMPERATURE } from '../../../src/core/limits.js';

const NAME = /^[-_\p{Ll}\p{N}]{1,32}$/u;

describe('commands as Discord application-command JSON', () => {
  it('keeps to Discord’s rules for every command: names, description lengths, required options first', () => {
    for (const definition of allCommands) {
      const json = toDiscordCommand(definition);
      expect(json.name).toMatch(NAME);
      expect([...json.description].length).toBeGreaterThan(0);
      expect([...json.description].length).toBeLessThanOrEqual(100);
      const options = json.options ?? [];
      const firstOptional = options.findIndex((o) => !('required' in o && o.required));
      const lastRequired = options.map((o) => 'required' in o && o.required).lastIndexOf(true);
      if (firstOptional !== -1) expect(lastRequired).toBeLessThan(firstOptional);
      for (const option of options) {
        expect(option.name).toMatch(NAME);
        expect([...option.description].length).toBeLessThanOrEqual(100);
      }
    }
  });

  it('is installable to servers only and usable in server channels only', () => {
    for (const definition of allCommands) {
      const json = toDiscordCommand(definition);
      // Without integration_types, an app with user installs enabled would offer the commands in
      // servers the bot is not in, where it cannot write through its bot token.
      expect(json.integration_types).toEqual([ApplicationIntegrationType.GuildInstall]);
      expect(json.contexts).toEqual([InteractionContextType.Guild]);
    }
  });

  it('declares the temperature range and Manage Channels for /scifi-temperature', () => {
    const json = toDiscordCommand(allCommands.find((c) => c.name === 'scifi-temperature') as CommandDefinition);
    expect(json.default_member_permissions).toBe(PermissionFlagsBits.ManageChannels.toString());
    expect(json.options?.[0]).toMatchObject({
      name: 'value',
      type: ApplicationCommandOptionType.Number,
      min_value: TEMPERATURE.min,
      max_value: TEMPERATURE.max,
      required: false,
    });
  });

  it('moves a required option ahead of optional ones and shortens long descriptions', () => {
    const json = toDiscordCommand({
      name: 'x',
      description: 'd'.repeat(150),
      options: [
        { name: 'later', description: 'optional', type: 'string', choices: ['a', 'b'] },
        { name: 'first', description: 'required', type: 'string', required: true, maxLength: 10_000 },
      ],
      run: async () => undefined,
    });
    expect(json.options?.map((o) => o.name)).toEqual(['first', 'later']);
    expect([...json.description].length).toBe(100);
    expect(json.options?.[0]).toMatchObject({ max_length: 6000 });
    expect(json.options?.[1]).toMatchObject({ choices: [{ name: 'a', value: 'a' }, { name: 'b', value: 'b' }] });
    expect(json.default_member_permissions).toBeNull();
  });
});
