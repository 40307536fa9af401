import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DailyScheduler } from '../../src/core/daily-scheduler.js';
import type { DailySchedule, Logger, ScheduleStore } from '../../src/core/ports.js';
import { openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { tempDataDir } from '../storage/temp-data-dir.js';
import { FakeDailyClock } from './daily-fake-clock.js';

const CHANNEL = 'discord:g1:c1';
const HOUR = 3_600_000;

interface Posted {
  readonly channelId: string;
  readonly day: string;
  readonly at: string;
  readonly by: string;
}

function withoutClaim(schedule: DailySchedule | undefined): DailySchedule | undefined {
  if (!schedule) return undefined;
  const { lastPostedDay: _ignored, ...rest } = schedule;
  return rest;
}

const quietLogger = (errors: string[] = []): Logger => ({
  debug() {},
  info() {},
  warn() {},
  error: (obj) => void errors.push(JSON.stringify(obj)),
});

describe('DailyScheduler', () => {
  let temp: ReturnType<typeof tempDataDir>;
  let databases: BotDatabase[];
  let schedulers: DailyScheduler[];
  let posted: Posted[];

  beforeEach(() => {
    temp = tempDataDir('scifi-daily-');
    databases = [];
    schedulers = [];
    posted = [];
  });
  afterEach(() => {
    for (const scheduler of schedulers) scheduler.stop();
    for (const db of databases) db.close();
    temp.remove();
  });

  function connect(): BotDatabase {
    const db = openDatabase(temp.dir);
    databases.push(db);
    return db;
  }

  function scheduler(
    clock: FakeDailyClock,
    options: {
      db?: BotDatabase;
      name?: string;
      missedGraceMs?: number;
      errors?: string[];
      fail?: boolean;
      /** What each post answers in turn (true: it reached the channel); then true. */
      reached?: boolean[];
      retryDelaysMs?: number[];
    } = {},
  ): DailyScheduler {
    const db = options.db ?? databases[0] ?? connect();
    const created = new DailyScheduler({
      store: db.schedules,
      clock,
      missedGraceMs: options.missedGraceMs ?? 3 * HOUR,
      logger: quietLogger(options.errors),
      resyncIntervalMs: 0,
      ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
      post: async (schedule: DailySchedule, day: string) => {
        posted.push({
          channelId: schedule.channelId,
          day,
          at: new Date(clock.now()).toISOString(),
          by: options.name ?? 'main',
        });
        if (options.fail) throw new Error('platform unreachable');
        return options.reached?.shift() ?? true;
      },
    });
    schedulers.push(created);
    return created;
  }

  const days = (): string[] => posted.map((p) => p.day);

  it('posts at the scheduled time each day and re-arms after each run', () => {
    const db = connect();
    db.schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'Europe/Berlin' });
    const clock = new FakeDailyClock('2030-06-01T06:00:00Z');
    const daily = scheduler(clock);
    daily.start();
    expect(daily.nextRun(CHANNEL)?.toISOString()).toBe('2030-06-01T07:00:00.000Z');

    clock.advanceTo('2030-06-01T06:59:59Z');
    expect(posted).toEqual([]);
    clock.advanceTo('2030-06-04T12:00:00Z');
    expect(posted.map((p) => [p.day, p.at])).toEqual([
      ['2030-06-01', '2030-06-01T07:00:00.000Z'],
      ['2030-06-02', '2030-06-02T07:00:00.000Z'],
      ['2030-06-03', '2030-06-03T07:00:00.000Z'],
      ['2030-06-04', '2030-06-04T07:00:00.000Z'],
    ]);
    expect(db.schedules.get(CHANNEL)?.lastPostedDay).toBe('2030-06-04');
  });

  describe('daylight-saving changes', () => {
    it('America/New_York spring forward: 02:30 does not exist, posted once at 03:00 EDT', () => {
      connect().schedules.put({ channelId: CHANNEL, time: '02:30', timeZone: 'America/New_York' });
      const clock = new FakeDailyClock('2026-03-07T00:00:00Z');
      scheduler(clock).start();
      clock.advanceTo('2026-03-10T12:00:00Z');
      expect(posted.map((p) => [p.day, p.at])).toEqual([
        ['2026-03-07', '2026-03-07T07:30:00.000Z'],
        ['2026-03-08', '2026-03-08T07:00:00.000Z'],
        ['2026-03-09', '2026-03-09T06:30:00.000Z'],
        ['2026-03-10', '2026-03-10T06:30:00.000Z'],
      ]);
    });

    it('America/New_York fall back: 01:30 happens twice, posted once at the first', () => {
      connect().schedules.put({ channelId: CHANNEL, time: '01:30', timeZone: 'America/New_York' });
      const clock = new FakeDailyClock('2026-10-31T00:00:00Z');
      scheduler(clock).start();
      clock.advanceTo('2026-11-02T12:00:00Z');
      expect(posted.map((p) => [p.day, p.at])).toEqual([
        ['2026-10-31', '2026-10-31T05:30:00.000Z'],
        ['2026-11-01', '2026-11-01T05:30:00.000Z'],
        ['2026-11-02', '2026-11-02T06:30:00.000Z'],
      ]);
    });

    it('Europe/Berlin spring forward and fall back: one story on each day', () => {
      connect().schedules.put({ channelId: CHANNEL, time: '02:30', timeZone: 'Europe/Berlin' });
      const clock = new FakeDailyClock('2026-03-28T00:00:00Z');
      scheduler(clock).start();
      clock.advanceTo('2026-03-30T12:00:00Z');
      expect(posted.map((p) => [p.day, p.at])).toEqual([
        ['2026-03-28', '2026-03-28T01:30:00.000Z'],
        ['2026-03-29', '2026-03-29T01:00:00.000Z'],
        ['2026-03-30', '2026-03-30T00:30:00.000Z'],
      ]);

      posted.length = 0;
      clock.advanceTo('2026-10-24T12:00:00Z');
      posted.length = 0;
      clock.advanceTo('2026-10-26T12:00:00Z');
      expect(posted.map((p) => [p.day, p.at])).toEqual([
        ['2026-10-25', '2026-10-25T00:30:00.000Z'],
        ['2026-10-26', '2026-10-26T01:30:00.000Z'],
      ]);
    });
  });

  describe('missed runs', () => {
    beforeEach(() => {
      connect().schedules.put({
        channelId: CHANNEL,
        time: '09:00',
        timeZone: 'UTC',
        lastPostedDay: '2030-01-09',
      });
    });

    it('posts a run missed within the grace period once on start, then keeps the normal time', () => {
      const clock = new FakeDailyClock('2030-01-10T11:30:00Z');
      scheduler(clock).start();
      expect(posted.map((p) => [p.day, p.at])).toEqual([['2030-01-10', '2030-01-10T11:30:00.000Z']]);

      // A second restart the same morning posts nothing more.
      scheduler(clock, { name: 'restarted' }).start();
      clock.advanceTo('2030-01-11T09:00:00Z');
      expect(posted.map((p) => [p.day, p.at])).toEqual([
        ['2030-01-10', '2030-01-10T11:30:00.000Z'],
        ['2030-01-11', '2030-01-11T09:00:00.000Z'],
      ]);
    });

    it('skips a run missed by more than the grace period', () => {
      const clock = new FakeDailyClock('2030-01-10T12:00:01Z');
      const daily = scheduler(clock);
      daily.start();
      expect(posted).toEqual([]);
      expect(daily.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-11T09:00:00.000Z');
      clock.advanceTo('2030-01-11T09:00:00Z');
      expect(days()).toEqual(['2030-01-11']);
    });

    it('with no grace still posts a run whose timer fires a moment late', () => {
      const clock = new FakeDailyClock('2030-01-10T09:00:02Z');
      scheduler(clock, { missedGraceMs: 0 }).start();
      expect(days()).toEqual(['2030-01-10']);
    });
  });

  it('never posts a day twice across a restart', () => {
    const db = connect();
    db.schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    const first = scheduler(clock, { name: 'first' });
    first.start();
    clock.advanceTo('2030-01-10T09:00:00Z');
    first.stop();
    db.close();
    databases.length = 0;

    clock.advanceTo('2030-01-10T09:00:30Z');
    scheduler(clock, { name: 'second', db: connect() }).start();
    clock.advanceTo('2030-01-10T23:00:00Z');
    expect(posted.map((p) => [p.day, p.by])).toEqual([['2030-01-10', 'first']]);
  });

  it('posts each day once when two schedulers share the database', () => {
    const a = connect();
    const b = connect();
    a.schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    a.schedules.put({ channelId: 'slack:T1:C9', time: '18:45', timeZone: 'Asia/Kolkata' });
    const clock = new FakeDailyClock('2030-01-10T00:00:00Z');
    scheduler(clock, { db: a, name: 'a' }).start();
    scheduler(clock, { db: b, name: 'b' }).start();
    clock.advanceTo('2030-01-14T00:00:00Z');

    const perChannelDay = posted.map((p) => `${p.channelId} ${p.day}`);
    expect(perChannelDay).toHaveLength(8);
    expect(new Set(perChannelDay).size).toBe(8);
  });

  it('relies on the claim, not on its own read, when another process read the schedule first', () => {
    const db = connect();
    db.schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    // What a second process sees when it read the row just before the first one claimed the day.
    const staleView: ScheduleStore = {
      put: (schedule) => db.schedules.put(schedule),
      remove: (channelId) => db.schedules.remove(channelId),
      get: (channelId) => withoutClaim(db.schedules.get(channelId)),
      all: () => db.schedules.all().map((schedule) => withoutClaim(schedule) as DailySchedule),
      claimDay: (channelId, day) => db.schedules.claimDay(channelId, day),
    };
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    scheduler(clock, { name: 'fresh' }).start();
    new DailyScheduler({
      store: staleView,
      clock,
      missedGraceMs: HOUR,
      logger: quietLogger(),
      resyncIntervalMs: 0,
      post: async (schedule, day) => posted.push({ channelId: schedule.channelId, day, at: '', by: 'stale' }) > 0,
    }).start();
    clock.advanceTo('2030-01-12T12:00:00Z');
    expect(days()).toEqual(['2030-01-10', '2030-01-11', '2030-01-12']);
  });

  it('follows schedules added, changed and removed after start', () => {
    const db = connect();
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    const daily = scheduler(clock);
    daily.start();

    db.schedules.put({ channelId: CHANNEL, time: '10:00', timeZone: 'UTC' });
    daily.refresh(CHANNEL);
    expect(daily.nextRun(CHANNEL)?.toISOString()).toBe('2030-01-10T10:00:00.000Z');

    db.schedules.put({ channelId: CHANNEL, time: '11:00', timeZone: 'UTC' });
    daily.refresh(CHANNEL);
    clock.advanceTo('2030-01-10T10:30:00Z');
    expect(posted).toEqual([]);
    clock.advanceTo('2030-01-10T11:00:00Z');
    expect(posted.map((p) => p.at)).toEqual(['2030-01-10T11:00:00.000Z']);

    db.schedules.remove(CHANNEL);
    daily.refresh(CHANNEL);
    expect(daily.nextRun(CHANNEL)).toBeUndefined();
    clock.advanceTo('2030-01-12T00:00:00Z');
    expect(posted).toHaveLength(1);
  });

  it('picks up changes made by another process on its periodic re-read', () => {
    const db = connect();
    const other = connect();
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    const daily = new DailyScheduler({
      store: db.schedules,
      clock,
      missedGraceMs: HOUR,
      logger: quietLogger(),
      resyncIntervalMs: 60_000,
      post: async (schedule, day) => posted.push({ channelId: schedule.channelId, day, at: '', by: 'x' }) > 0,
    });
    schedulers.push(daily);
    daily.start();
    other.schedules.put({ channelId: CHANNEL, time: '08:30', timeZone: 'UTC' });
    clock.advanceTo('2030-01-10T08:30:00Z');
    expect(days()).toEqual(['2030-01-10']);

    other.schedules.remove(CHANNEL);
    clock.advanceTo('2030-01-11T09:00:00Z');
    expect(days()).toEqual(['2030-01-10']);
    expect(daily.nextRun(CHANNEL)).toBeUndefined();
  });

  it('logs a failed post and still posts the next day', async () => {
    connect().schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const errors: string[] = [];
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    scheduler(clock, { errors, fail: true, retryDelaysMs: [] }).start();
    clock.advanceTo('2030-01-10T09:00:00Z');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.join()).toContain('platform unreachable');
    clock.advanceTo('2030-01-11T09:00:00Z');
    expect(days()).toEqual(['2030-01-10', '2030-01-11']);
  });

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('tries a day again when nothing of its story reached the channel, and stops once one does', async () => {
    connect().schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const errors: string[] = [];
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    scheduler(clock, { errors, reached: [false, false] }).start();
    clock.advanceTo('2030-01-10T09:00:00Z');
    await settle();
    clock.advanceBy(60_000);
    await settle();
    clock.advanceBy(5 * 60_000);
    await settle();
    clock.advanceTo('2030-01-10T23:00:00Z');
    expect(posted.map((p) => p.at)).toEqual(['2030-01-10T09:00:00.000Z', '2030-01-10T09:01:00.000Z', '2030-01-10T09:06:00.000Z']);
    expect(errors).toEqual([]);
    clock.advanceTo('2030-01-11T09:00:00Z');
    expect(days()).toEqual(['2030-01-10', '2030-01-10', '2030-01-10', '2030-01-11']);
  });

  it('gives up on a day after its last retry, logging it, and posts the next day', async () => {
    connect().schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const errors: string[] = [];
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    scheduler(clock, { errors, fail: true, retryDelaysMs: [1_000, 2_000] }).start();
    for (const at of ['09:00:00', '09:00:01', '09:00:03', '12:00:00']) {
      clock.advanceTo(`2030-01-10T${at}Z`);
      await settle();
    }
    expect(posted).toHaveLength(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('"tries":3');
  });

  it('drops a pending retry when the schedule is turned off, and when the scheduler stops', async () => {
    const db = connect();
    db.schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    const daily = scheduler(clock, { reached: [false, false] });
    daily.start();
    clock.advanceTo('2030-01-10T09:00:00Z');
    await settle();
    db.schedules.remove(CHANNEL);
    clock.advanceTo('2030-01-10T10:00:00Z');
    expect(posted).toHaveLength(1);

    db.schedules.put({ channelId: 'discord:g1:c2', time: '11:00', timeZone: 'UTC' });
    daily.refresh('discord:g1:c2');
    clock.advanceTo('2030-01-10T11:00:00Z');
    await settle();
    expect(posted).toHaveLength(2);
    daily.stop();
    expect(clock.pendingTimers).toBe(0);
    clock.advanceTo('2030-01-10T13:00:00Z');
    expect(posted).toHaveLength(2);
  });

  it('stops cleanly: no timers left and nothing posted afterwards', () => {
    connect().schedules.put({ channelId: CHANNEL, time: '09:00', timeZone: 'UTC' });
    const clock = new FakeDailyClock('2030-01-10T08:00:00Z');
    const daily = scheduler(clock);
    daily.start();
    expect(clock.pendingTimers).toBe(1);
    daily.stop();
    expect(clock.pendingTimers).toBe(0);
    daily.refresh(CHANNEL);
    clock.advanceTo('2030-01-12T00:00:00Z');
    expect(posted).toEqual([]);
  });
});
