import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyScheduler } from '../../src/core/daily-scheduler.js';
import { ScheduleDailyService } from '../../src/core/daily-service.js';
import { UserError } from '../../src/core/errors.js';
import { SEED_MAX_CHARS } from '../../src/core/limits.js';
import { openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { tempDataDir } from '../storage/temp-data-dir.js';
import { FakeDailyClock } from './daily-fake-clock.js';

const CHANNEL = 'slack:T1:C1';
const logger = { debug() {}, info() {}, warn() {}, error() {} };

function userError(action: () => unknown): UserError {
  try {
    action();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('ScheduleDailyService', () => {
  let temp: ReturnType<typeof tempDataDir>;
  let db: BotDatabase;
  let clock: FakeDailyClock;
  let scheduler: DailyScheduler;
  let service: ScheduleDailyService;
  let posted: string[];

  beforeEach(() => {
    temp = tempDataDir('scifi-daily-service-');
    db = openDatabase(temp.dir);
    clock = new FakeDailyClock('2030-01-10T10:00:00Z');
    posted = [];
    scheduler = new DailyScheduler({
      store: db.schedules,
      clock,
      missedGraceMs: 3 * 3_600_000,
      logger,
      resyncIntervalMs: 0,
      post: async (schedule, day) => posted.push(`${schedule.channelId} ${day} ${schedule.seed ?? ''}`) > 0,
    });
    service = new ScheduleDailyService({
      store: db.schedules,
      scheduler,
      now: () => clock.now(),
      models: () => [
        { id: 'scifi', description: 'default' },
        { id: 'tiny', description: 'small' },
      ],
    });
    scheduler.start();
  });
  afterEach(() => {
    scheduler.stop();
    db.close();
    temp.remove();
  });

  it.each(['24:00', '07:60', '7', '0730', 'noon', '', '-1:00', '12:3'])('refuses the time %j with the expected form', (time) => {
    const error = userError(() => service.schedule({ channelId: CHANNEL, time, timeZone: 'UTC' }));
    expect(error.code).toBe('bad-option');
    expect(error.message).toContain('HH:MM');
    expect(error.message).toContain('00:00 to 23:59');
    expect(db.schedules.get(CHANNEL)).toBeUndefined();
  });

  it.each(['Mars/Olympus_Mons', '+01:00', 'GMT+1', '', 'Europe/'])('refuses the time zone %j with the expected form', (timeZone) => {
    const error = userError(() => service.schedule({ channelId: CHANNEL, time: '09:00', timeZone }));
    expect(error.code).toBe('bad-option');
    expect(error.message).toContain('IANA');
    expect(error.message).toContain('Europe/Berlin');
  });

  it('normalises the time and the zone name, and keeps seed and model', () => {
    const schedule = service.schedule({
      channelId: CHANNEL,
      time: ' 7:05 ',
      timeZone: 'europe/berlin',
      seed: '  The colony ship  ',
      model: 'tiny',
    });
    expect(schedule).toMatchObject({ time: '07:05', timeZone: 'Europe/Berlin', seed: 'The colony ship', model: 'tiny' });
    expect(service.get(CHANNEL)).toEqual(schedule);
  });

  it('quotes a bad time or time zone back with invisible characters shown as code points', () => {
    expect(userError(() => service.schedule({ channelId: CHANNEL, time: '9\u200b:00', timeZone: 'UTC' })).message).toMatch(
      /^"9\[U\+200B\]:00" is not a time of day/,
    );
    expect(userError(() => service.schedule({ channelId: CHANNEL, time: '09:00', timeZone: '\u202eUTC\x1b' })).message).toMatch(
      /^"\[U\+202E\]UTC\[U\+001B\]" is not a time zone I know/,
    );
  });

  it('takes a model name in any case and stores the served id', () => {
    const schedule = service.schedule({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC', model: ' Tiny ' });
    expect(schedule.model).toBe('tiny');
  });

  it('refuses an unknown model and an overlong seed', () => {
    expect(userError(() => service.schedule({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC', model: 'gpt' })).code).toBe(
      'unknown-model',
    );
    const seed = 'x'.repeat(SEED_MAX_CHARS + 1);
    expect(userError(() => service.schedule({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC', seed })).code).toBe(
      'bad-option',
    );
    // Characters as people count them: an emoji is one, not two UTF-16 units.
    const emoji = '🚀'.repeat(SEED_MAX_CHARS);
    expect(service.schedule({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC', seed: emoji }).seed).toBe(emoji);
  });

  it('arms the scheduler: a time later today runs today', () => {
    service.schedule({ channelId: CHANNEL, time: '12:00', timeZone: 'UTC', seed: 'Dawn' });
    expect(service.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-10T12:00:00.000Z');
    clock.advanceTo('2030-01-10T12:00:00Z');
    expect(posted).toEqual([`${CHANNEL} 2030-01-10 Dawn`]);
    expect(service.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-11T12:00:00.000Z');
  });

  it('does not treat a time already past today as missed, even across a restart', () => {
    service.schedule({ channelId: CHANNEL, time: '09:30', timeZone: 'UTC' });
    expect(posted).toEqual([]);
    expect(service.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-11T09:30:00.000Z');

    scheduler.stop();
    clock.advanceTo('2030-01-10T10:30:00Z');
    scheduler.start();
    expect(posted).toEqual([]);
    clock.advanceTo('2030-01-11T09:30:00Z');
    expect(posted).toEqual([`${CHANNEL} 2030-01-11 `]);
  });

  it('keeps a day already posted when the time is moved later the same day', () => {
    service.schedule({ channelId: CHANNEL, time: '10:30', timeZone: 'UTC' });
    clock.advanceTo('2030-01-10T10:30:00Z');
    expect(posted).toHaveLength(1);
    service.schedule({ channelId: CHANNEL, time: '18:00', timeZone: 'UTC' });
    expect(service.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-11T18:00:00.000Z');
    clock.advanceTo('2030-01-11T18:00:00Z');
    expect(posted).toEqual([`${CHANNEL} 2030-01-10 `, `${CHANNEL} 2030-01-11 `]);
  });

  it('cancels: no more stories and no next run', () => {
    service.schedule({ channelId: CHANNEL, time: '11:00', timeZone: 'UTC' });
    expect(service.cancel(CHANNEL)).toBe(true);
    expect(service.cancel(CHANNEL)).toBe(false);
    expect(service.get(CHANNEL)).toBeUndefined();
    expect(service.nextRun(CHANNEL)).toBeUndefined();
    clock.advanceTo('2030-01-12T00:00:00Z');
    expect(posted).toEqual([]);
  });
});
