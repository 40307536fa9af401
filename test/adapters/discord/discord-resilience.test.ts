import { afterEach, describe, expect, it } from 'vitest';
import { PermanentPlatformError } from '../../../src/core/errors.js';
import { STORY_LENGTH } from '../../../src/core/limits.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';
import { DiscordHarness, ENGINE_TEXT, finalStory, scripted } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const SEED = 'Signal lost';
const STORY = finalStory(SEED, scripted(ENGINE_TEXT, STORY_LENGTH));
const contentOf = (r: RecordedRequest): unknown => (r.body as { content?: unknown } | undefined)?.content;

describe('Discord rate limits', () => {
  it('a 429 on the final edit delays it by retry_after but the final text still lands', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    fake.rateLimit({ method: 'PATCH', path: /\/messages\/@original$/, retryAfterSeconds: 0.4, when: (body) => contentOf({ body } as RecordedRequest) === STORY });
    const interaction = harness.command('scifi', { seed: SEED });
    const message = await harness.waitForMessage(STORY);
    expect(message.id).toBe(interaction.originalMessageId);
    const finals = fake.requests.filter((r) => r.method === 'PATCH' && contentOf(r) === STORY);
    expect(finals.map((r) => r.status)).toEqual([429, 200]);
    expect((finals[1]?.at ?? 0) - (finals[0]?.at ?? 0)).toBeGreaterThanOrEqual(400);
    expect(harness.logger.lines.some((l) => l.msg === 'Discord rate limit hit; pausing writes')).toBe(true);
  });

  it("a 429 pauses the whole channel's budget, not only the message that hit it", async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 5, tickMs: 10 } });
    const { fake } = harness;
    const a = harness.command('scifi', { seed: 'First' });
    harness.command('scifi', { seed: 'Second' });
    // Once both stories stream, the next edit of story A is refused for 1.5 s.
    await fake.waitFor('both stories streaming', () => fake.channelMessages().filter((m) => m.contents.length >= 3).length === 2);
    fake.rateLimit({ method: 'PATCH', path: new RegExp(`${a.token}/messages/@original$`), retryAfterSeconds: 1.5 });
    await harness.waitForMessage(finalStory('First', scripted(ENGINE_TEXT, STORY_LENGTH)));
    await harness.waitForMessage(finalStory('Second', scripted(ENGINE_TEXT, STORY_LENGTH)));
    const limited = fake.requests.find((r) => r.status === 429);
    expect(limited).toBeDefined();
    const t = limited?.at ?? 0;
    // Writes already past the budget may still arrive after the 429 (later still if the machine
    // stalls before the bot reads it): 250 ms are left for them; then silence until retry_after.
    const during = fake.messageWrites().filter((r) => r.at > t + 250 && r.at < t + 1450);
    expect(during).toEqual([]);
    expect(fake.messageWrites().some((r) => r.at >= t + 1500)).toBe(true);
  });

  it('keeps to the channel budget when several stories stream at once', async () => {
    const budget = { writesPerWindow: 5, windowMs: 500, messageIntervalMs: 150 };
    harness = await DiscordHarness.start({ engine: { charsPerTick: 10, tickMs: 10 }, adapter: { editIntervalMs: 50, budget } });
    const { fake } = harness;
    for (const seed of ['One', 'Two', 'Three']) harness.command('scifi', { seed });
    for (const seed of ['One', 'Two', 'Three']) await harness.waitForMessage(finalStory(seed, scripted(ENGINE_TEXT, STORY_LENGTH)));
    const writes = fake.messageWrites().filter((r) => r.status === 200);
    expect(writes.length).toBeGreaterThan(budget.writesPerWindow * 2);
    for (const w of writes) {
      const inWindow = writes.filter((o) => o.at >= w.at && o.at < w.at + budget.windowMs);
      expect(inWindow.length, JSON.stringify(writes.map((o) => o.at - (writes[0]?.at ?? 0)))).toBeLessThanOrEqual(budget.writesPerWindow);
    }
    // Edits of one message are spaced by the per-message interval.
    const byPath = new Map<string, number[]>();
    for (const w of writes.filter((r) => r.method === 'PATCH')) byPath.set(w.path, [...(byPath.get(w.path) ?? []), w.at]);
    for (const times of byPath.values()) {
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(budget.messageIntervalMs);
    }
  });
});

