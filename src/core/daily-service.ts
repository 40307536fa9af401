import type { DailyService } from './bot-services.js';
import { canonicalTimeZone, latestRunAtOrBefore, localDay, nextUnpostedRun, parseDailyTime } from './daily-times.js';
import { UserError } from './errors.js';
import { checkSeedLength } from './seed-limit.js';
import { validateModel } from './settings-service.js';
import type { ChannelId, DailySchedule, ModelInfo, ScheduleStore } from './ports.js';
import { quoteInput } from './visible-text.js';

export interface DailyServiceOptions {
  readonly store: ScheduleStore;
  /** Told about every change so it re-arms that channel (DailyScheduler.refresh). */
  readonly scheduler?: { refresh(channelId: ChannelId): void };
  /** When set, a model not in this list is refused at scheduling time, not at posting time. */
  readonly models?: () => readonly ModelInfo[];
  readonly now?: () => number;
}

/** Validates and stores daily schedules; the DailyScheduler does the posting. */
export class ScheduleDailyService implements DailyService {
  private readonly now: () => number;

  constructor(private readonly options: DailyServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * A run time that has already passed today does not count as missed: the day of the latest run
   * before now is stored as settled, so neither this process nor a restart within the grace
   * period posts a story for a time chosen after it went by. Rescheduling on a day whose story
   * was already posted keeps that day posted (one daily story a day).
   */
  schedule(input: Omit<DailySchedule, 'lastPostedDay'>): DailySchedule {
    const time = parseDailyTime(input.time);
    if (!time) {
      throw new UserError(
        `"${quoteInput(input.time)}" is not a time of day: use HH:MM in 24-hour form, from 00:00 to 23:59 (for example 07:30).`,
        'bad-option',
      );
    }
    const timeZone = canonicalTimeZone(input.timeZone);
    if (!timeZone) {
      throw new UserError(
        `"${quoteInput(input.timeZone)}" is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
        'bad-option',
      );
    }
    const seed = input.seed?.trim();
    if (seed) checkSeedLength(seed);
    const typed = input.model?.trim();
    const models = this.options.models?.();
    const model = typed && models ? validateModel(typed, models) : typed;

    const base = { channelId: input.channelId, time: time.text, timeZone };
    const passed = latestRunAtOrBefore(base, this.now());
    const schedule: DailySchedule = {
      ...base,
      ...(seed ? { seed } : {}),
      ...(model ? { model } : {}),
      ...(passed !== undefined ? { lastPostedDay: localDay(passed, timeZone) } : {}),
    };
    this.options.store.put(schedule);
    this.options.scheduler?.refresh(input.channelId);
    return this.options.store.get(input.channelId) ?? schedule;
  }

  cancel(channelId: ChannelId): boolean {
    const removed = this.options.store.remove(channelId);
    this.options.scheduler?.refresh(channelId);
    return removed;
  }

  get(channelId: ChannelId): DailySchedule | undefined {
    return this.options.store.get(channelId);
  }

  nextRun(channelId: ChannelId): Date | undefined {
    const schedule = this.options.store.get(channelId);
    if (!schedule) return undefined;
    const next = nextUnpostedRun(schedule, this.now());
    return next === undefined ? undefined : new Date(next);
  }
}
