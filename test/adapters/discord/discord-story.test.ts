import { GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { STORY_LENGTH, STORY_LENGTHS } from '../../../src/core/limits.js';
import { DiscordHarness, ENGINE_TEXT, finalStory, pingsNobody, scripted } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Discord /scifi', () => {
  it('defers publicly at once, grows the story by editing the deferred reply, and ends on the final text', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: 'It all began with' });
    const expected = finalStory('It all began with', scripted(ENGINE_TEXT, STORY_LENGTH));
    const message = await harness.waitForMessage(expected);

    // The acknowledgement is the first thing sent for the interaction, a public deferral.
    const forInteraction = fake.requests.filter((r) => r.path.includes(interaction.token));
    expect(forInteraction[0]?.path).toBe(`/interactions/${interaction.id}/${interaction.token}/callback`);
    expect(forInteraction[0]?.body).toEqual({ type: 5, data: { flags: 0 } });

    // The story grew in place: the deferred message itself, edited several times.
    expect(message.id).toBe(interaction.originalMessageId);
    const edits = forInteraction.filter((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'));
    expect(edits.length).toBeGreaterThanOrEqual(3); // placeholder + ≥2 growing edits (+ final)
    const growing = message.contents.filter((c) => c.startsWith('It all began with') && c !== expected);
    expect(growing.length).toBeGreaterThanOrEqual(2);
    expect(message.contents.at(-1)).toBe(expected);
    expect(fake.channelMessages()).toHaveLength(1);

    // Minimum intents: Guilds for commands, GuildMessageReactions for 🔁.
    expect(fake.gateway.identifyIntents).toEqual([GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessageReactions]);
    // Every write pinged no one.
    for (const write of fake.messageWrites()) {
      expect(pingsNobody(write.body), `${write.method} ${write.path}`).toBe(true);
    }
  });

  it('writes a shorter or longer story when length short or long is chosen from the menu', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 50 } });
    const short = harness.command('scifi', { seed: 'Near', length: 'short' });
    const long = harness.command('scifi', { seed: 'Far', length: 'long' });
    const medium = harness.command('scifi', { seed: 'Mid' });
    const shortText = finalStory('Near', scripted(ENGINE_TEXT, STORY_LENGTHS.short));
    const longText = finalStory('Far', scripted(ENGINE_TEXT, STORY_LENGTHS.long));
    const mediumText = finalStory('Mid', scripted(ENGINE_TEXT, STORY_LENGTH));
    expect((await harness.waitForMessage(shortText, 'the short story')).id).toBe(short.originalMessageId);
    expect((await harness.waitForMessage(longText, 'the long story')).id).toBe(long.originalMessageId);
    expect((await harness.waitForMessage(mediumText, 'the medium story')).id).toBe(medium.originalMessageId);
    const continuation = (text: string, seed: string) => text.length - seed.length;
    expect(continuation(shortText, 'Near')).toBeGreaterThanOrEqual(STORY_LENGTHS.short);
    expect(continuation(shortText, 'Near')).toBeLessThan(continuation(mediumText, 'Mid'));
    expect(continuation(longText, 'Far')).toBeGreaterThanOrEqual(STORY_LENGTHS.long);
    expect(continuation(longText, 'Far')).toBeGreaterThan(continuation(mediumText, 'Mid'));
    expect(harness.fake.channelMessages()).toHaveLength(3);
  });

  it('continues a story past 2000 characters in a follow-up message', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 100, tickMs: 5 } });
    const { fake } = harness;
    const interaction = harness.command('scifi-long', { seed: 'Far away', length: 2500 });
    const whole = finalStory('Far away', scripted(ENGINE_TEXT, 2500));
    await fake.waitFor('two messages with the whole story', () => {
      const messages = fake.channelMessages();
      return messages.length === 2 && messages.map((m) => m.content).join('') === whole && messages;
    });
    const [first, second] = fake.channelMessages();
    expect(first?.id).toBe(interaction.originalMessageId);
    expect([...(first?.content ?? '')].length).toBeLessThanOrEqual(2000);
    // The continuation is a follow-up of the same interaction, not a separate channel post.
    const followUps = fake.requests.filter((r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}`);
    expect(followUps).toHaveLength(1);
    expect(second?.interactionToken).toBe(interaction.token);
    expect(fake.requests.filter((r) => r.status === 400)).toEqual([]);
  });

  it('shows its place in line while other stories are being written', async () => {
    harness = await DiscordHarness.start({ concurrency: 1, engine: { charsPerTick: 10, tickMs: 10 } });
    harness.command('scifi', { seed: 'First' });
    await harness.fake.waitFor('the first story running', () => harness?.fake.channelMessages()[0]?.content.startsWith('First'));
    const second = harness.command('scifi', { seed: 'Second' }, { userId: '555555555555555555' });
    const third = harness.command('scifi', { seed: 'Third' }, { userId: '666666666666666666' });
    await harness.waitForMessage(finalStory('Third', scripted(ENGINE_TEXT, STORY_LENGTH)), 'the third story', 20_000);
    expect(harness.original(second)?.contents[1]).toBe('⏳ Next in line…');
    expect(harness.original(third)?.contents[1]).toBe('⏳ #2 in line…');
    expect(harness.original(third)?.contents).toContain('⏳ Next in line…');
  });
});
