import { describe, expect, it } from 'vitest';
import { messageKey } from '../../src/core/bot-services.js';
import { createBot, type Bot } from '../../src/core/create-bot.js';
import { DAILY_STORY_LENGTH, STORY_LENGTH, STORY_LENGTHS } from '../../src/core/limits.js';
import { StoryEnding } from '../../src/core/story-ending.js';
import type { DailyService } from '../../src/core/bot-services.js';
import type { MessageSurface, PlatformGateway, SurfaceAddress } from '../../src/core/ports.js';
import { MemoryJobStore, MemoryRecordStore, MemorySettingsStore } from '../fakes/memory-stores.js';
import { RecordingSurface } from '../fakes/recording-surface.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { MemoryLogger } from '../fakes/silent-logger.js';

const CHANNEL = 'test:ws:chan';

const noDaily: DailyService = {
  schedule: () => {
    throw new Error('not used');
  },
  cancel: () => false,
  get: () => undefined,
  nextRun: () => undefined,
};

function setup(options: { text?: string; concurrency?: number; maxWaiting?: number; perMinute?: number; jobs?: MemoryJobStore; records?: MemoryRecordStore } = {}) {
  const engine = new ScriptedEngine({ text: options.text ?? ' and then the stars went out.', charsPerTick: 5 });
  const jobs = options.jobs ?? new MemoryJobStore();
  const records = options.records ?? new MemoryRecordStore();
  const settings = new MemorySettingsStore();
  const bot = createBot({
    engine,
    settingsStore: settings,
    records,
    jobs,
    limits: {
      concurrency: options.concurrency ?? 4,
      maxWaiting: options.maxWaiting ?? 10,
      maxWaitingPerUser: 5,
      jobsPerMinute: options.perMinute ?? 100,
    },
    createDaily: () => noDaily,
    logger: new MemoryLogger(),
  });
  return { bot, engine, jobs, records, settings };
}

/** A surface with no edit interval, so tests run at full speed on real timers. */
const fastSurface = (maxLength = 2000) => new RecordingSurface(maxLength, 0);

