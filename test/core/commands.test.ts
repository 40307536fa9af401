import { describe, expect, it } from 'vitest';
import { allCommands, scifi, scifiDaily, scifiModel, scifiTemperature } from '../../commands/index.js';
import type { BotServices, DailyService, StartStoryInput } from '../../src/core/bot-services.js';
import type { CommandContext, OptionValues } from '../../src/core/command.js';
import { createBot } from '../../src/core/create-bot.js';
import { STORY_LENGTHS } from '../../src/core/limits.js';
import { MemoryJobStore, MemoryRecordStore, MemorySettingsStore } from '../fakes/memory-stores.js';
import { RecordingSurface } from '../fakes/recording-surface.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { MemoryLogger } from '../fakes/silent-logger.js';

const CHANNEL = 'test:ws:chan';

function makeBot(daily?: Partial<DailyService>): BotServices {
  return createBot({
    engine: new ScriptedEngine(),
    settingsStore: new MemorySettingsStore(),
    records: new MemoryRecordStore(),
    jobs: new MemoryJobStore(),
    limits: { concurrency: 2, maxWaiting: 5, maxWaitingPerUser: 2, jobsPerMinute: 10 },
    createDaily: () => ({
      schedule: (s) => s,
      cancel: () => false,
      get: () => undefined,
      nextRun: () => undefined,
      ...daily,
    }),
    logger: new MemoryLogger(),
  });
}

function context(bot: BotServices, options: OptionValues, manager: boolean) {
  const replies: string[] = [];
  const ctx: CommandContext = {
    platform: 'test',
    channelId: CHANNEL,
    userId: 'test:ws:user',
    options,
    canManageChannel: async () => manager,
    replyPrivately: async (text) => void replies.push(text),
    storySurface: () => new RecordingSurface(2000, 0),
    bot,
  };
  return { ctx, replies };
}

describe('command definitions', () => {
  it('have unique lowercase names and described options within platform limits', () => {
    const names = allCommands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const command of allCommands) {
      expect(command.name).toMatch(/^[a-z][a-z-]{0,31}$/);
      expect(command.description.length).toBeLessThanOrEqual(100);
      for (const option of command.options) expect(option.description.length).toBeLessThanOrEqual(100);
    }
  });

  it('/scifi offers the story sizes as choices and asks the story service for the chosen one', async () => {
    expect(scifi.options.find((o) => o.name === 'length')?.choices).toEqual(['short', 'medium', 'long']);
    const asked: StartStoryInput[] = [];
    const real = makeBot();
    const bot: BotServices = {
      ...real,
      models: () => real.models(),
      stories: {
        start: async (input) => (asked.push(input), { jobId: 'j', position: 0, finished: new Promise(() => undefined) }),
        regenerate: async () => undefined,
      },
    };
    await scifi.run(context(bot, { seed: 'A', length: 'short' }, false).ctx);
    await scifi.run(context(bot, { seed: 'B', length: 'long' }, false).ctx);
    await scifi.run(context(bot, { seed: 'C' }, false).ctx);
    expect(asked.map((input) => input.length)).toEqual([STORY_LENGTHS.short, STORY_LENGTHS.long, undefined]);
    // No choice leaves the length out, so the service's default (medium) applies.
    expect('length' in (asked[2] ?? {})).toBe(false);
    await expect(scifi.run(context(bot, { seed: 'D', length: 'epic' }, false).ctx)).rejects.toMatchObject({ code: 'bad-option' });
    expect(asked).toHaveLength(3);
  });

  it('/scifi-temperature shows to anyone but changes only for managers', async () => {
    const bot = makeBot();
    const viewer = context(bot, {}, false);
    await scifiTemperature.run(viewer.ctx);
    expect(viewer.replies).toEqual(["This channel's temperature is 0.4."]);
    await expect(scifiTemperature.run(context(bot, { value: 0.9 }, false).ctx)).rejects.toMatchObject({ code: 'forbidden' });
    const manager = context(bot, { value: 0.9 }, true);
    await scifiTemperature.run(manager.ctx);
    expect(manager.replies).toEqual(['Temperature for this channel is now 0.9 (was 0.4).']);
    expect(bot.settings.effective(CHANNEL).temperature).toBe(0.9);
  });

  it('/scifi-model lists the models and lets managers choose one', async () => {
    const bot = makeBot();
    const list = context(bot, {}, false);
    await scifiModel.run(list.ctx);
    expect(list.replies[0]).toContain('▸ scifi');
    expect(list.replies[0]).toContain('• melville');
    await expect(scifiModel.run(context(bot, { name: 'melville' }, false).ctx)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(scifiModel.run(context(bot, { name: 'tolkien' }, true).ctx)).rejects.toMatchObject({ code: 'unknown-model' });
    // A pasted wall of text, or an escape sequence, is quoted back short and visible.
    await expect(scifiModel.run(context(bot, { name: `\x1b[31m${'z'.repeat(5000)}` }, true).ctx)).rejects.toMatchObject({
      message: `There is no model called "[U+001B][31m${'z'.repeat(35)}…". Try one of: scifi, melville.`,
    });
    await scifiModel.run(context(bot, { name: 'melville' }, true).ctx);
    expect(bot.settings.effective(CHANNEL).model).toBe('melville');
  });

  it('/scifi-daily schedules, turns off, and refuses non-managers', async () => {
    const scheduled: unknown[] = [];
    const bot = makeBot({
      schedule: (s) => (scheduled.push(s), s),
      cancel: () => true,
      nextRun: () => new Date('2026-11-29T08:30:00Z'),
    });
    const set = context(bot, { time: '09:30', timezone: 'Europe/Berlin', seed: 'The probe' }, true);
    await scifiDaily.run(set.ctx);
    expect(scheduled).toEqual([{ channelId: CHANNEL, time: '09:30', timeZone: 'Europe/Berlin', seed: 'The probe' }]);
    expect(set.replies[0]).toBe('A story will be posted here every day at 09:30 (Europe/Berlin); the next one 2026-11-29 08:30 UTC.');
    const off = context(bot, { time: 'OFF' }, true);
    await scifiDaily.run(off.ctx);
    expect(off.replies).toEqual(['The daily story is off for this channel.']);
    await expect(scifiDaily.run(context(bot, { time: '10:00' }, false).ctx)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('withModelChoices', () => {
  it('fills the model options with the served models and leaves the rest alone', async () => {
    const { withModelChoices } = await import('../../src/core/command.js');
    const filled = withModelChoices(allCommands, ['melville', 'scifi']);
    const scifi = filled.find((c) => c.name === 'scifi');
    expect(scifi?.options.find((o) => o.name === 'model')?.choices).toEqual(['melville', 'scifi']);
    expect(scifi?.options.find((o) => o.name === 'seed')?.choices).toBeUndefined();
    expect(filled.find((c) => c.name === 'scifi-model')?.options[0]?.choices).toEqual(['melville', 'scifi']);
    // No models known: no menu rather than an empty one.
    expect(withModelChoices(allCommands, [])[0]?.options.find((o) => o.name === 'model')?.choices).toBeUndefined();
  });
});
