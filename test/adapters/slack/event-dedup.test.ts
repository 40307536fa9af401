import { describe, expect, it } from 'vitest';
import { EventDeduplicator } from '../../../src/adapters/slack/event-dedup.js';

describe('EventDeduplicator', () => {
  it('acts on each event id once', () => {
    const events = new EventDeduplicator();
    expect(events.firstTime('Ev1')).toBe(true);
    expect(events.firstTime('Ev1')).toBe(false);
    expect(events.firstTime('Ev2')).toBe(true);
  });

  it('remembers a bounded number of ids however many events arrive within the window', () => {
    const events = new EventDeduplicator();
    for (let i = 0; i < 25_000; i++) expect(events.firstTime(`Ev${i}`)).toBe(true);
    expect(events.remembered).toBeLessThanOrEqual(10_000);
    // The most recent ids, the ones Slack may still retry, are the ones kept.
    expect(events.firstTime('Ev24999')).toBe(false);
  });
});