describe('story service', () => {
  it('streams a story into the surface and ends with seed + continuation', async () => {
    const { bot, engine } = setup();
    const surface = fastSurface();
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u1', seed: 'It began', surface, length: 25 });
    const outcome = await started.finished;
    expect(outcome.status).toBe('done');
    // 25 characters asked for: the story runs on to the end of its sentence, and no further.
    expect(outcome.text).toBe('It began and then the stars went out.');
    expect(surface.shownText()).toBe(outcome.text);
    expect(surface.ops[0]).toMatchObject({ op: 'post' });
    expect(engine.requests[0]).toMatchObject({ seed: 'It began', temperature: 0.4, model: 'scifi', length: 32 });
  });

  it('ends a story with no sentence end in reach at its last whole word, with an ellipsis', async () => {
    const { bot } = setup({ text: ' and on and on and on' });
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u1', seed: 'It went', surface: fastSurface(), length: 30 });
    expect((await started.finished).text).toBe('It went and on and on and on and on and on…');
  });

  it('stops a story whose message was deleted, and does not resume it after a restart', async () => {
    const { MessageGoneError } = await import('../../src/core/errors.js');
    const { bot, engine, jobs } = setup({ text: ' and on'.repeat(200) });
    const surface = fastSurface();
    const realEdit = surface.edit.bind(surface);
    surface.edit = async (id, text) => {
      if (!surface.messages.has(id)) throw new MessageGoneError(`unknown message ${id}`);
      return realEdit(id, text);
    };
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u1', seed: 'It began', surface, length: 1000 });
    await new Promise<void>((resolve) => {
      const check = (): void => (surface.ops.some((op) => op.op === 'edit') ? resolve() : void setTimeout(check, 2));
      check();
    });
    surface.messages.clear(); // deleted by the user who asked
    const outcome = await started.finished;
    expect(outcome.status).toBe('deleted');
    expect(surface.ops.filter((op) => op.op === 'post')).toHaveLength(1);
    expect(jobs.unfinished()).toEqual([]);
    expect(engine.requests).toHaveLength(1);
  });

  it('does not start writing a story whose message was deleted while it waited in line', async () => {
    const { MessageGoneError } = await import('../../src/core/errors.js');
    const { bot, engine, jobs } = setup({ concurrency: 1 });
    const base = { kind: 'story' as const, channelId: CHANNEL, surface: fastSurface(), length: 100 };
    const first = await bot.stories.start({ ...base, userId: 'u1', seed: 'First' });
    const second = await bot.stories.start({ ...base, userId: 'u2', seed: 'Second', surface: fastSurface() });
    const surface = fastSurface();
    const realEdit = surface.edit.bind(surface);
    surface.edit = async (id, text) => {
      if (!surface.messages.has(id)) throw new MessageGoneError(`unknown message ${id}`);
      return realEdit(id, text);
    };
    const third = await bot.stories.start({ ...base, userId: 'u3', seed: 'Third', surface });
    expect(third.position).toBe(2);
    surface.messages.clear(); // deleted while it waits; seen when its place in line is updated
    await first.finished;
    await second.finished;
    const outcome = await third.finished;
    expect(outcome.status).toBe('deleted');
    expect(engine.requests.map((r) => r.seed)).toEqual(['First', 'Second']);
    expect(jobs.unfinished()).toEqual([]);
  });

  it('keeps many jobs on its one shutdown signal without Node warning of a listener leak', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const { bot } = setup({ concurrency: 2, maxWaiting: 30 });
      const started = await Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          bot.stories.start({ kind: 'story', channelId: `${CHANNEL}${i}`, userId: `u${i}`, seed: 'x', surface: fastSurface(), length: 5 }),
        ),
      );
      await Promise.all(started.map((s) => s.finished));
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('uses the channel temperature and model unless the command names them', async () => {
    const { bot, engine } = setup();
    bot.settings.setTemperature(CHANNEL, 0.9);
    bot.settings.setModel(CHANNEL, 'melville');
    await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'x', surface: fastSurface(), length: 5 })).finished;
    await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'x', model: 'scifi', surface: fastSurface(), length: 5 })).finished;
    expect(engine.requests.map((r) => [r.model, r.temperature])).toEqual([
      ['melville', 0.9],
      ['scifi', 0.9],
    ]);
  });

  it('takes a model named in any case, as typed on Slack or in the terminal', async () => {
    const { bot, engine } = setup();
    bot.settings.setModel(CHANNEL, 'MELVILLE');
    expect(bot.settings.effective(CHANNEL).model).toBe('melville');
    await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'x', model: 'SciFi', surface: fastSurface(), length: 5 })).finished;
    expect(engine.requests.map((r) => r.model)).toEqual(['scifi']);
  });

  it('refuses an unknown model, an out-of-range temperature and a huge seed with friendly errors', async () => {
    const { bot, jobs } = setup();
    const base = { kind: 'story' as const, channelId: CHANNEL, userId: 'u', surface: fastSurface() };
    await expect(bot.stories.start({ ...base, seed: 'x', model: 'nope' })).rejects.toMatchObject({ code: 'unknown-model', message: expect.stringContaining('scifi, melville') });
    await expect(bot.stories.start({ ...base, seed: 'x', temperature: 7 })).rejects.toMatchObject({ code: 'bad-option' });
    await expect(bot.stories.start({ ...base, seed: 'y'.repeat(5000) })).rejects.toMatchObject({ code: 'bad-option', message: expect.stringContaining('5000') });
    expect(() => bot.settings.setTemperature(CHANNEL, 0)).toThrow(/from 0.1 to 2/);
    expect(jobs.data.size).toBe(0);
  });

  it('counts a seed in characters as the option parsers do: 1000 emoji pass, 1001 are refused as 1001', async () => {
    const { bot } = setup();
    const base = { kind: 'story' as const, channelId: CHANNEL, userId: 'u', surface: fastSurface(), length: 5 };
    const started = await bot.stories.start({ ...base, seed: `It began ${'🚀'.repeat(991)}` });
    expect((await started.finished).status).toBe('done');
    await expect(bot.stories.start({ ...base, seed: '🚀'.repeat(1001) })).rejects.toMatchObject({
      code: 'bad-option',
      message: 'That opening is 1001 characters long; please keep it to 1000 or fewer.',
    });
  });

  it('persists the job before accepting it, with a random seed, and marks it done', async () => {
    const { bot, jobs } = setup();
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'A', surface: fastSurface(), length: 10 });
    const stored = jobs.data.get(started.jobId);
    expect(stored?.request.randomSeed).toEqual(expect.any(Number));
    await started.finished;
    expect(jobs.data.get(started.jobId)?.state).toBe('done');
    expect(jobs.data.get(started.jobId)?.surface?.messageIds).toEqual(['m1']);
  });

  it('shows "#N in line" while a job waits', async () => {
    const { bot } = setup({ concurrency: 1 });
    const first = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'a', seed: 'A', surface: fastSurface(), length: 200 });
    const waitingSurface = fastSurface();
    const second = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'b', seed: 'B', surface: waitingSurface, length: 10 });
    expect(first.position).toBe(0);
    expect(second.position).toBe(1);
    await second.finished;
    expect(waitingSurface.ops[0]?.text).toMatch(/Next in line/);
  });

  it('never lets generated or seed text ping anyone', async () => {
    const { bot } = setup({ text: ' hey @everyone and @here <@123> <@&9> <!channel>' });
    const surface = fastSurface();
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: '@everyone <@42>', surface, length: 60 });
    const outcome = await started.finished;
    expect(outcome.text).not.toMatch(/@(everyone|here)|<[@#!]/);
    expect(outcome.text).toContain('everyone');
  });

  it('finishes a failed generation with a clear message in the same reply', async () => {
    const { bot, engine, jobs } = setup();
    engine.generate = async function* () {
      yield ' a few words';
      throw new Error('model exploded');
    };
    const surface = fastSurface();
    const started = await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'Once', surface, length: 50 });
    const outcome = await started.finished;
    expect(outcome.status).toBe('failed');
    expect(surface.shownText()).toMatch(/^Once a few words\n\n\(The story broke off/);
    expect(jobs.data.get(started.jobId)?.state).toBe('failed');
  });

  it('rate-limits a user per minute with the time to wait', async () => {
    const { bot } = setup({ perMinute: 2 });
    const go = () => bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'A', surface: fastSurface(), length: 1 });
    await go();
    await go();
    await expect(go()).rejects.toMatchObject({ code: 'rate-limited', message: expect.stringMatching(/Try again in \d+ s/) });
  });

  it("does not count a story the full queue refused against the user's per-minute allowance", async () => {
    const { bot } = setup({ perMinute: 2, concurrency: 1, maxWaiting: 1 });
    const go = (userId: string) => bot.stories.start({ kind: 'story', channelId: CHANNEL, userId, seed: 'A', surface: fastSurface(), length: 30 });
    const running = await go('u1');
    const waiting = await go('u2');
    for (let i = 0; i < 3; i++) await expect(go('u3')).rejects.toMatchObject({ code: 'busy' });
    await Promise.all([running.finished, waiting.finished]);
    const later = await go('u3');
    expect((await later.finished).status).toBe('done');
  });

  it('remembers every message of a story and regenerates from it at the current temperature', async () => {
    const { bot, engine } = setup();
    const original = fastSurface(30);
    const outcome = await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'The ship', surface: original, length: 40 })).finished;
    expect(outcome.messageIds.length).toBeGreaterThan(1);
    bot.settings.setTemperature(CHANNEL, 1.1);
    const reply = fastSurface();
    const lastMessage = outcome.messageIds[outcome.messageIds.length - 1] ?? '';
    const again = await bot.stories.regenerate({ channelId: CHANNEL, messageId: lastMessage, userId: 'v', surface: reply });
    expect(again).toBeDefined();
    await again?.finished;
    expect(engine.requests[1]).toMatchObject({ seed: 'The ship', temperature: 1.1 });
    expect(reply.shownText().startsWith('The ship')).toBe(true);
    // Not a story of ours: ignored.
    await expect(bot.stories.regenerate({ channelId: CHANNEL, messageId: 'other', userId: 'v', surface: fastSurface() })).resolves.toBeUndefined();
  });

  it('regenerates a story at the length it was written at, and an old record without one at the default', async () => {
    const { bot, engine, records } = setup();
    const long = await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'Far', surface: fastSurface(), length: STORY_LENGTHS.long })).finished;
    expect(records.get(messageKey(CHANNEL, long.messageIds[0] ?? ''))?.length).toBe(STORY_LENGTHS.long);
    await (await bot.stories.regenerate({ channelId: CHANNEL, messageId: long.messageIds[0] ?? '', userId: 'v', surface: fastSurface() }))?.finished;
    expect(engine.requests[1]?.length).toBe(new StoryEnding(STORY_LENGTHS.long).maxLength);

    records.put(messageKey(CHANNEL, 'before-sizes'), { channelId: CHANNEL, seed: 'Old', model: 'scifi', temperature: 0.4, jobId: 'j0' });
    await (await bot.stories.regenerate({ channelId: CHANNEL, messageId: 'before-sizes', userId: 'v', surface: fastSurface() }))?.finished;
    expect(engine.requests[2]?.length).toBe(new StoryEnding(STORY_LENGTH).maxLength);
  });

  it('regenerates a story whose model is no longer served with the channel model instead of refusing', async () => {
    const records = new MemoryRecordStore();
    const { bot, engine } = setup({ records });
    records.put(messageKey(CHANNEL, 'old-story'), { channelId: CHANNEL, seed: 'The ship', model: 'retired', temperature: 0.4, jobId: 'j0' });
    bot.settings.setModel(CHANNEL, 'melville');
    const again = await bot.stories.regenerate({ channelId: CHANNEL, messageId: 'old-story', userId: 'v', surface: fastSurface() });
    expect((await again?.finished)?.status).toBe('done');
    expect(engine.requests[0]).toMatchObject({ seed: 'The ship', model: 'melville' });
  });

  it('runs one regeneration at a time per message', async () => {
    const { bot } = setup();
    const outcome = await (await bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'S', surface: fastSurface(), length: 5 })).finished;
    const id = outcome.messageIds[0] ?? '';
    const first = await bot.stories.regenerate({ channelId: CHANNEL, messageId: id, userId: 'v', surface: fastSurface() });
    await expect(bot.stories.regenerate({ channelId: CHANNEL, messageId: id, userId: 'w', surface: fastSurface() })).rejects.toMatchObject({ code: 'busy' });
    await first?.finished;
    await new Promise((r) => setImmediate(r));
    const third = await bot.stories.regenerate({ channelId: CHANNEL, messageId: id, userId: 'w', surface: fastSurface() });
    await third?.finished;
    expect(third).toBeDefined();
  });

  it('recovers unfinished jobs after a restart into the message they were editing, with the same text', async () => {
    const jobs = new MemoryJobStore();
    const records = new MemoryRecordStore();
    const before = setup({ jobs, records, text: ' the same words every time, by design' });
    const surfaces = new Map<string, RecordingSurface>();
    const gateway: PlatformGateway = {
      platform: 'test',
      channelSurface: () => fastSurface(),
      resumeSurface: (address: SurfaceAddress): MessageSurface => {
        const s = surfaces.get(address.messageIds[0] ?? '') ?? fastSurface();
        return s;
      },
    };
    before.bot.attach(gateway);
    const surface = fastSurface();
    const started = await before.bot.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'u', seed: 'Go', surface, length: 30 });
    // Simulate a crash after the placeholder was posted: stop the process's jobs.
    await new Promise((r) => setImmediate(r));
    before.bot.stop();
    await started.finished;
    const stored = jobs.data.get(started.jobId);
    expect(stored?.state === 'queued' || stored?.state === 'running').toBe(true);
    surfaces.set('m1', surface);

    const after = setup({ jobs, records, text: ' the same words every time, by design' });
    after.bot.attach(gateway);
    expect(after.bot.recover()).toBe(1);
    await after.bot.idle();
    expect(jobs.data.get(started.jobId)?.state).toBe('done');
    expect(surface.shownText()).toBe('Go the same words every time, by design…');
    expect(surface.ops.filter((o) => o.op === 'post')).toHaveLength(1);
    expect(after.engine.requests[0]?.randomSeed).toBe(stored?.request.randomSeed);
    // The size it was asked for, not the default.
    expect(after.engine.requests[0]?.length).toBe(new StoryEnding(30).maxLength);
  });

  it('gives a daily story a title line and the longer default length', async () => {
    const { bot, engine } = setup();
    const channelSurface = fastSurface(4000);
    bot.attach({ platform: 'test', channelSurface: () => channelSurface, resumeSurface: () => fastSurface() });
    const outcome = await bot.stories.postDaily({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC', seed: 'the last robot' }, '2026-11-28');
    expect(outcome.status).toBe('done');
    expect(channelSurface.shownText().split('\n')[0]).toBe('📖 The Last Robot — story of the day, 2026-11-28');
    expect(engine.requests[0]?.length).toBe(new StoryEnding(DAILY_STORY_LENGTH).maxLength);
  });
});

describe('daily stories when the channel refuses every post', () => {
  it('end failed with no message ids, which is what tells the scheduler to try the day again', async () => {
    const { bot } = setup();
    class RefusingSurface extends RecordingSurface {
      override async post(): Promise<string> {
        throw new Error('platform unreachable (injected)');
      }
    }
    bot.attach({ platform: 'test', channelSurface: () => new RefusingSurface(4000, 0), resumeSurface: () => fastSurface() });
    const outcome = await bot.stories.postDaily({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' }, '2026-11-28');
    expect(outcome.status).toBe('failed');
    expect(outcome.messageIds).toEqual([]);
  }, 30_000);
});

describe('messageKey', () => {
  it('joins channel and message ids', () => {
    expect(messageKey('discord:1:2', '3')).toBe('discord:1:2:3');
  });
});

export type { Bot };
