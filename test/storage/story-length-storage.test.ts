import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messageKey } from '../../src/core/bot-services.js';
import { createBot, type Bot } from '../../src/core/create-bot.js';
import { STORY_LENGTH, STORY_LENGTHS } from '../../src/core/limits.js';
import { StoryEnding } from '../../src/core/story-ending.js';
import { DATABASE_FILE_NAME, openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/storage/migrations.js';
import { RecordingSurface } from '../fakes/recording-surface.js';
import { ScriptedEngine } from '../fakes/scripted-engine.js';
import { MemoryLogger } from '../fakes/silent-logger.js';
import { tempDataDir } from './temp-data-dir.js';

const CHANNEL = 'slack:T1:C1';

/** A bot over the SQLite stores, as the process runs it (the daily service is not used here). */
function botOver(db: BotDatabase, engine: ScriptedEngine): Bot {
  return createBot({
    engine,
    settingsStore: db.settings,
    records: db.stories,
    jobs: db.jobs,
    limits: { concurrency: 2, maxWaiting: 5, maxWaitingPerUser: 5, jobsPerMinute: 100 },
    createDaily: () => ({ schedule: (s) => s, cancel: () => false, get: () => undefined, nextRun: () => undefined }),
    logger: new MemoryLogger(),
  });
}

const surface = () => new RecordingSurface(4000, 0);

describe('story length in SQLite', () => {
  let temp: ReturnType<typeof tempDataDir>;
  const open: BotDatabase[] = [];
  beforeEach(() => (temp = tempDataDir()));
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
    temp.remove();
  });
  const openTracked = (): BotDatabase => {
    const db = openDatabase(temp.dir);
    open.push(db);
    return db;
  };

  it('upgrades a database from before story lengths; its stories regenerate at the default length', async () => {
    // The file as the previous release left it: the first migration only, with one story in it.
    const old = new Database(join(temp.dir, DATABASE_FILE_NAME));
    old.exec(MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO story_records (message_key, channel_id, seed, model, temperature, job_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(messageKey(CHANNEL, 'm-old'), CHANNEL, 'The old ship', 'scifi', 0.4, 'j-old', 1);
    old.close();

    const db = openTracked();
    const raw = new Database(db.file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    raw.close();
    expect(db.stories.get(messageKey(CHANNEL, 'm-old'))).toEqual({
      channelId: CHANNEL,
      seed: 'The old ship',
      model: 'scifi',
      temperature: 0.4,
      jobId: 'j-old',
    });

    const engine = new ScriptedEngine();
    const bot = botOver(db, engine);
    const again = await bot.stories.regenerate({ channelId: CHANNEL, messageId: 'm-old', userId: 'slack:T1:U1', surface: surface() });
    expect((await again?.finished)?.status).toBe('done');
    expect(engine.requests[0]).toMatchObject({ seed: 'The old ship', length: new StoryEnding(STORY_LENGTH).maxLength });
  });

  it('regenerates a long and a short story at their own lengths, after a restart too', async () => {
    const first = openTracked();
    const before = botOver(first, new ScriptedEngine());
    // One surface, so the two stories get different message ids.
    const channel = surface();
    const long = await (await before.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'slack:T1:U1', seed: 'Far', length: STORY_LENGTHS.long, surface: channel })).finished;
    const short = await (await before.stories.start({ kind: 'story', channelId: CHANNEL, userId: 'slack:T1:U1', seed: 'Near', length: STORY_LENGTHS.short, surface: channel })).finished;
    expect([long.status, short.status]).toEqual(['done', 'done']);
    expect(long.messageIds).not.toEqual(short.messageIds);
    await before.idle();
    before.stop();
    first.close();

    // A new process over the same file.
    const engine = new ScriptedEngine();
    const after = botOver(openTracked(), engine);
    for (const [story, seed] of [[long, 'Far'], [short, 'Near']] as const) {
      const again = await after.stories.regenerate({ channelId: CHANNEL, messageId: story.messageIds[0] ?? '', userId: 'slack:T1:U2', surface: surface() });
      expect((await again?.finished)?.status).toBe('done');
      expect(engine.requests.at(-1)?.seed).toBe(seed);
    }
    expect(engine.requests.map((r) => r.length)).toEqual([
      new StoryEnding(STORY_LENGTHS.long).maxLength,
      new StoryEnding(STORY_LENGTHS.short).maxLength,
    ]);
  });
});
