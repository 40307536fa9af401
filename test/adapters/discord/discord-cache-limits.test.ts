import { afterEach, describe, expect, it } from 'vitest';
import { DISCORD_DEFAULTS } from '../../../src/adapters/discord/discord-adapter.js';
import { DiscordHarness, READER } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Discord client caches in a large server', () => {
  it('keeps a bounded number of users and members however many people react, and still answers 🔁', async () => {
    harness = await DiscordHarness.start();
    const client = harness.adapter.client;
    const guild = client.guilds.cache.get(harness.fake.guildId);
    if (!guild) throw new Error('the fake guild is not cached');
    // Every reaction in the server reaches the bot (the 🔁 intent), each with its member.
    const reactions = 3_000;
    for (let i = 0; i < reactions; i++) {
      harness.fake.react(String(500_000_000_000_000_000n + BigInt(i)), String(600_000_000_000_000_000n + BigInt(i)), '👍');
    }
    const lastUser = String(600_000_000_000_000_000n + BigInt(reactions - 1));
    await harness.fake.waitFor('the last reaction to arrive', () => client.users.cache.get(lastUser));

    expect(client.users.cache.size).toBeLessThanOrEqual(DISCORD_DEFAULTS.cachedUsers);
    expect(guild.members.cache.size).toBeLessThanOrEqual(DISCORD_DEFAULTS.cachedMembers);
    // The bot's own user is never evicted: discord.js reads it everywhere.
    expect(client.users.cache.has(client.user?.id ?? '')).toBe(true);

    // Commands still work after the flood.
    harness.command('scifi', { seed: 'The hull groaned' }, { userId: READER });
    await harness.fake.waitFor('the story', () => harness?.fake.channelMessages().find((m) => m.content.startsWith('The hull groaned')));
  }, 60_000);
});
