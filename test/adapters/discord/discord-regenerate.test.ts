import { afterEach, describe, expect, it } from 'vitest';
import { STORY_LENGTH, TEMPERATURE } from '../../../src/core/limits.js';
import type { FakeMessage } from '../../fakes/discord/fake-discord.js';
import { DiscordHarness, ENGINE_TEXT, finalStory, pingsNobody, READER, scripted } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const SEED = 'The airlock hissed';
const STORY = finalStory(SEED, scripted(ENGINE_TEXT, STORY_LENGTH));

/** Runs /scifi to the end and returns the story's message. */
async function storyMessage(h: DiscordHarness): Promise<FakeMessage> {
  h.command('scifi', { seed: SEED });
  const message = await h.waitForMessage(STORY);
  await h.bot.idle();
  return message;
}

/** Waits for a finished reply to `to` and checks it was streamed and pinged no one. */
async function regeneratedReply(h: DiscordHarness, to: FakeMessage): Promise<FakeMessage> {
  const reply = await h.fake.waitFor('a regenerated story replying to the original', () =>
    h.fake.channelMessages().find((m) => m.replyTo === to.id && m.content === STORY),
  );
  expect(reply.contents.length).toBeGreaterThanOrEqual(3); // placeholder, growing, final
  const post = h.fake.requests.find((r) => r.method === 'POST' && r.path === `/channels/${h.fake.channelId}/messages`);
  expect(post?.body).toMatchObject({ message_reference: { message_id: to.id, fail_if_not_exists: false } });
  expect(pingsNobody(post?.body)).toBe(true);
  return reply;
}

describe('Discord 🔁', () => {
  it('regenerates a cached story as a reply to it, from the same seed', async () => {
    harness = await DiscordHarness.start();
    const story = await storyMessage(harness);
    expect(harness.cachedChannel().messages.cache.has(story.id)).toBe(true);
    // 🔁 writes at the channel's temperature of now, not the one of the original story.
    harness.bot.settings.setTemperature(harness.channelId, 1.2);
    harness.fake.react(story.id, READER);
    await regeneratedReply(harness, story);
    expect(harness.engine.requests.map((r) => [r.seed, r.temperature])).toEqual([[SEED, TEMPERATURE.default], [SEED, 1.2]]);
  });

  it('regenerates a story the client no longer has in its cache (partials)', async () => {
    harness = await DiscordHarness.start();
    const story = await storyMessage(harness);
    harness.cachedChannel().messages.cache.clear();
    harness.fake.react(story.id, READER);
    await regeneratedReply(harness, story);
    // Nothing had to be fetched: the stored record answered.
    expect(harness.fake.requests.filter((r) => r.method === 'GET' && r.path.includes('/messages/'))).toEqual([]);
  });

  it('regenerates after a restart: a new client and process over the same database', async () => {
    harness = await DiscordHarness.start();
    const story = await storyMessage(harness);
    await harness.restart();
    expect(harness.cachedChannel().messages.cache.has(story.id)).toBe(false);
    harness.fake.react(story.id, READER);
    await regeneratedReply(harness, story);
  });

  it("ignores the bot's own 🔁, other emoji, and 🔁 on messages that are not stories", async () => {
    harness = await DiscordHarness.start();
    const story = await storyMessage(harness);
    const human = harness.fake.postAsUser(READER, 'a message by a person');
    const before = harness.fake.channelMessages().length;
    harness.fake.react(story.id, harness.fake.botUserId);
    harness.fake.react(story.id, READER, '👍');
    harness.fake.react(human.id, READER);
    // A real 🔁 afterwards proves the events above were processed (the gateway keeps order).
    harness.fake.react(story.id, READER);
    await regeneratedReply(harness, story);
    await harness.bot.idle();
    expect(harness.fake.channelMessages().length).toBe(before + 1);
    expect(harness.engine.requests).toHaveLength(2);
    // Had the bot's own 🔁 started a regeneration, the reader's would have been refused as busy.
    expect(harness.logger.lines.filter((l) => l.msg === '🔁 refused')).toEqual([]);
    // The 🔁 on the person's message reached the core, which knew no story there.
    expect(harness.logger.lines.filter((l) => l.msg.startsWith('🔁 on a message that is not'))).toHaveLength(1);
  });

  it('runs one regeneration at a time per message', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 5, tickMs: 10 } });
    const story = await storyMessage(harness);
    harness.fake.react(story.id, READER);
    harness.fake.react(story.id, '444444444444444444');
    await regeneratedReply(harness, story);
    await harness.bot.idle();
    expect(harness.fake.channelMessages().filter((m) => m.replyTo === story.id)).toHaveLength(1);
    expect(harness.logger.lines.some((l) => l.msg === '🔁 refused')).toBe(true);
  });
});
