import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord, Logger } from '../../src/core/ports.js';
import { openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { tempDataDir } from './temp-data-dir.js';

const CHANNEL = 'slack:T1:C1';

function job(id: string, createdAt: number, extra: Partial<JobRecord> = {}): JobRecord {
  return {
    id,
    kind: 'story',
    channelId: CHANNEL,
    userId: 'slack:T1:U1',
    request: { seed: `seed ${id}`, model: 'scifi', temperature: 0.5, length: 300, randomSeed: 7 },
    state: 'queued',
    createdAt,
    ...extra,
  };
}

describe('SQLite stores', () => {
  let temp: ReturnType<typeof tempDataDir>;
  let db: BotDatabase;
  beforeEach(() => {
    temp = tempDataDir();
    db = openDatabase(temp.dir);
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  describe('channel settings', () => {
    it('returns only what was stored, field by field', () => {
      expect(db.settings.get(CHANNEL)).toEqual({});
      db.settings.setModel(CHANNEL, 'tiny');
      expect(db.settings.get(CHANNEL)).toEqual({ model: 'tiny' });
      db.settings.setTemperature(CHANNEL, 1.2);
      db.settings.setTemperature(CHANNEL, 0.3);
      expect(db.settings.get(CHANNEL)).toEqual({ model: 'tiny', temperature: 0.3 });
      expect(db.settings.get('slack:T1:C2')).toEqual({});
    });
  });

  describe('story records', () => {
    it('stores, overwrites and misses by message key', () => {
      const record = { channelId: CHANNEL, seed: 'The ship', model: 'scifi', temperature: 0.4, jobId: 'j1' };
      db.stories.put(`${CHANNEL}:m1`, record);
      expect(db.stories.get(`${CHANNEL}:m1`)).toEqual(record);
      db.stories.put(`${CHANNEL}:m1`, { ...record, temperature: 0.9, jobId: 'j2' });
      expect(db.stories.get(`${CHANNEL}:m1`)).toEqual({ ...record, temperature: 0.9, jobId: 'j2' });
      expect(db.stories.get(`${CHANNEL}:m2`)).toBeUndefined();
    });

    it("keeps a story's length, and a rewrite without one clears it", () => {
      const record = { channelId: CHANNEL, seed: 'The ship', model: 'scifi', temperature: 0.4, length: 1500, jobId: 'j1' };
      db.stories.put(`${CHANNEL}:m1`, record);
      expect(db.stories.get(`${CHANNEL}:m1`)).toEqual(record);
      const { length: _dropped, ...withoutLength } = record;
      db.stories.put(`${CHANNEL}:m1`, withoutLength);
      expect(db.stories.get(`${CHANNEL}:m1`)).toEqual(withoutLength);
      expect(() => db.stories.put(`${CHANNEL}:m2`, { ...record, length: 0 })).toThrow(/CHECK/);
    });
  });

  describe('schedules', () => {
    const schedule = { channelId: CHANNEL, time: '07:30', timeZone: 'America/New_York' };

    it('puts, lists, updates and removes', () => {
      db.schedules.put(schedule);
      db.schedules.put({ channelId: 'slack:T1:C0', time: '23:59', timeZone: 'UTC', seed: 'x', model: 'tiny' });
      expect(db.schedules.all().map((s) => s.channelId)).toEqual(['slack:T1:C0', CHANNEL]);
      db.schedules.put({ ...schedule, time: '08:00', seed: 'Morning' });
      expect(db.schedules.get(CHANNEL)).toEqual({ ...schedule, time: '08:00', seed: 'Morning' });
      db.schedules.put(schedule);
      expect(db.schedules.get(CHANNEL)).toEqual(schedule);
      expect(db.schedules.remove(CHANNEL)).toBe(true);
      expect(db.schedules.remove(CHANNEL)).toBe(false);
      expect(db.schedules.get(CHANNEL)).toBeUndefined();
    });

    it('claims each day once, never an earlier day, and nothing for an unscheduled channel', () => {
      db.schedules.put(schedule);
      expect(db.schedules.claimDay(CHANNEL, '2030-03-09')).toBe(true);
      expect(db.schedules.claimDay(CHANNEL, '2030-03-09')).toBe(false);
      expect(db.schedules.claimDay(CHANNEL, '2030-03-08')).toBe(false);
      expect(db.schedules.claimDay(CHANNEL, '2030-03-10')).toBe(true);
      expect(db.schedules.get(CHANNEL)?.lastPostedDay).toBe('2030-03-10');
      expect(db.schedules.claimDay('slack:T1:none', '2030-03-10')).toBe(false);
    });

    it('never moves the claimed day backwards when a schedule is rewritten', () => {
      db.schedules.put(schedule);
      db.schedules.claimDay(CHANNEL, '2030-03-10');
      db.schedules.put({ ...schedule, time: '21:00' });
      expect(db.schedules.get(CHANNEL)?.lastPostedDay).toBe('2030-03-10');
      db.schedules.put({ ...schedule, lastPostedDay: '2030-03-01' });
      expect(db.schedules.get(CHANNEL)?.lastPostedDay).toBe('2030-03-10');
      db.schedules.put({ ...schedule, lastPostedDay: '2030-03-11' });
      expect(db.schedules.claimDay(CHANNEL, '2030-03-11')).toBe(false);
    });

    it('lets only one of two connections to the same file claim a day', () => {
      const other = openDatabase(temp.dir);
      try {
        db.schedules.put(schedule);
        const results = [db, other, db, other].map((conn) => conn.schedules.claimDay(CHANNEL, '2030-07-04'));
        expect(results).toEqual([true, false, false, false]);
        expect(other.schedules.claimDay(CHANNEL, '2030-07-05')).toBe(true);
        expect(db.schedules.claimDay(CHANNEL, '2030-07-05')).toBe(false);
      } finally {
        other.close();
      }
    });
  });

  describe('jobs', () => {
    it('lists queued and running jobs oldest first, with their JSON columns intact', () => {
      db.jobs.create(job('b', 20));
      db.jobs.create(job('a', 10, { kind: 'regenerate', replyTo: `${CHANNEL}:m9` }));
      db.jobs.create(job('c', 30));
      db.jobs.setState('b', 'running');
      const surface = {
        platform: 'discord',
        channelId: CHANNEL,
        messageIds: ['m1', 'm2'],
        extra: { interactionToken: 'tok', expiresAt: 99, nested: { ok: true } },
      };
      db.jobs.setSurface('b', surface);
      db.jobs.setState('c', 'done');

      const unfinished = db.jobs.unfinished();
      expect(unfinished.map((j) => [j.id, j.state])).toEqual([
        ['a', 'queued'],
        ['b', 'running'],
      ]);
      expect(unfinished[0]).toEqual(job('a', 10, { kind: 'regenerate', replyTo: `${CHANNEL}:m9` }));
      expect(unfinished[1]).toEqual(job('b', 20, { state: 'running', surface }));
    });

    it("clears a job's surface (it may hold an interaction token) once the job finishes", () => {
      const surface = { platform: 'discord', channelId: CHANNEL, messageIds: ['m1'], extra: { interactionToken: 'secret-token' } };
      for (const id of ['done', 'failed', 'running']) {
        db.jobs.create(job(id, 1));
        db.jobs.setSurface(id, surface);
        db.jobs.setState(id, id as 'done' | 'failed' | 'running');
      }
      const raw = new Database(db.file, { readonly: true });
      const rows = raw.prepare('SELECT id, surface_json FROM jobs ORDER BY id').all() as { id: string; surface_json: string | null }[];
      raw.close();
      expect(rows.map((r) => [r.id, r.surface_json === null])).toEqual([
        ['done', true],
        ['failed', true],
        ['running', false],
      ]);
      expect(db.jobs.unfinished()[0]?.surface).toEqual(surface);
    });

    it('keeps a daily story title and seed notes, so a resumed job shows them again', () => {
      const daily = job('d', 5, { kind: 'daily', title: '📖 The Last Robot — story of the day, 2026-11-28', notes: ['(No opening line given, so I picked one.)'] });
      db.jobs.create(daily);
      db.jobs.create(job('plain', 6, { notes: [] }));
      const [first, second] = db.jobs.unfinished();
      expect(first).toEqual(daily);
      expect(second).toEqual(job('plain', 6));
    });

    it('rejects updates to a job it never stored', () => {
      expect(() => db.jobs.setState('ghost', 'done')).toThrow(/no job with id ghost/);
      expect(() => db.jobs.setSurface('ghost', { platform: 'x', channelId: 'x', messageIds: [] })).toThrow(/ghost/);
    });

    it('marks a damaged row failed and still returns the others', () => {
      const errors: object[] = [];
      const logger: Logger = { debug() {}, info() {}, warn() {}, error: (obj) => void errors.push(obj as object) };
      db.close();
      db = openDatabase(temp.dir, { logger });
      db.jobs.create(job('good', 1));
      db.jobs.create(job('bad', 2));
      const raw = new Database(db.file);
      raw.prepare("UPDATE jobs SET request_json = '{\"seed\": 5}' WHERE id = 'bad'").run();
      raw.close();

      expect(db.jobs.unfinished().map((j) => j.id)).toEqual(['good']);
      expect(errors).toEqual([expect.objectContaining({ jobId: 'bad' })]);
      expect(db.jobs.unfinished().map((j) => j.id)).toEqual(['good']);
      expect(errors).toHaveLength(1);
    });

    it('prunes only finished jobs older than the cutoff', () => {
      db.jobs.create(job('old-done', 1));
      db.jobs.create(job('still-queued', 2));
      db.jobs.setState('old-done', 'done');
      expect(db.jobs.pruneFinished(Date.now() + 1_000)).toBe(1);
      expect(db.jobs.pruneFinished(Date.now() + 1_000)).toBe(0);
      expect(db.jobs.unfinished().map((j) => j.id)).toEqual(['still-queued']);
    });
  });
});
