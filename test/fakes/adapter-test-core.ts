import { assembleCore, type AssembledCore } from '../../src/app/assemble-core.js';
import type { DailyClock } from '../../src/core/daily-clock.js';
import type { InferenceEngine, Logger } from '../../src/core/ports.js';
import type { BotDatabase } from '../../src/storage/index.js';

/**
 * The real core as the adapter harnesses run it: generous limits so tests are never refused, no
 * grace for missed daily stories, the scheduler on the test's clock and no periodic resync.
 */
export function assembleTestCore(options: {
  readonly engine: InferenceEngine;
  readonly db: BotDatabase;
  readonly logger: Logger;
  readonly clock: DailyClock;
  readonly concurrency?: number;
}): AssembledCore {
  return assembleCore({
    engine: options.engine,
    db: options.db,
    limits: { concurrency: options.concurrency ?? 4, maxWaiting: 20, maxWaitingPerUser: 5, jobsPerMinute: 100 },
    missedGraceMs: 0,
    logger: options.logger,
    clock: options.clock,
    resyncIntervalMs: 0,
  });
}
