import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { signature } from '../../fakes/slack/signed-requests.js';
import { STORY_LENGTH, STORY_LENGTHS } from '../../../src/core/limits.js';
import { CHANNEL, SIGNING_SECRET, SlackHarness, scripted, waitFor } from './harness.js';

const STORY = ' and the stars burned cold over the silent ship.';

describe('Slack /scifi through the real Bolt app and core', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('acks at once, posts a placeholder, updates as the story grows and ends with the whole text', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 10, tickMs: 5 } });
    const response = await h.command('/scifi', 'It all began with');
    expect(response.status).toBe(200);
    // The ack went back before the story was written.
    expect(h.api.callsOf('chat.update')).toHaveLength(0);

    const expected = `It all began with${scripted(STORY, 600)}`;
    const message = await waitFor(() => {
      const first = h?.api.topLevel(CHANNEL)[0];
      return first && FakeSlackApi.visible(first) === expected ? first : undefined;
    }, 'the final text');

    expect(h.api.callsOf('chat.postMessage')).toHaveLength(1);
    expect(message.history[0]).toMatch(/in line|Writing/);
    const updates = h.api.callsOf('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    // Intermediate updates show a growing prefix of the story; the last one is the story itself.
    const texts = message.history.slice(1).map((t) => t.replace(' ✍️', ''));
    const growing = texts.filter((t) => t.startsWith('It all began with'));
    expect(growing.length).toBeGreaterThanOrEqual(2);
    for (const text of growing) expect(expected.startsWith(text)).toBe(true);
    expect(new Set(growing.map((t) => t.length)).size).toBeGreaterThanOrEqual(2);
    for (const call of [...h.api.callsOf('chat.postMessage'), ...updates]) {
      expect(call.params).toMatchObject({ channel: CHANNEL, parse: 'none', link_names: 'false' });
    }
    // Nothing went through response_url: stories never stream there.
    expect(h.api.responses).toHaveLength(0);
  });

  it('writes a shorter story for length:short and a longer one for length:long, the rest of the line being the seed', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 50, tickMs: 1 } });
    const expected = {
      short: `Near${scripted(STORY, STORY_LENGTHS.short)}`,
      long: `The far shore${scripted(STORY, STORY_LENGTHS.long)}`,
      medium: `Middle${scripted(STORY, STORY_LENGTH)}`,
    };
    expect((await h.command('/scifi', 'length:short Near')).status).toBe(200);
    expect((await h.command('/scifi', 'length:long model:melville The far shore', { userId: 'U0SECOND' })).status).toBe(200);
    expect((await h.command('/scifi', 'Middle', { userId: 'U0THIRD' })).status).toBe(200);
    const shown = await waitFor(() => {
      const texts = h?.api.topLevel(CHANNEL).map((m) => FakeSlackApi.visible(m)) ?? [];
      return Object.values(expected).every((text) => texts.includes(text)) && texts;
    }, 'the three stories');
    expect(shown).toHaveLength(3);
    expect(expected.short.length - 'Near'.length).toBeLessThan(expected.medium.length - 'Middle'.length);
    expect(expected.long.length - 'The far shore'.length).toBeGreaterThan(expected.medium.length - 'Middle'.length);
    expect(h.engine.requests.find((r) => r.seed === 'The far shore')?.model).toBe('melville');
  });

  it('answers an unknown length with the choices and writes nothing', async () => {
    h = await SlackHarness.start();
    const response = await h.command('/scifi', 'length:epic The ship');
    expect(response.status).toBe(200);
    const answer = await waitFor(() => h?.api.responses[0], 'the private answer');
    expect(answer.body['response_type']).toBe('ephemeral');
    expect(String(answer.body['text'])).toContain('length must be one of short, medium, long (got "epic")');
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(0);
    expect(h.engine.requests).toHaveLength(0);
  });

  it('continues a 5000-character story in the thread of its first message', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 250, tickMs: 2 } });
    const channelId = `slack:${h.api.teamId}:${CHANNEL}`;
    const started = await h.bot.stories.start({
      kind: 'story',
      channelId,
      userId: `slack:${h.api.teamId}:U0READER`,
      seed: 'Far out',
      length: 5000,
      surface: h.adapter.channelSurface(channelId),
    });
    const outcome = await started.finished;
    expect(outcome.status).toBe('done');

    const top = h.api.topLevel(CHANNEL);
    expect(top).toHaveLength(1);
    const root = top[0]!;
    const replies = h.api.replies(CHANNEL, root.ts);
    expect(replies.length).toBeGreaterThanOrEqual(1);
    const parts = [root, ...replies].map((m) => FakeSlackApi.visible(m));
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4000);
    expect(parts.join('')).toBe(`Far out${scripted(STORY, 5000)}`);
    for (const call of h.api.callsOf('chat.postMessage').slice(1)) expect(call.params['thread_ts']).toBe(root.ts);
  });

  it('stops the story, and posts nothing anew, when its message was deleted mid-way', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 10, tickMs: 20 } });
    const { started, first } = await channelStoryWithPlaceholder(h, 'Gone');
    h.api.messages.splice(h.api.messages.indexOf(first), 1); // deleted by a moderator
    const outcome = await started.finished;
    expect(outcome.status).toBe('deleted');
    expect(h.api.topLevel(CHANNEL)).toEqual([]);
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(1);
    expect(outcome.messageIds).toEqual([first.ts]);
  });

  it('posts the story anew when its message still exists but can no longer be updated', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 10, tickMs: 20 } });
    const { started, first } = await channelStoryWithPlaceholder(h, 'Frozen');
    Object.assign(first, { user: 'U0SOMEONE' }); // chat.update now answers cant_update_message: not a deletion
    const outcome = await started.finished;
    expect(outcome.status).toBe('done');
    const now = h.api.topLevel(CHANNEL);
    expect(now).toHaveLength(2);
    expect(FakeSlackApi.visible(now[1]!)).toBe(`Frozen${scripted(STORY, 200)}`);
    expect(outcome.messageIds).toEqual([now[1]!.ts]);
  });

  it('shows its place in line while it waits, then the story', async () => {
    h = await SlackHarness.start({ concurrency: 1, engine: { text: STORY, charsPerTick: 10, tickMs: 5 } });
    await h.command('/scifi', 'First in');
    await waitFor(() => h?.engine.requests.length === 1, 'the first story running');
    await h.command('/scifi', 'Second in', { userId: 'U0SECOND' });
    const waiting = await waitFor(() => h?.api.topLevel(CHANNEL)[1], 'the second placeholder');
    expect(waiting.history[0]).toMatch(/in line/);
    const expected = `Second in${scripted(STORY, 600)}`;
    await waitFor(() => FakeSlackApi.visible(h!.api.message(CHANNEL, waiting.ts)!) === expected, 'the second story');
  });

  it("answers Slack's URL verification challenge when signed", async () => {
    h = await SlackHarness.start();
    const url = `http://127.0.0.1:${h.adapter.httpPort()}/slack/events`;
    const body = JSON.stringify({ token: 'legacy', challenge: 'c-3po-challenge', type: 'url_verification' });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(SIGNING_SECRET, timestamp, body),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('c-3po-challenge');
  });
});

/** A 200-character story written straight into the channel, once its placeholder is posted. */
async function channelStoryWithPlaceholder(harness: SlackHarness, seed: string) {
  const channelId = `slack:${harness.api.teamId}:${CHANNEL}`;
  const started = await harness.bot.stories.start({
    kind: 'story',
    channelId,
    userId: `slack:${harness.api.teamId}:U0READER`,
    seed,
    length: 200,
    surface: harness.adapter.channelSurface(channelId),
  });
  const first = await waitFor(() => harness.api.topLevel(CHANNEL)[0], 'the placeholder');
  return { started, first };
}
