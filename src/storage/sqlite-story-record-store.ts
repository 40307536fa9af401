import type Database from 'better-sqlite3';
import type { StoryRecord, StoryRecordStore } from '../core/ports.js';

interface StoryRow {
  channel_id: string;
  seed: string;
  model: string;
  temperature: number;
  /** NULL for rows written before stories had sizes. */
  length: number | null;
  job_id: string;
}

/** Platform message → what generated it, kept indefinitely so 🔁 works at any later time. */
export class SqliteStoryRecordStore implements StoryRecordStore {
  private readonly upsert: Database.Statement<[string, string, string, string, number, number | null, string, number]>;
  private readonly select: Database.Statement<[string], StoryRow>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO story_records (message_key, channel_id, seed, model, temperature, length, job_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (message_key) DO UPDATE SET
         channel_id = excluded.channel_id, seed = excluded.seed, model = excluded.model,
         temperature = excluded.temperature, length = excluded.length, job_id = excluded.job_id`,
    );
    this.select = db.prepare(
      'SELECT channel_id, seed, model, temperature, length, job_id FROM story_records WHERE message_key = ?',
    );
  }

  put(messageKey: string, record: StoryRecord): void {
    this.upsert.run(
      messageKey,
      record.channelId,
      record.seed,
      record.model,
      record.temperature,
      record.length ?? null,
      record.jobId,
      Date.now(),
    );
  }

  get(messageKey: string): StoryRecord | undefined {
    const row = this.select.get(messageKey);
    if (row === undefined) return undefined;
    return {
      channelId: row.channel_id,
      seed: row.seed,
      model: row.model,
      temperature: row.temperature,
      ...(row.length !== null ? { length: row.length } : {}),
      jobId: row.job_id,
    };
  }
}
