import { describe, expect, it } from 'vitest';
import {
  canonicalTimeZone,
  latestRunAtOrBefore,
  localDay,
  nextRunAfter,
  nextUnpostedRun,
  parseDailyTime,
} from '../../src/core/daily-times.js';

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function runs(time: string, timeZone: string, from: string, count: number): string[] {
  const found: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < count; i++) {
    at = nextRunAfter({ time, timeZone }, at) as number;
    found.push(`${localDay(at, timeZone)} ${new Date(at).toISOString()}`);
  }
  return found;
}

describe('daily times', () => {
  it('parses H:MM and HH:MM from 00:00 to 23:59 only', () => {
    expect(parseDailyTime('0:00')).toEqual({ hour: 0, minute: 0, text: '00:00' });
    expect(parseDailyTime(' 23:59 ')).toEqual({ hour: 23, minute: 59, text: '23:59' });
    for (const bad of ['24:00', '23:60', '123:00', '1:5', '1.30', '']) expect(parseDailyTime(bad)).toBeUndefined();
  });

  it('knows IANA zones in their canonical spelling and refuses bare offsets', () => {
    expect(canonicalTimeZone('asia/tokyo')).toBe('Asia/Tokyo');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('Nowhere/Special')).toBeUndefined();
    expect(canonicalTimeZone('-05:00')).toBeUndefined();
  });

  it('names the local calendar day of an instant', () => {
    expect(localDay(Date.parse('2030-01-01T02:00:00Z'), 'America/Los_Angeles')).toBe('2029-12-31');
    expect(localDay(Date.parse('2030-01-01T02:00:00Z'), 'Asia/Tokyo')).toBe('2030-01-01');
  });

  it('counts a run exactly at the reference as the latest, and the next as strictly after', () => {
    const spec = { time: '09:00', timeZone: 'UTC' };
    const at = Date.parse('2030-01-10T09:00:00Z');
    expect(iso(latestRunAtOrBefore(spec, at))).toBe('2030-01-10T09:00:00.000Z');
    expect(iso(latestRunAtOrBefore(spec, at - 1))).toBe('2030-01-09T09:00:00.000Z');
    expect(iso(nextRunAfter(spec, at))).toBe('2030-01-11T09:00:00.000Z');
    expect(iso(nextRunAfter(spec, at - 1))).toBe('2030-01-10T09:00:00.000Z');
  });

  it('runs once in a spring-forward gap at midnight (Havana) and in a half-hour shift (Lord Howe)', () => {
    expect(runs('00:30', 'America/Havana', '2026-03-07T12:00:00Z', 2)).toEqual([
      '2026-03-08 2026-03-08T05:00:00.000Z',
      '2026-03-09 2026-03-09T04:30:00.000Z',
    ]);
    expect(runs('02:15', 'Australia/Lord_Howe', '2026-10-03T00:00:00Z', 2)).toEqual([
      '2026-10-04 2026-10-03T15:30:00.000Z',
      '2026-10-05 2026-10-04T15:15:00.000Z',
    ]);
  });

  it('skips days already posted when telling the next run', () => {
    const spec = { time: '18:00', timeZone: 'Europe/Berlin' };
    const now = Date.parse('2030-06-01T08:00:00Z');
    expect(iso(nextUnpostedRun(spec, now))).toBe('2030-06-01T16:00:00.000Z');
    expect(iso(nextUnpostedRun({ ...spec, lastPostedDay: '2030-06-01' }, now))).toBe('2030-06-02T16:00:00.000Z');
    expect(iso(nextUnpostedRun({ ...spec, lastPostedDay: '2030-05-31' }, now))).toBe('2030-06-01T16:00:00.000Z');
  });
});