describe('Discord interaction token expiry', () => {
  it('when Discord refuses the token mid-story, edits continue on the same message through the bot token', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 5, tickMs: 10 } });
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: SEED });
    await fake.waitFor('the story growing', () => (harness?.original(interaction)?.contents.length ?? 0) >= 3);
    fake.expireInteraction(interaction.token);
    const message = await harness.waitForMessage(STORY);
    expect(message.id).toBe(interaction.originalMessageId);
    const refused = fake.requests.filter((r) => r.status === 401);
    expect(refused).toHaveLength(1); // the token is not tried again once refused
    const viaBot = fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${fake.channelId}/messages/${message.id}`);
    expect(viaBot.length).toBeGreaterThanOrEqual(1);
    expect(viaBot.every((r) => r.authorization === `Bot ${fake.token}` && r.status === 200)).toBe(true);
    expect(contentOf(viaBot.at(-1) as RecordedRequest)).toBe(STORY);
  });

  it('stops using the token before it expires (lifetime minus margin), without waiting for a refusal', async () => {
    harness = await DiscordHarness.start({
      // Trusted for 1 s; the story takes about 2.4 s.
      engine: { charsPerTick: 5, tickMs: 20 },
      adapter: { interactionTokenLifetimeMs: 2000, interactionTokenMarginMs: 1000 },
    });
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: SEED });
    const message = await harness.waitForMessage(STORY);
    expect(message.id).toBe(interaction.originalMessageId);
    const webhookEdits = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(interaction.token));
    const botEdits = fake.requests.filter((r) => r.method === 'PATCH' && r.path.startsWith('/channels/'));
    expect(webhookEdits.length).toBeGreaterThanOrEqual(1);
    expect(botEdits.length).toBeGreaterThanOrEqual(1);
    expect(Math.max(...webhookEdits.map((r) => r.at))).toBeLessThan(Math.min(...botEdits.map((r) => r.at)));
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });

  it('a story that outlives the token continues past 2000 characters as a channel message', async () => {
    harness = await DiscordHarness.start({
      // The token is trusted for 1 s; the first message fills up after about 2 s.
      engine: { charsPerTick: 20, tickMs: 20 },
      adapter: { interactionTokenLifetimeMs: 2000, interactionTokenMarginMs: 1000 },
    });
    const { fake } = harness;
    const interaction = harness.command('scifi-long', { seed: 'Far', length: 2500 });
    const whole = finalStory('Far', scripted(ENGINE_TEXT, 2500));
    const parts = await fake.waitFor('the whole story', () => {
      const messages = fake.channelMessages();
      return messages.map((m) => m.content).join('') === whole && messages;
    });
    expect(parts).toHaveLength(2);
    expect(parts[0]?.id).toBe(interaction.originalMessageId);
    expect(parts[1]?.interactionToken).toBeUndefined();
    expect(fake.requests.filter((r) => r.status >= 400)).toEqual([]);
  });
});

describe('Discord errors', () => {
  it('a story whose interaction response was deleted mid-stream stops there: nothing is posted again, token kept out of the logs', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 5, tickMs: 10 } });
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: SEED });
    await fake.waitFor('the story growing', () => (harness?.original(interaction)?.contents.length ?? 0) >= 3);
    const original = harness.original(interaction);
    if (original) original.deleted = true;
    // Discord answers 10008 Unknown Message to the next PATCH …/messages/@original.
    await fake.waitFor('the story to stop', () => harness?.logger.lines.some((l) => l.msg === 'story message deleted; stopped writing'));
    expect(fake.channelMessages()).toEqual([]);
    const refused = fake.requests.filter((r) => r.status === 404);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.method).toBe('PATCH');
    expect(refused[0]?.path.endsWith('/messages/@original')).toBe(true);
    // No follow-up and no other write after the refusal.
    expect(fake.messageWrites().filter((r) => r.at > (refused[0]?.at ?? 0))).toEqual([]);
    const logged = JSON.stringify(harness.logger.lines, (_key, value: unknown) =>
      value instanceof Error ? { ...value, message: value.message, stack: value.stack, cause: value.cause } : value,
    );
    expect(logged).not.toContain(interaction.token);
  });
});

describe('Discord channels the bot may not write in', () => {
  it('a post refused with 50013 Missing Permissions is a permanent failure, sent once', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    fake.denyBotWrites(50013);
    const surface = harness.adapter.channelSurface(harness.channelId);
    await expect(surface.post('nobody will read this')).rejects.toBeInstanceOf(PermanentPlatformError);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`);
    expect(posts.map((r) => r.status)).toEqual([403]);
  });

  it('an edit refused with 50001 Missing Access is a permanent failure too', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    const surface = harness.adapter.channelSurface(harness.channelId);
    const id = await surface.post('first words');
    fake.denyBotWrites(50001);
    await expect(surface.edit(id, 'first words, and more')).rejects.toBeInstanceOf(PermanentPlatformError);
  });

  it('a story in a channel where the bot lost Send Messages gives up at once instead of retrying its final write', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    fake.denyBotWrites(50013);
    const started = await harness.bot.stories.start({
      kind: 'story',
      channelId: harness.channelId,
      userId: `discord:${fake.guildId}:reader`,
      seed: 'Unheard',
      length: 60,
      surface: harness.adapter.channelSurface(harness.channelId),
    });
    const outcome = await started.finished;
    expect(outcome.status).toBe('failed');
    expect(fake.channelMessages()).toEqual([]);
    expect(harness.logger.lines.some((l) => l.msg === 'final edit failed; retrying')).toBe(false);
  });
});

