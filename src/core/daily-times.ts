import { Cron } from 'croner';

/**
 * Calendar arithmetic for daily schedules: "HH:MM in an IANA zone" → instants. Croner does the
 * zone and daylight-saving work: a time that falls in a spring-forward gap runs once when the
 * clock has jumped (02:30 → 03:00 that day), and a time that occurs twice in a fall-back runs
 * once, at its first occurrence.
 */

export interface DailyTimeOfDay {
  readonly hour: number;
  readonly minute: number;
  /** Normalised HH:MM. */
  readonly text: string;
}

/** Reads H:MM or HH:MM, 00:00–23:59; undefined when it is anything else. */
export function parseDailyTime(input: string): DailyTimeOfDay | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(input.trim());
  if (!match) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, text: `${pad(hour)}:${pad(minute)}` };
}

/**
 * The zone's canonical IANA spelling (europe/berlin → Europe/Berlin), or undefined when the
 * runtime does not know it. Bare UTC offsets are refused: they carry no daylight-saving rules.
 */
export function canonicalTimeZone(input: string): string | undefined {
  const name = input.trim();
  if (name === '' || /^[+-]/.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone. */
export function localDay(instantMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instantMs));
  const field = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  return `${field('year')}-${field('month')}-${field('day')}`;
}

export interface DailyTimeSpec {
  readonly time: string;
  readonly timeZone: string;
}

/** First run strictly after `afterMs`. */
export function nextRunAfter(spec: DailyTimeSpec, afterMs: number): number | undefined {
  return dailyCron(spec).nextRun(new Date(afterMs))?.getTime();
}

/** First run strictly after `afterMs` whose day is later than the schedule's last posted day. */
export function nextUnpostedRun(
  spec: DailyTimeSpec & { readonly lastPostedDay?: string },
  afterMs: number,
): number | undefined {
  let next = nextRunAfter(spec, afterMs);
  // At most a couple of steps: lastPostedDay is today or, across zones, tomorrow.
  for (let step = 0; step < 3 && next !== undefined; step++) {
    if (spec.lastPostedDay === undefined || localDay(next, spec.timeZone) > spec.lastPostedDay) return next;
    next = nextRunAfter(spec, next);
  }
  return next;
}

/** Latest run at or before `atMs` (a run exactly at `atMs` counts). */
export function latestRunAtOrBefore(spec: DailyTimeSpec, atMs: number): number | undefined {
  // previousRuns excludes the reference itself, so look from just after it.
  return dailyCron(spec).previousRuns(1, new Date(atMs + 1))[0]?.getTime();
}

function dailyCron(spec: DailyTimeSpec): Cron {
  const time = parseDailyTime(spec.time);
  if (!time) throw new Error(`not a daily time: ${spec.time}`);
  // Six fields with seconds pinned to 0; a fixed single time counts as a fixed-time job in croner.
  return new Cron(`0 ${time.minute} ${time.hour} * * *`, { timezone: spec.timeZone });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
