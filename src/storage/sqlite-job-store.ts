import type Database from 'better-sqlite3';
import type { JobRecord, JobState, JobStore, Logger, SurfaceAddress } from '../core/ports.js';
import { decodeJobRow, encodePresentation, encodeRequest, encodeSurface, type JobRow } from './job-row-codec.js';

type InsertParams = [
  string, string, string, string, string, string | null, string | null, string | null, string, number, number,
];

/**
 * Generation jobs, written before the user is told a job was accepted, so a restarted process can
 * finish every job the previous one left queued or running.
 */
export class SqliteJobStore implements JobStore {
  private readonly insert: Database.Statement<InsertParams>;
  private readonly updateSurface: Database.Statement<[string, number, string]>;
  private readonly updateState: Database.Statement<[JobState, number, JobState, string]>;
  private readonly selectUnfinished: Database.Statement<[], JobRow>;
  private readonly deleteFinished: Database.Statement<[number]>;

  constructor(
    db: Database.Database,
    private readonly logger?: Logger,
  ) {
    this.insert = db.prepare(
      `INSERT INTO jobs (id, kind, channel_id, user_id, request_json, surface_json, reply_to, presentation_json, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.updateSurface = db.prepare('UPDATE jobs SET surface_json = ?, updated_at = ? WHERE id = ?');
    // A finished job's surface is never read again, and it can hold a Discord interaction token
    // (a credential while it lasts): it is cleared when the job finishes.
    this.updateState = db.prepare(
      `UPDATE jobs SET state = ?, updated_at = ?,
         surface_json = CASE WHEN ? IN ('done', 'failed') THEN NULL ELSE surface_json END
       WHERE id = ?`,
    );
    this.selectUnfinished = db.prepare(
      `SELECT id, kind, channel_id, user_id, request_json, surface_json, reply_to, presentation_json, state, created_at
       FROM jobs WHERE state IN ('queued', 'running') ORDER BY created_at, rowid`,
    );
    this.deleteFinished = db.prepare(
      "DELETE FROM jobs WHERE state IN ('done', 'failed') AND updated_at < ?",
    );
  }

  create(job: JobRecord): void {
    this.insert.run(
      job.id,
      job.kind,
      job.channelId,
      job.userId,
      encodeRequest(job.request),
      job.surface === undefined ? null : encodeSurface(job.surface),
      job.replyTo ?? null,
      encodePresentation(job),
      job.state,
      job.createdAt,
      Date.now(),
    );
  }

  setSurface(jobId: string, surface: SurfaceAddress): void {
    this.requireChange(this.updateSurface.run(encodeSurface(surface), Date.now(), jobId), jobId);
  }

  setState(jobId: string, state: JobState): void {
    this.requireChange(this.writeState(jobId, state), jobId);
  }

  /**
   * Oldest first. A row that cannot be read back is marked failed and logged rather than thrown,
   * so one damaged row cannot keep every other job from being recovered.
   */
  unfinished(): readonly JobRecord[] {
    const jobs: JobRecord[] = [];
    for (const row of this.selectUnfinished.all()) {
      try {
        jobs.push(decodeJobRow(row));
      } catch (error) {
        this.logger?.error({ jobId: row.id, err: (error as Error).message }, 'unreadable job row marked failed');
        this.writeState(row.id, 'failed');
      }
    }
    return jobs;
  }

  /** Forgets finished jobs last touched before `beforeMs`; returns how many. Story records stay. */
  pruneFinished(beforeMs: number): number {
    return this.deleteFinished.run(beforeMs).changes;
  }

  private writeState(jobId: string, state: JobState): Database.RunResult {
    return this.updateState.run(state, Date.now(), state, jobId);
  }

  private requireChange(result: Database.RunResult, jobId: string): void {
    if (result.changes === 0) throw new Error(`no job with id ${jobId}`);
  }
}