describe('Discord restart recovery', () => {
  it('a story interrupted by a restart resumes in the same message', async () => {
    harness = await DiscordHarness.start({ engine: { charsPerTick: 5, tickMs: 20 } });
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: SEED });
    await fake.waitFor('the story growing', () => (harness?.original(interaction)?.contents.length ?? 0) >= 3);
    const requestsBefore = fake.requests.length;
    await harness.restart();
    const message = await harness.waitForMessage(STORY);
    expect(message.id).toBe(interaction.originalMessageId);
    expect(fake.channelMessages()).toHaveLength(1);
    // The new process edited the same message through the still-valid interaction token.
    const after = fake.requests.slice(requestsBefore).filter((r) => r.method === 'PATCH');
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((r) => r.path.includes(interaction.token))).toBe(true);
  });

  it('after a restart past the token’s lifetime, the same message is finished through the bot token', async () => {
    harness = await DiscordHarness.start({
      engine: { charsPerTick: 5, tickMs: 20 },
      adapter: { interactionTokenLifetimeMs: 1500, interactionTokenMarginMs: 1000 },
    });
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: SEED });
    // The token is trusted for 0.5 s: once the bot itself edits through its own token, that time is
    // over. Restarting only then (no fixed sleep) proves the new process keeps to the saved expiry
    // instead of trusting the token afresh.
    const viaBot = (r: RecordedRequest) => r.method === 'PATCH' && r.path === `/channels/${fake.channelId}/messages/${interaction.originalMessageId}`;
    await fake.waitFor('an edit through the bot token', () => fake.requests.some(viaBot));
    const requestsBefore = fake.requests.length;
    await harness.restart();
    const message = await harness.waitForMessage(STORY);
    expect(message.id).toBe(interaction.originalMessageId);
    expect(fake.channelMessages()).toHaveLength(1);
    const after = fake.requests.slice(requestsBefore).filter((r) => r.method === 'PATCH');
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((r) => r.path === `/channels/${fake.channelId}/messages/${message.id}` && r.status === 200)).toBe(true);
  });

  it('stops writing, and posts nothing anew, when a moderator deleted the message', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    const surface = harness.adapter.channelSurface(harness.channelId);
    const started = await harness.bot.stories.start({
      kind: 'story',
      channelId: harness.channelId,
      userId: `discord:${fake.guildId}:reader`,
      seed: 'Deleted',
      length: 60,
      surface,
    });
    const first = await fake.waitFor('the placeholder', () => fake.channelMessages()[0]);
    first.deleted = true;
    const outcome = await started.finished;
    expect(outcome.status).toBe('deleted');
    expect(fake.channelMessages()).toEqual([]);
    expect(outcome.messageIds).toEqual([first.id]);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`);
    expect(posts).toHaveLength(1);
  });

  it('after stop() no new events are taken, but writes of stories in flight still go through', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    await harness.adapter.stop();
    harness.command('scifi', { seed: 'Too late' });
    const surface = harness.adapter.channelSurface(harness.channelId);
    const id = await surface.post('last words');
    await surface.edit(id, 'last words, finished');
    expect(fake.messages.get(id)?.content).toBe('last words, finished');
    expect(fake.requests.filter((r) => r.path.endsWith('/callback'))).toEqual([]);
  });
});
