import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FINISHED_JOB_RETENTION_MS, startJobPruning } from '../../src/app/job-pruning.js';
import type { JobRecord } from '../../src/core/ports.js';
import { openDatabase, type BotDatabase } from '../../src/storage/database.js';
import { MemoryLogger } from '../fakes/silent-logger.js';
import { tempDataDir } from './temp-data-dir.js';

function job(id: string): JobRecord {
  return {
    id,
    kind: 'story',
    channelId: 'slack:T1:C1',
    userId: 'slack:T1:U1',
    request: { seed: 'It began', model: 'scifi', temperature: 0.4, length: 300, randomSeed: 7 },
    state: 'queued',
    createdAt: Date.now(),
  };
}

describe('startJobPruning', () => {
  let temp: ReturnType<typeof tempDataDir>;
  let db: BotDatabase;
  beforeEach(() => {
    temp = tempDataDir();
    db = openDatabase(temp.dir);
    for (const id of ['done', 'failed', 'queued', 'running']) db.jobs.create(job(id));
    db.jobs.setState('done', 'done');
    db.jobs.setState('failed', 'failed');
    db.jobs.setState('running', 'running');
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  const remaining = (): string[] => db.jobs.unfinished().map((j) => j.id).sort();
  const pruned = (logger: MemoryLogger): unknown[] =>
    logger.lines.filter((l) => l.msg === 'forgot finished jobs').map((l) => (l.obj as { removed?: unknown }).removed);

  it('forgets finished jobs past the retention at start, keeping recent ones and every unfinished job', () => {
    const logger = new MemoryLogger();
    const stopRecent = startJobPruning({ pruneFinished: (t) => db.jobs.pruneFinished(t), logger });
    stopRecent();
    // Finished a moment ago: kept, as the later prune below still finds both.
    expect(pruned(logger)).toEqual([]);

    const later = () => Date.now() + FINISHED_JOB_RETENTION_MS + 60_000;
    const stopLater = startJobPruning({ pruneFinished: (t) => db.jobs.pruneFinished(t), logger, now: later });
    stopLater();
    expect(pruned(logger)).toEqual([2]);
    expect(db.jobs.pruneFinished(later())).toBe(0);
    expect(remaining()).toEqual(['queued', 'running']);
  });

  it('prunes again on its interval, and a failing prune is logged, not thrown', async () => {
    // Fake timers: a real 5 ms interval and a fixed sleep flake when the machine is busy.
    vi.useFakeTimers();
    try {
      const logger = new MemoryLogger();
      let calls = 0;
      const stop = startJobPruning({
        pruneFinished: () => {
          calls++;
          if (calls === 2) throw new Error('database is locked');
          return 0;
        },
        logger,
        everyMs: 1_000,
      });
      expect(calls).toBe(1); // once at start
      await vi.advanceTimersByTimeAsync(999);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls).toBe(2); // the one that throws
      await vi.advanceTimersByTimeAsync(2_000);
      expect(calls).toBe(4); // the failure did not stop the interval
      expect(logger.lines.filter((l) => l.level === 'warn' && l.msg === 'could not prune finished jobs')).toHaveLength(1);
      stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(calls).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });
});
