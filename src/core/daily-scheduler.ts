import { systemDailyClock, type DailyClock } from './daily-clock.js';
import { latestRunAtOrBefore, localDay, nextUnpostedRun } from './daily-times.js';
import type { ChannelId, DailySchedule, Logger, ScheduleStore } from './ports.js';

export interface DailySchedulerOptions {
  readonly store: ScheduleStore;
  /**
   * Writes the day's story; the scheduler has already claimed `day` when this is called. Resolves
   * to whether any of it reached the channel: when nothing did (the platform was down, the queue
   * full), or it rejects, the scheduler tries again after each of retryDelaysMs.
   */
  readonly post: (schedule: DailySchedule, day: string) => Promise<boolean>;
  /** Pauses before each new try of a day's story of which nothing was posted ([] never retries). */
  readonly retryDelaysMs?: readonly number[];
  /** A run missed while the bot was down is posted on start if at most this late. */
  readonly missedGraceMs: number;
  readonly logger: Logger;
  readonly clock?: DailyClock;
  /**
   * How often every schedule is re-read, so changes made by another process sharing the database
   * are followed. 0 turns it off (then only refresh() reports changes).
   */
  readonly resyncIntervalMs?: number;
}

/**
 * A timer firing a little late (a busy event loop, a suspended machine waking up) is still on
 * time: without this, missedGraceMs = 0 would drop a story because its timer ran 2 ms late.
 */
const ON_TIME_TOLERANCE_MS = 60_000;
/** A minute, then 5, 15 and 60: outages of a platform or of the bot's host are mostly short. */
const DEFAULT_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
/** setTimeout's ceiling; longer waits are taken in steps (each step re-checks). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Posts each channel's daily story. One rule serves start-up, timers, refreshes and resyncs:
 * look at the channel's latest scheduled run; if it is recent enough and its day is not yet
 * claimed, claim the day in the store (atomic across processes) and post; then arm a timer for
 * the next run. Because the claim comes first, a restart or a second process never posts a day
 * twice, and a daylight-saving repeat of the same wall time cannot either.
 */
export class DailyScheduler {
  private readonly clock: DailyClock;
  private readonly timers = new Map<ChannelId, { handle: unknown; dueMs: number }>();
  private resyncTimer: unknown;
  /** Pending new tries of days of which nothing was posted. */
  private readonly retryTimers = new Set<unknown>();
  private running = false;

  constructor(private readonly options: DailySchedulerOptions) {
    this.clock = options.clock ?? systemDailyClock;
  }

  /** Posts what was missed within the grace period, then arms every channel. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.resync();
  }

  /** Call after a channel's schedule was added, changed or removed. */
  refresh(channelId: ChannelId): void {
    if (this.running) this.check(channelId);
  }

  /** When the armed timer for this channel fires, if it has one. */
  nextRun(channelId: ChannelId): Date | undefined {
    const timer = this.timers.get(channelId);
    return timer ? new Date(timer.dueMs) : undefined;
  }

  /** No timer fires and nothing is posted after this. Stories already started carry on. */
  stop(): void {
    this.running = false;
    for (const channelId of [...this.timers.keys()]) this.disarm(channelId);
    for (const handle of this.retryTimers) this.clock.clearTimer(handle);
    this.retryTimers.clear();
    if (this.resyncTimer !== undefined) this.clock.clearTimer(this.resyncTimer);
    this.resyncTimer = undefined;
  }

  private resync(): void {
    if (!this.running) return;
    const schedules = this.readAll();
    // When the store cannot be read, the timers already armed stay as they are.
    if (schedules) {
      const known = new Set(schedules.map((schedule) => schedule.channelId));
      for (const channelId of [...this.timers.keys()]) if (!known.has(channelId)) this.disarm(channelId);
      for (const schedule of schedules) this.check(schedule.channelId, schedule);
    }
    const interval = this.options.resyncIntervalMs ?? 60_000;
    if (interval > 0) this.resyncTimer = this.clock.setTimer(() => this.resync(), interval);
  }

