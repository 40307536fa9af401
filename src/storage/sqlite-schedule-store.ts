import type Database from 'better-sqlite3';
import type { ChannelId, DailySchedule, ScheduleStore } from '../core/ports.js';

interface ScheduleRow {
  channel_id: string;
  time: string;
  time_zone: string;
  seed: string | null;
  model: string | null;
  last_posted_day: string | null;
}

type PutParams = [string, string, string, string | null, string | null, string | null];

/**
 * Daily schedules. `last_posted_day` only ever moves forward (YYYY-MM-DD compares as text), in
 * claimDay and in put alike, so rewriting a schedule can never reopen a day already claimed.
 */
export class SqliteScheduleStore implements ScheduleStore {
  private readonly upsert: Database.Statement<PutParams>;
  private readonly deleteRow: Database.Statement<[string]>;
  private readonly selectOne: Database.Statement<[string], ScheduleRow>;
  private readonly selectAll: Database.Statement<[], ScheduleRow>;
  private readonly claim: Database.Statement<[string, string, string]>;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO daily_schedules (channel_id, time, time_zone, seed, model, last_posted_day)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel_id) DO UPDATE SET
         time = excluded.time, time_zone = excluded.time_zone,
         seed = excluded.seed, model = excluded.model,
         last_posted_day = CASE
           WHEN daily_schedules.last_posted_day IS NULL THEN excluded.last_posted_day
           WHEN excluded.last_posted_day IS NULL THEN daily_schedules.last_posted_day
           ELSE max(daily_schedules.last_posted_day, excluded.last_posted_day)
         END`,
    );
    this.deleteRow = db.prepare('DELETE FROM daily_schedules WHERE channel_id = ?');
    const columns = 'channel_id, time, time_zone, seed, model, last_posted_day';
    this.selectOne = db.prepare(`SELECT ${columns} FROM daily_schedules WHERE channel_id = ?`);
    this.selectAll = db.prepare(`SELECT ${columns} FROM daily_schedules ORDER BY channel_id`);
    // One UPDATE is atomic across connections and processes: SQLite serialises writers, and the
    // WHERE clause re-checks the day under the write lock, so exactly one caller sees a change.
    this.claim = db.prepare(
      `UPDATE daily_schedules SET last_posted_day = ?
       WHERE channel_id = ? AND (last_posted_day IS NULL OR last_posted_day < ?)`,
    );
  }

  put(schedule: DailySchedule): void {
    this.upsert.run(
      schedule.channelId,
      schedule.time,
      schedule.timeZone,
      schedule.seed ?? null,
      schedule.model ?? null,
      schedule.lastPostedDay ?? null,
    );
  }

  remove(channelId: ChannelId): boolean {
    return this.deleteRow.run(channelId).changes > 0;
  }

  get(channelId: ChannelId): DailySchedule | undefined {
    const row = this.selectOne.get(channelId);
    return row === undefined ? undefined : toSchedule(row);
  }

  all(): readonly DailySchedule[] {
    return this.selectAll.all().map(toSchedule);
  }

  claimDay(channelId: ChannelId, day: string): boolean {
    return this.claim.run(day, channelId, day).changes === 1;
  }
}

function toSchedule(row: ScheduleRow): DailySchedule {
  return {
    channelId: row.channel_id,
    time: row.time,
    timeZone: row.time_zone,
    ...(row.seed !== null ? { seed: row.seed } : {}),
    ...(row.model !== null ? { model: row.model } : {}),
    ...(row.last_posted_day !== null ? { lastPostedDay: row.last_posted_day } : {}),
  };
}
