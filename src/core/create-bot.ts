import type { BotServices, DailyService } from './bot-services.js';
import { GatewayRegistry } from './gateway-registry.js';
import { JobQueue, type JobQueueLimits } from './job-queue.js';
import { type Metrics, noMetrics } from './metrics-port.js';
import type {
  ChannelSettingsStore,
  InferenceEngine,
  JobStore,
  Logger,
  ModelInfo,
  PlatformGateway,
  StoryRecordStore,
} from './ports.js';
import { RateLimiter } from './rate-limiter.js';
import { SettingsService } from './settings-service.js';
import { StoryJobs } from './story-service.js';

export const SCHEDULER_USER_ID = 'system:scheduler';

export interface BotOptions {
  readonly engine: InferenceEngine;
  readonly settingsStore: ChannelSettingsStore;
  readonly records: StoryRecordStore;
  readonly jobs: JobStore;
  readonly limits: JobQueueLimits & { readonly jobsPerMinute: number };
  /** Builds the daily service once stories exist (its scheduler posts through them). */
  readonly createDaily: (stories: StoryJobs) => DailyService;
  readonly logger: Logger;
  readonly metrics?: Metrics;
}

export interface Bot extends BotServices {
  readonly stories: StoryJobs;
  readonly queue: JobQueue;
  /** Adapters register here so the scheduler and recovery can reach their channels. */
  attach(gateway: PlatformGateway): void;
  /** Re-runs jobs a previous process left unfinished; returns how many. */
  recover(): number;
  /** Resolves when no job runs or waits. */
  idle(): Promise<void>;
  /** Refuses new jobs and interrupts running ones (they resume on the next start). */
  stop(): void;
}

/** Wires the platform-neutral core together; main.ts and tests call this. */
export function createBot(options: BotOptions): Bot {
  const models = (): readonly ModelInfo[] => options.engine.models();
  const gateways = new GatewayRegistry();
  const queue = new JobQueue(options.limits);
  const settings = new SettingsService(options.settingsStore, models);
  const stories = new StoryJobs({
    engine: options.engine,
    queue,
    settings,
    jobs: options.jobs,
    records: options.records,
    gateways,
    rateLimiter: new RateLimiter(options.limits.jobsPerMinute),
    metrics: options.metrics ?? noMetrics,
    logger: options.logger,
    schedulerUserId: SCHEDULER_USER_ID,
  });
  const daily = options.createDaily(stories);
  return {
    stories,
    settings,
    daily,
    queue,
    models,
    attach: (gateway) => gateways.add(gateway),
    recover: () => stories.recover(),
    idle: () => queue.onIdle(),
    stop: () => stories.stop(),
  };
}
