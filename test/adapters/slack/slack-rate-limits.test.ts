import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { CHANNEL, SlackHarness, scripted, waitFor } from './harness.js';

const STORY = ' and the engines hummed.';

describe('Slack rate limits', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('waits out a 429 on chat.update (Retry-After) and still lands the final text', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 10, tickMs: 5 } });
    h.api.rateLimitNext('chat.update', 1, 1);
    await h.command('/scifi', 'Slow down');
    const expected = `Slow down${scripted(STORY, 600)}`;
    await waitFor(() => {
      const first = h?.api.topLevel(CHANNEL)[0];
      return first && FakeSlackApi.visible(first) === expected;
    }, 'the final text');

    const updates = h.api.callsOf('chat.update');
    // The first update was refused with 429; nothing else went to chat.update for Retry-After.
    const refused = updates[0]!;
    const next = updates[1]!;
    expect(next.at - refused.at).toBeGreaterThanOrEqual(950);
    expect(h.logger.lines.some((l) => /rate limit/i.test(l.msg))).toBe(true);
  });

  it('shares one chat.update budget between all stories in a workspace', async () => {
    // 600 a minute = one every 100 ms, no burst: two stories at once must take turns.
    h = await SlackHarness.start({
      engine: { text: STORY, charsPerTick: 10, tickMs: 10 },
      adapter: { updatesPerMinute: 600, updateBurst: 1, editIntervalMs: 10 },
    });
    await h.command('/scifi', 'First');
    await h.command('/scifi', 'Second');
    await waitFor(() => {
      const top = h?.api.topLevel(CHANNEL) ?? [];
      return top.length === 2 && top.every((m) => FakeSlackApi.visible(m).endsWith(scripted(STORY, 600).slice(-20)));
    }, 'both final texts');

    const updates = h.api.callsOf('chat.update');
    const touched = new Set(updates.map((c) => c.params['ts']));
    expect(touched.size).toBe(2);
    expect(updates.length).toBeGreaterThanOrEqual(6);
    // Grants are 100 ms apart whichever message they were for, so n updates span (n - 1) × 100 ms.
    // Arrival times can bunch after a stall on a busy machine, so pairs of neighbours prove nothing
    // reliably; the whole span is checked against 75 ms a grant: a budget per story (50 ms) fails it.
    const at = updates.map((c) => c.at);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual((at.length - 1) * 75);
  });
});
