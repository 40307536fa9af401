import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventDeduplicator } from '../../../src/adapters/slack/event-dedup.js';
import { parseSlackChannelId, slackChannelId } from '../../../src/adapters/slack/slack-ids.js';
import { escapeSlackText } from '../../../src/adapters/slack/slack-text.js';
import { TokenBucket } from '../../../src/adapters/slack/workspace-rate-limiter.js';

describe('escapeSlackText', () => {
  it('turns every control sequence into plain text', () => {
    expect(escapeSlackText('<!channel> <@U123> <#C1|x> &amp; a < b > c')).toBe(
      '&lt;!channel&gt; &lt;@U123&gt; &lt;#C1|x&gt; &amp;amp; a &lt; b &gt; c',
    );
    expect(escapeSlackText('plain text')).toBe('plain text');
  });
});

describe('Slack channel ids', () => {
  it('round-trip and refuse other platforms', () => {
    expect(parseSlackChannelId(slackChannelId('T1', 'C2'))).toEqual({ teamId: 'T1', channel: 'C2' });
    expect(() => parseSlackChannelId('discord:1:2')).toThrow(/not a Slack channel id/);
  });
});

describe('TokenBucket', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets a burst through, then paces takers in order at the set rate', async () => {
    const bucket = new TokenBucket(60, 2); // one a second after a burst of two
    const granted: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 5; i++) void bucket.take().then(() => granted.push(Date.now() - start));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(granted).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('serves urgent takers (final updates) before ordinary ones already waiting', async () => {
    const bucket = new TokenBucket(60, 1);
    const granted: string[] = [];
    for (const name of ['a', 'b', 'c']) void bucket.take().then(() => granted.push(name));
    void bucket.take(true).then(() => granted.push('final'));
    await vi.advanceTimersByTimeAsync(0);
    expect(granted).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual(['a', 'final']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted).toEqual(['a', 'final', 'b', 'c']);
  });

  it('holds everyone back for a Retry-After pause', async () => {
    const bucket = new TokenBucket(6000, 10);
    bucket.pauseFor(2000);
    let granted = false;
    void bucket.take().then(() => {
      granted = true;
    });
    await vi.advanceTimersByTimeAsync(1999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(granted).toBe(true);
  });
});

describe('EventDeduplicator', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes an event id once within the window, and again after it', () => {
    const events = new EventDeduplicator(60_000);
    expect(events.firstTime('Ev1')).toBe(true);
    expect(events.firstTime('Ev1')).toBe(false);
    expect(events.firstTime('Ev2')).toBe(true);
    vi.advanceTimersByTime(60_001);
    expect(events.firstTime('Ev1')).toBe(true);
  });
});