  private check(channelId: ChannelId, known?: DailySchedule): void {
    if (!this.running) return;
    this.disarm(channelId);
    const schedule = known ?? this.read(channelId);
    if (!schedule) return;
    const now = this.clock.now();
    try {
      this.postIfDue(schedule, now);
    } catch (error) {
      this.options.logger.error({ channelId, err: errorText(error) }, 'daily story could not be started');
    }
    try {
      const next = nextUnpostedRun(schedule, now);
      if (next !== undefined) this.arm(channelId, next, now);
    } catch (error) {
      // A schedule the store holds but croner cannot read (edited by hand, zone since removed).
      this.options.logger.error({ channelId, err: errorText(error) }, 'daily schedule cannot be computed');
    }
  }

  private postIfDue(schedule: DailySchedule, now: number): void {
    const due = latestRunAtOrBefore(schedule, now);
    if (due === undefined) return;
    const lateness = now - due;
    if (lateness > Math.max(this.options.missedGraceMs, ON_TIME_TOLERANCE_MS)) return;
    const day = localDay(due, schedule.timeZone);
    if (schedule.lastPostedDay !== undefined && schedule.lastPostedDay >= day) return;
    if (!this.options.store.claimDay(schedule.channelId, day)) return;

    this.options.logger.info({ channelId: schedule.channelId, day, lateMs: lateness }, 'posting daily story');
    this.attempt(schedule, day, 0);
  }

  /**
   * One try at a claimed day. The claim stays taken, so only this process tries again (a restart
   * does not: the day counts as posted), and a try is made only if nothing reached the channel,
   * so a story is never posted twice.
   */
  private attempt(schedule: DailySchedule, day: string, failures: number): void {
    const { logger } = this.options;
    const channelId = schedule.channelId;
    const onFailure = (reason: string): void => {
      const delay = (this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)[failures];
      if (delay === undefined || !this.running) {
        logger.error({ channelId, day, err: reason, tries: failures + 1 }, 'daily story failed');
        return;
      }
      logger.warn({ channelId, day, err: reason, retryInMs: delay }, 'daily story not posted; trying again');
      const handle = this.clock.setTimer(() => {
        this.retryTimers.delete(handle);
        // Read again: the schedule may have been turned off or changed (seed, model) meanwhile.
        const current = this.read(channelId);
        if (current) this.attempt(current, day, failures + 1);
      }, delay);
      this.retryTimers.add(handle);
    };
    this.options.post(schedule, day).then(
      (posted) => {
        if (!posted) onFailure('nothing reached the channel');
      },
      (error: unknown) => onFailure(errorText(error)),
    );
  }

  private arm(channelId: ChannelId, dueMs: number, now: number): void {
    const delay = Math.min(Math.max(0, dueMs - now), MAX_TIMER_MS);
    const handle = this.clock.setTimer(() => {
      this.timers.delete(channelId);
      this.check(channelId);
    }, delay);
    this.timers.set(channelId, { handle, dueMs });
  }

  private disarm(channelId: ChannelId): void {
    const timer = this.timers.get(channelId);
    if (timer) this.clock.clearTimer(timer.handle);
    this.timers.delete(channelId);
  }

  /** A store that fails (locked past its timeout, disk gone) costs one check, not the scheduler. */
  private read(channelId: ChannelId): DailySchedule | undefined {
    try {
      return this.options.store.get(channelId);
    } catch (error) {
      this.options.logger.error({ channelId, err: errorText(error) }, 'daily schedule unreadable');
      return undefined;
    }
  }

  private readAll(): readonly DailySchedule[] | undefined {
    try {
      return this.options.store.all();
    } catch (error) {
      this.options.logger.error({ err: errorText(error) }, 'daily schedules unreadable');
      return undefined;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
