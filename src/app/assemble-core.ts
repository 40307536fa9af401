import { createBot, type Bot } from '../core/create-bot.js';
import type { DailyClock } from '../core/daily-clock.js';
import { DailyScheduler } from '../core/daily-scheduler.js';
import { ScheduleDailyService } from '../core/daily-service.js';
import type { JobQueueLimits } from '../core/job-queue.js';
import type { Metrics } from '../core/metrics-port.js';
import type { InferenceEngine, Logger } from '../core/ports.js';
import type { BotDatabase } from '../storage/index.js';

export interface AssembleCoreOptions {
  readonly engine: InferenceEngine;
  readonly db: BotDatabase;
  readonly limits: JobQueueLimits & { readonly jobsPerMinute: number };
  readonly missedGraceMs: number;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Tests drive the scheduler with a fake clock. */
  readonly clock?: DailyClock;
  /** 0 turns off the periodic re-read of schedules (tests). */
  readonly resyncIntervalMs?: number;
}

export interface AssembledCore {
  readonly bot: Bot;
  /** Start it only after the platform adapters are attached: it may post a missed story at once. */
  readonly scheduler: DailyScheduler;
}

/** The core over one SQLite database, with the daily scheduler posting through the story service. */
export function assembleCore(options: AssembleCoreOptions): AssembledCore {
  const { db, engine, logger } = options;
  let scheduler!: DailyScheduler;
  const bot = createBot({
    engine,
    settingsStore: db.settings,
    records: db.stories,
    jobs: db.jobs,
    limits: options.limits,
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    createDaily: (stories) => {
      scheduler = new DailyScheduler({
        store: db.schedules,
        post: async (schedule, day) => (await stories.postDaily(schedule, day)).messageIds.length > 0,
        missedGraceMs: options.missedGraceMs,
        logger,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.resyncIntervalMs !== undefined ? { resyncIntervalMs: options.resyncIntervalMs } : {}),
      });
      return new ScheduleDailyService({
        store: db.schedules,
        scheduler,
        models: () => engine.models(),
        ...(options.clock ? { now: () => options.clock?.now() ?? Date.now() } : {}),
      });
    },
  });
  return { bot, scheduler };
}
