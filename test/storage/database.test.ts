import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE_NAME, DatabaseOpenError, explainOpenFailure, openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { SCHEMA_VERSION } from '../../src/storage/migrations.js';
import { tempDataDir } from './temp-data-dir.js';

describe('openDatabase', () => {
  let temp: ReturnType<typeof tempDataDir>;
  const open: BotDatabase[] = [];
  const track = (db: BotDatabase): BotDatabase => (open.push(db), db);

  beforeEach(() => (temp = tempDataDir()));
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    temp.remove();
  });

  it('creates the data directory and one WAL-mode file with the current schema', () => {
    const dataDir = join(temp.dir, 'nested', 'data');
    const db = track(openDatabase(dataDir));
    expect(db.file).toBe(join(dataDir, DATABASE_FILE_NAME));

    const raw = new Database(db.file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('waits for another writer instead of failing at once', () => {
    const db = track(openDatabase(temp.dir, { busyTimeoutMs: 1_234 }));
    db.schedules.put({ channelId: 'c', time: '09:00', timeZone: 'UTC' });
    const raw = new Database(db.file);
    raw.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    expect(() => db.schedules.claimDay('c', '2030-01-01')).toThrow(/locked|busy/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    raw.exec('ROLLBACK');
    raw.close();
    expect(db.schedules.claimDay('c', '2030-01-01')).toBe(true);
  });

  it('keeps everything across close and reopen, and close is idempotent', () => {
    const first = openDatabase(temp.dir);
    first.settings.setTemperature('d:g:c', 0.7);
    first.stories.put('d:g:c:m1', { channelId: 'd:g:c', seed: 'Stars', model: 'scifi', temperature: 0.7, jobId: 'j1' });
    first.schedules.put({ channelId: 'd:g:c', time: '08:15', timeZone: 'Europe/Berlin', seed: 'Dawn' });
    first.schedules.claimDay('d:g:c', '2030-05-01');
    first.jobs.create({
      id: 'j2',
      kind: 'story',
      channelId: 'd:g:c',
      userId: 'd:g:u',
      request: { seed: 'Stars', model: 'scifi', temperature: 0.7, length: 400 },
      state: 'queued',
      createdAt: 1,
    });
    first.close();
    first.close();

    const second = track(openDatabase(temp.dir));
    expect(second.settings.get('d:g:c')).toEqual({ temperature: 0.7 });
    expect(second.stories.get('d:g:c:m1')?.jobId).toBe('j1');
    expect(second.schedules.get('d:g:c')).toEqual({
      channelId: 'd:g:c',
      time: '08:15',
      timeZone: 'Europe/Berlin',
      seed: 'Dawn',
      lastPostedDay: '2030-05-01',
    });
    expect(second.jobs.unfinished().map((job) => job.id)).toEqual(['j2']);
  });

  it('refuses a file that is not a database, naming the file', () => {
    const file = join(temp.dir, DATABASE_FILE_NAME);
    writeFileSync(file, 'this is not a database, just some text that is long enough to look like a header '.repeat(20));
    const attempt = () => openDatabase(temp.dir);
    expect(attempt).toThrow(DatabaseOpenError);
    expect(attempt).toThrow(file);
    expect(attempt).toThrow(/not a SQLite database or is damaged/);
  });

  it('says how to fix a driver installed without its native part', () => {
    // The same loader better-sqlite3 uses, asked for its addon in a folder where none was built.
    const require = createRequire(import.meta.url);
    const bindings = require('bindings') as (options: { bindings: string; module_root: string }) => unknown;
    let failure: unknown;
    try {
      bindings({ bindings: 'better_sqlite3.node', module_root: temp.dir });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).toContain('Could not locate the bindings file');
    expect(explainOpenFailure(failure)).toBe(
      'the SQLite driver (better-sqlite3) was installed without building its native part; run `npm rebuild better-sqlite3`',
    );
  });

  it('refuses a data directory that cannot be created, naming the file', () => {
    const blocker = join(temp.dir, 'a-file');
    writeFileSync(blocker, 'x');
    const attempt = () => openDatabase(join(blocker, 'data'));
    expect(attempt).toThrow(DatabaseOpenError);
    expect(attempt).toThrow(join(blocker, 'data', DATABASE_FILE_NAME));
    expect(attempt).toThrow(/DATA_DIR is a writable directory/);
  });

  it('refuses a data directory on a pseudo-filesystem at once instead of hanging', async () => {
    // Node's recursive mkdir loops for ever under /proc; a child process turns a hang into a timeout.
    const child = new URL('./open-database-child.ts', import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, '/proc/scifi-bot-test/data'], {
      timeout: 20_000,
    });
    expect(stdout).toMatch(/^Cannot open the database \/proc\/scifi-bot-test\/data\/scifi-bot\.sqlite: it cannot be created or written \(ENOENT/);
    expect(stdout).toMatch(/check that DATA_DIR is a writable directory\n$/);
  }, 30_000);

  it('refuses a database path that is a directory', () => {
    mkdirSync(join(temp.dir, DATABASE_FILE_NAME));
    expect(() => openDatabase(temp.dir)).toThrow(/cannot be created or written/);
  });

  it('refuses a database written by a newer schema', () => {
    const raw = new Database(join(temp.dir, DATABASE_FILE_NAME));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(temp.dir)).toThrow(/newer version of the bot/);
  });
});
