import { randomInt, randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type {
  ChannelSettingsService,
  RegenerateInput,
  StartStoryInput,
  StartedStory,
  StoryOutcome,
  StoryService,
} from './bot-services.js';
import { messageKey } from './bot-services.js';
import { UserError } from './errors.js';
import type { GatewayRegistry } from './gateway-registry.js';
import type { JobQueue } from './job-queue.js';
import { DAILY_STORY_LENGTH, STORY_LENGTH } from './limits.js';
import type { Metrics } from './metrics-port.js';
import type {
  DailySchedule,
  InferenceEngine,
  JobRecord,
  JobStore,
  Logger,
  MessageSurface,
  StoryRecordStore,
} from './ports.js';
import { ProgressiveMessage } from './progressive-message.js';
import { checkSeedLength } from './seed-limit.js';
import type { RateLimiter } from './rate-limiter.js';
import { validateModel, validateTemperature } from './settings-service.js';
import { StoryEnding } from './story-ending.js';
import { STARTING_TEXT, dailyTitle, seedNotes, storyText, waitingText } from './story-text.js';

export interface StoryServiceDeps {
  readonly engine: InferenceEngine;
  readonly queue: JobQueue;
  readonly settings: ChannelSettingsService;
  readonly jobs: JobStore;
  readonly records: StoryRecordStore;
  readonly gateways: GatewayRegistry;
  readonly rateLimiter: RateLimiter;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** The scheduler's user id: daily stories skip the per-user rate limit. */
  readonly schedulerUserId?: string;
}

/**
 * Turns a request into a persisted job on the shared queue and streams the engine's text into a
 * progressive message. Every accepted job ends in a story or a clear message; jobs interrupted by
 * a restart are picked up by recover().
 */
export class StoryJobs implements StoryService {
  /** Message keys with a regeneration running: one at a time per message. */
  private readonly regenerating = new Set<string>();
  /** Aborted on shutdown: running jobs stop and stay unfinished in the store for next time. */
  private readonly shutdown = new AbortController();

  constructor(private readonly deps: StoryServiceDeps) {
    // Every waiting or running job listens on this one signal (the queue removes each listener when
    // its job moves on), so a busy bot passes Node's default of 10 without leaking anything; the
    // queue's own limits bound the count.
    setMaxListeners(0, this.shutdown.signal);
  }

  async start(input: StartStoryInput): Promise<StartedStory> {
    const { engine, settings, rateLimiter } = this.deps;
    checkSeedLength(input.seed);
    const channel = settings.effective(input.channelId);
    const model = validateModel(input.model ?? channel.model, engine.models());
    const temperature = validateTemperature(input.temperature ?? channel.temperature);
    const length = input.length ?? (input.kind === 'daily' ? DAILY_STORY_LENGTH : STORY_LENGTH);
    const prepared = engine.prepareSeed(model, input.seed);
    const limited = input.userId !== this.deps.schedulerUserId;
    if (limited) {
      const waitMs = rateLimiter.take(input.userId);
      if (waitMs > 0) {
        throw new UserError(
          `You're asking faster than I can write. Try again in ${Math.ceil(waitMs / 1000)} s.`,
          'rate-limited',
        );
      }
    }
    const job: JobRecord = {
      id: randomUUID(),
      kind: input.kind,
      channelId: input.channelId,
      userId: input.userId,
      request: {
        seed: prepared.text,
        model,
        temperature,
        length,
        // Stored so a job re-run after a restart writes the same story.
        randomSeed: input.randomSeed ?? randomInt(0, 2 ** 31),
      },
      ...(input.replyTo ? { replyTo: input.replyTo } : {}),
      ...(input.title ? { title: input.title } : {}),
      notes: seedNotes(prepared),
      state: 'queued',
      createdAt: Date.now(),
    };
    // Persisted before anyone is told it was accepted: a crash from here on loses nothing.
    this.deps.jobs.create(job);
    try {
      return this.run(job, input.surface, []);
    } catch (error) {
      this.deps.jobs.setState(job.id, 'failed');
      // Refused by the queue (full, or too many of this user's waiting): nothing was written, so
      // the attempt does not count against the user's per-minute allowance.
      if (limited) rateLimiter.refund(input.userId);
      throw error;
    }
  }

  async regenerate(input: RegenerateInput): Promise<StartedStory | undefined> {
    const key = messageKey(input.channelId, input.messageId);
    const record = this.deps.records.get(key);
    if (!record) return undefined;
    if (this.regenerating.has(key)) {
      throw new UserError('I am already rewriting that story; one moment.', 'busy');
    }
    this.regenerating.add(key);
    // A model taken out of service since: 🔁 writes with the channel's model, as settings do.
    const served = this.deps.engine.models().some((m) => m.id === record.model);
    try {
      const started = await this.start({
        kind: 'regenerate',
        channelId: input.channelId,
        userId: input.userId,
        seed: record.seed,
        ...(served ? { model: record.model } : {}),
        ...(record.length !== undefined ? { length: record.length } : {}),
        surface: input.surface,
        replyTo: key,
      });
      void started.finished.finally(() => this.regenerating.delete(key));
      return started;
    } catch (error) {
      this.regenerating.delete(key);
      throw error;
    }
  }

  /** The scheduler's callback: a longer story with a title line, as a new channel message. */
  async postDaily(schedule: DailySchedule, day: string): Promise<StoryOutcome> {
    const gateway = this.deps.gateways.forChannel(schedule.channelId);
    if (!gateway) throw new Error(`no platform connected for ${schedule.channelId}`);
    const model = schedule.model ?? this.deps.settings.effective(schedule.channelId).model;
    const opening = this.deps.engine.prepareSeed(model, schedule.seed ?? '').text;
    const started = await this.start({
      kind: 'daily',
      channelId: schedule.channelId,
      userId: this.deps.schedulerUserId ?? 'scheduler',
      seed: opening,
      model,
      surface: gateway.channelSurface(schedule.channelId),
      title: dailyTitle(opening, day),
    });
    return started.finished;
  }

  /** Runs again every job a previous process accepted but did not finish, oldest first. */
  recover(): number {
    let resumed = 0;
    for (const job of this.deps.jobs.unfinished()) {
      const gateway = this.deps.gateways.forChannel(job.channelId);
      if (!gateway) {
        this.deps.logger.warn({ jobId: job.id, channelId: job.channelId }, 'no platform for unfinished job; left for later');
        continue;
      }
      const surface = job.surface ? gateway.resumeSurface(job.surface) : gateway.channelSurface(job.channelId);
      this.deps.logger.info({ jobId: job.id, kind: job.kind }, 'resuming unfinished job');
      this.run(job, surface, surface.address().messageIds, true);
      resumed++;
    }
    return resumed;
  }

  /** Stops running jobs (they stay unfinished in the store) and refuses new ones. */
  stop(): void {
    this.deps.queue.close();
    this.shutdown.abort(new UserError('The bot is restarting.', 'shutting-down'));
  }

  private run(
    job: JobRecord,
    surface: MessageSurface,
    existingMessageIds: readonly string[],
    alreadyAccepted = false,
  ): StartedStory {
    const { queue, metrics, logger } = this.deps;
    const progress = new ProgressiveMessage(surface, {
      logger,
      existingMessageIds,
      onEditFailed: () => metrics.editFailed(),
      onPosted: (ids) => this.remember(job, surface, ids),
    });
    // The job may start inside enqueue(), before the placeholder is posted: it waits on this.
    let placeholderPosted!: (posting: Promise<void>) => void;
    const placeholder = new Promise<void>((resolve) => {
      placeholderPosted = (posting) => resolve(posting);
    });
    // A failed post surfaces in write(); this only keeps an unrun job from an unhandled rejection.
    placeholder.catch(() => undefined);
    const enqueued = queue.enqueue({
      id: job.id,
      userId: job.userId,
      channelId: job.channelId,
      signal: this.shutdown.signal,
      alreadyAccepted,
      onPosition: (position) => {
        metrics.setQueueDepth(queue.waiting);
        progress.update(position === 0 ? STARTING_TEXT : waitingText(position));
      },
      run: (signal) => this.write(job, progress, placeholder, signal),
    });
    metrics.jobQueued();
    metrics.setQueueDepth(queue.waiting);
    placeholderPosted(progress.start(enqueued.position === 0 ? STARTING_TEXT : waitingText(enqueued.position)));
    const finished = enqueued.done.catch((error: unknown) => this.onQueueError(job, error));
    return { jobId: job.id, position: enqueued.position, finished };
  }

  private async write(
    job: JobRecord,
    progress: ProgressiveMessage,
    placeholder: Promise<void>,
    signal: AbortSignal,
  ): Promise<StoryOutcome> {
    const { engine, jobs, metrics, logger } = this.deps;
    jobs.setState(job.id, 'running');
    const layout = {
      ...(job.title ? { title: job.title } : {}),
      notes: job.notes ?? [],
      seed: job.request.seed,
    };
    let continuation = '';
    const ending = new StoryEnding(job.request.length);
    try {
      await placeholder;
      // Deleted while it waited in line (seen when its place was updated): nothing to write into.
      if (progress.removed) return this.dropDeleted(job, progress);
      progress.update(storyText(layout, '', ' ✍️'));
      for await (const chunk of engine.generate({ ...job.request, length: ending.maxLength }, signal)) {
        if (progress.removed) break;
        continuation += chunk;
        metrics.charsGenerated(chunk.length);
        const end = ending.endIn(continuation);
        if (end !== undefined) {
          continuation = continuation.slice(0, end);
          break; // leaving the loop stops the engine's work on this job
        }
        progress.update(storyText(layout, continuation, ' ✍️'));
      }
      if (signal.aborted) return this.abandon(job, progress);
      if (progress.removed) return this.dropDeleted(job, progress);
      continuation = ending.finish(continuation);
      const text = storyText(layout, continuation);
      await progress.finish(text);
      if (progress.removed) return this.dropDeleted(job, progress);
      jobs.setState(job.id, 'done');
      metrics.jobFinished('done');
      return { status: 'done', text, messageIds: progress.messageIds };
    } catch (error) {
      if (signal.aborted) return this.abandon(job, progress);
      logger.error({ err: error, jobId: job.id }, 'story failed');
      const text = storyText(
        layout,
        continuation,
        `\n\n(The story broke off: something went wrong on my side. Please try again.)`,
      );
      await progress.finish(text).catch((e: unknown) => logger.error({ err: e, jobId: job.id }, 'could not show the failure'));
      jobs.setState(job.id, 'failed');
      metrics.jobFinished('failed');
      return { status: 'failed', text, messageIds: progress.messageIds };
    }
  }

  /** A job stopped by shutdown stays 'running' in the store, so the next start re-runs it. */
  private abandon(job: JobRecord, progress: ProgressiveMessage): StoryOutcome {
    this.deps.logger.info({ jobId: job.id }, 'job interrupted by shutdown; it will resume on restart');
    this.deps.metrics.jobFinished('cancelled');
    return { status: 'cancelled', text: '', messageIds: progress.messageIds };
  }

  /** Someone deleted the story's message: writing stops and nothing is posted in its place. */
  private dropDeleted(job: JobRecord, progress: ProgressiveMessage): StoryOutcome {
    this.deps.logger.info({ jobId: job.id }, 'story message deleted; stopped writing');
    this.deps.jobs.setState(job.id, 'done');
    this.deps.metrics.jobFinished('deleted');
    return { status: 'deleted', text: '', messageIds: progress.messageIds };
  }

  private onQueueError(job: JobRecord, error: unknown): StoryOutcome {
    // Only reachable when the job was dropped before running (shutdown while waiting): it stays
    // queued in the store and runs after the restart.
    this.deps.logger.info({ jobId: job.id, err: error }, 'waiting job left for the next start');
    return { status: 'cancelled', text: '', messageIds: [] };
  }

  /** Saves where the reply lives and what it was, so restarts and 🔁 can find it. */
  private remember(job: JobRecord, surface: MessageSurface, ids: readonly string[]): void {
    this.deps.jobs.setSurface(job.id, { ...surface.address(), messageIds: [...ids] });
    for (const id of ids) {
      this.deps.records.put(messageKey(job.channelId, id), {
        channelId: job.channelId,
        seed: job.request.seed,
        model: job.request.model,
        temperature: job.request.temperature,
        length: job.request.length,
        jobId: job.id,
      });
    }
  }
}
