import type { Logger } from '../core/ports.js';

/** How long a finished job's row is kept: long enough to look into a recent failure. */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3_600_000;
const PRUNE_EVERY_MS = 24 * 3_600_000;

export interface JobPruningOptions {
  /** Forgets finished jobs last touched before the given time; returns how many. */
  readonly pruneFinished: (beforeMs: number) => number;
  readonly logger: Logger;
  readonly retentionMs?: number;
  readonly everyMs?: number;
  readonly now?: () => number;
}

/**
 * Every story leaves a job row (kept so a restart can resume it); once finished, only the story
 * records matter (🔁 works from those). Without pruning, a bot that runs for months keeps every
 * job it ever ran. Prunes once at start and then daily; returns a function that stops it.
 */
export function startJobPruning(options: JobPruningOptions): () => void {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? FINISHED_JOB_RETENTION_MS;
  const prune = (): void => {
    try {
      const removed = options.pruneFinished(now() - retentionMs);
      if (removed > 0) options.logger.info({ removed }, 'forgot finished jobs');
    } catch (error) {
      // Housekeeping must never take the bot down; the next round tries again.
      options.logger.warn({ err: error }, 'could not prune finished jobs');
    }
  };
  prune();
  const timer = setInterval(prune, options.everyMs ?? PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
