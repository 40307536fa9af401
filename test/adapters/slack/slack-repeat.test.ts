import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi, type FakeSlackMessage } from '../../fakes/slack/fake-slack-api.js';
import { STORY_LENGTHS } from '../../../src/core/limits.js';
import { StoryEnding } from '../../../src/core/story-ending.js';
import { CHANNEL, SlackHarness, scripted, waitFor } from './harness.js';

const STORY = ' and the hull sang.';

/** Runs /scifi and waits for its final text; returns the story's message. */
async function tellStory(h: SlackHarness, seed: string): Promise<FakeSlackMessage> {
  await h.command('/scifi', seed);
  const message = await waitFor(() => h.api.topLevel(CHANNEL).find((m) => FakeSlackApi.visible(m).startsWith(seed)), 'a story');
  await h.bot.idle();
  return message;
}

describe('Slack :repeat: regenerates a story in its thread', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('writes a new story from the same seed in the thread of the reacted message', async () => {
    h = await SlackHarness.start({ engine: { text: STORY } });
    const story = await tellStory(h, 'The moon was late');
    const response = await h.reaction(story.ts);
    expect(response.status).toBe(200);

    const original = FakeSlackApi.visible(story);
    // The scripted engine writes the same continuation for the same seed: the new story, once
    // finished, reads exactly like the first.
    await waitFor(() => {
      const replies = h?.api.replies(CHANNEL, story.ts) ?? [];
      return replies.find((m) => FakeSlackApi.visible(m) === original);
    }, 'the regenerated story');
    expect(h.api.replies(CHANNEL, story.ts)).toHaveLength(1);
    expect(h.engine.requests).toHaveLength(2);
    expect(h.engine.requests[1]?.seed).toBe(h.engine.requests[0]?.seed);
    // The original story is left as it was.
    expect(FakeSlackApi.visible(h.api.message(CHANNEL, story.ts)!).startsWith('The moon was late')).toBe(true);
  });

  it('writes a long story again for a story asked for with length:long, after a restart too', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 50, tickMs: 1 } });
    await h.command('/scifi', 'length:long The far shore');
    const expected = `The far shore${scripted(STORY, STORY_LENGTHS.long)}`;
    const story = await waitFor(() => h?.api.topLevel(CHANNEL).find((m) => FakeSlackApi.visible(m) === expected), 'the long story');
    await h.bot.idle();

    await h.restart();
    await h.reaction(story.ts);
    await waitFor(() => h?.api.replies(CHANNEL, story.ts).find((m) => FakeSlackApi.visible(m) === expected), 'a regeneration as long');
    expect(h.engine.requests.at(-1)?.length).toBe(new StoryEnding(STORY_LENGTHS.long).maxLength);
  });

  it('works after a restart, finding the thread root of a story that was itself a thread reply', async () => {
    h = await SlackHarness.start({ engine: { text: STORY } });
    const story = await tellStory(h, 'Dust on the dome');
    await h.reaction(story.ts);
    const firstRepeat = await waitFor(() => h?.api.replies(CHANNEL, story.ts)[0], 'the first regeneration');
    await waitFor(() => h?.engine.requests.length === 2, 'second job');
    await h.bot.idle();

    await h.restart();
    // :repeat: on the regenerated story (a thread reply): the new one joins the same thread.
    await h.reaction(firstRepeat.ts);
    await waitFor(() => (h?.api.replies(CHANNEL, story.ts).length ?? 0) >= 2, 'a regeneration after the restart');
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(3);
    const threadTs = h.api.callsOf('chat.postMessage').at(-1)?.params['thread_ts'];
    expect(threadTs).toBe(story.ts);
    expect(h.api.callsOf('conversations.replies').length).toBeGreaterThanOrEqual(1);
  });

  it('runs a retried delivery (same event_id, X-Slack-Retry-Num) only once', async () => {
    h = await SlackHarness.start({ engine: { text: STORY } });
    const story = await tellStory(h, 'Rain on Titan');
    const first = await h.reaction(story.ts, { eventId: 'EvRETRY1' });
    expect(first.status).toBe(200);
    await waitFor(() => h?.api.replies(CHANNEL, story.ts)[0], 'the regeneration');
    await h.bot.idle();
    // Slack's retry comes after the first delivery was handled completely.
    const retry = await h.reaction(story.ts, { eventId: 'EvRETRY1', retryNum: 1 });
    expect(retry.status).toBe(200);
    // The adapter says when it drops a redelivery: wait for that rather than a fixed time.
    await waitFor(() => h?.logger.lines.some((l) => l.msg === 'repeated delivery of a reaction; already handled'), 'the retry to be dropped');
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(2);
    expect(h.api.replies(CHANNEL, story.ts)).toHaveLength(1);
    expect(h.api.callsOf('chat.postEphemeral')).toHaveLength(0);
    // A new reaction (a new event_id) is a new request and runs.
    await h.reaction(story.ts, { eventId: 'EvRETRY2' });
    await waitFor(() => (h?.api.replies(CHANNEL, story.ts).length ?? 0) === 2, 'a second regeneration');
  });

  it("ignores the bot's own reactions, other emoji and messages that are not stories", async () => {
    h = await SlackHarness.start({ engine: { text: STORY } });
    const story = await tellStory(h, 'Signal lost');
    const someoneElses = h.api.postAs('U0OTHER', CHANNEL, 'lunch?');
    await h.reaction(story.ts, { user: h.api.botUserId });
    await h.reaction(story.ts, { reaction: 'thumbsup' });
    await h.reaction(someoneElses.ts, { itemUser: 'U0OTHER' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(1);
    expect(h.api.replies(CHANNEL, story.ts)).toHaveLength(0);
    expect(h.api.replies(CHANNEL, someoneElses.ts)).toHaveLength(0);
  });

  it('answers privately when the story is already being rewritten', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 15, tickMs: 10 } });
    const story = await tellStory(h, 'Twice over');
    await h.reaction(story.ts);
    await waitFor(() => h?.engine.requests.length === 2, 'the regeneration running');
    await h.reaction(story.ts, { user: 'U0IMPATIENT' });
    const refusal = await waitFor(() => h?.api.callsOf('chat.postEphemeral')[0], 'a private answer');
    expect(refusal.params).toMatchObject({ channel: CHANNEL, user: 'U0IMPATIENT' });
    expect(refusal.params['text']).toMatch(/already rewriting/);
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(2);
  });
});
