import { afterEach, describe, expect, it } from 'vitest';
import { DAILY_STORY_LENGTH, STORY_LENGTH, TEMPERATURE } from '../../../src/core/limits.js';
import { dailyTitle, storyText } from '../../../src/core/story-text.js';
import type { FakeInteraction } from '../../fakes/discord/fake-discord.js';
import { DiscordHarness, ENGINE_TEXT, finalStory, MODERATOR, pingsNobody, scripted } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const EPHEMERAL = 64;

/** The private answer an ephemerally deferred command ended with. */
async function privateAnswer(h: DiscordHarness, interaction: FakeInteraction): Promise<string> {
  const message = await h.fake.waitFor('the private answer', () => {
    const m = h.original(interaction);
    return m && m.content !== '' && m;
  });
  const callback = h.fake.requests.find((r) => r.path.endsWith(`${interaction.token}/callback`));
  expect(callback?.body).toEqual({ type: 5, data: { flags: EPHEMERAL } });
  expect(message.flags & EPHEMERAL).toBe(EPHEMERAL);
  return message.content;
}

describe('Discord /scifi-temperature', () => {
  it('shows the current temperature to anyone, privately', async () => {
    harness = await DiscordHarness.start();
    const answer = await privateAnswer(harness, harness.command('scifi-temperature'));
    expect(answer).toBe(`This channel's temperature is ${TEMPERATURE.default}.`);
  });

  it('refuses a member without Manage Channels and leaves the setting alone', async () => {
    harness = await DiscordHarness.start();
    const answer = await privateAnswer(harness, harness.command('scifi-temperature', { value: 0.9 }));
    expect(answer).toMatch(/Only people who can manage this channel/);
    expect(harness.bot.settings.effective(harness.channelId).temperature).toBe(TEMPERATURE.default);
    for (const write of harness.fake.messageWrites()) expect(pingsNobody(write.body)).toBe(true);
  });

  it('lets a member with Manage Channels set it, and the next story uses it', async () => {
    harness = await DiscordHarness.start();
    const answer = await privateAnswer(harness, harness.command('scifi-temperature', { value: 0.9 }, { manageChannels: true }));
    expect(answer).toBe(`Temperature for this channel is now 0.9 (was ${TEMPERATURE.default}).`);
    expect(harness.bot.settings.effective(harness.channelId).temperature).toBe(0.9);
    harness.command('scifi', { seed: 'Hot' });
    await harness.waitForMessage(finalStory('Hot', scripted(ENGINE_TEXT, STORY_LENGTH)));
    expect(harness.engine.requests[0]?.temperature).toBe(0.9);
  });

  it('answers an out-of-range value with the allowed range', async () => {
    harness = await DiscordHarness.start();
    const answer = await privateAnswer(harness, harness.command('scifi-temperature', { value: 5 }, { manageChannels: true }));
    expect(answer).toBe(`\`value\` must be from ${TEMPERATURE.min} to ${TEMPERATURE.max}; you gave 5.`);
    expect(harness.bot.settings.effective(harness.channelId).temperature).toBe(TEMPERATURE.default);
  });
});

describe('Discord /scifi-daily', () => {
  it('schedules a daily story that is posted at its time as new channel messages', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 100, tickMs: 5 }, clockStart: '2026-11-28T08:00:00Z' });
    const answer = await privateAnswer(harness, harness.command('scifi-daily', { time: '09:30' }, { userId: MODERATOR, manageChannels: true }));
    expect(answer).toMatch(/every day at 09:30 \(UTC\); the next one 2026-11-28 09:30 UTC/);
    expect(harness.fake.channelMessages().filter((m) => (m.flags & EPHEMERAL) === 0)).toEqual([]);

    harness.clock.advanceTo('2026-11-28T09:29:59Z');
    expect(harness.engine.requests).toEqual([]);
    harness.clock.advanceTo('2026-11-28T09:30:00Z');

    const expected = storyText(
      { title: dailyTitle('The ship', '2026-11-28'), notes: [], seed: 'The ship' },
      scripted(ENGINE_TEXT, DAILY_STORY_LENGTH),
    );
    const parts = await harness.fake.waitFor('the whole daily story', () => {
      const posted = harness?.fake.channelMessages().filter((m) => m.interactionToken === undefined) ?? [];
      return posted.map((m) => m.content).join('') === expected && posted;
    });
    // Over 2000 characters with its title: two channel messages, written through the bot token.
    expect(parts).toHaveLength(2);
    expect(parts[0]?.content.startsWith('📖 The Ship — story of the day, 2026-11-28')).toBe(true);
    expect(parts[0]?.contents.length).toBeGreaterThanOrEqual(3);
    const posts = harness.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${harness?.fake.channelId}/messages`);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.authorization).toBe(`Bot ${harness.fake.token}`);
      expect(pingsNobody(post.body)).toBe(true);
    }
  });

  it('refuses a member without Manage Channels', async () => {
    harness = await DiscordHarness.start();
    const answer = await privateAnswer(harness, harness.command('scifi-daily', { time: '09:30' }));
    expect(answer).toMatch(/Only people who can manage this channel/);
    expect(harness.bot.daily.get(harness.channelId)).toBeUndefined();
  });
});

describe('Discord mentions', () => {
  it('sends a seed full of @everyone, <@123> and emoji so that it can ping no one', async () => {
    harness = await DiscordHarness.start();
    const seed = '@everyone <@123> <@!456> <@&789> @here 🚀🛸 ';
    harness.command('scifi', { seed });
    const final = await harness.waitForMessage(finalStory(seed, scripted(ENGINE_TEXT, STORY_LENGTH)));
    expect(final.content).toContain('🚀🛸');
    expect(final.content).toMatch(/everyone.*123.*456.*789.*here/s);
    // A private answer with the same text is covered too.
    harness.command('scifi-temperature', { value: 1 });
    await harness.fake.waitFor('the refusal', () => harness?.fake.channelMessages().some((m) => m.content.startsWith('Only people')));
    const writes = harness.fake.messageWrites();
    expect(writes.length).toBeGreaterThanOrEqual(4);
    for (const write of writes) expect(pingsNobody(write.body), `${write.method} ${write.path}`).toBe(true);
    expect(harness.fake.channelMessages().flatMap((m) => m.pings)).toEqual([]);
  });
});
