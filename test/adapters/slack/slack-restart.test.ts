import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { CHANNEL, SlackHarness, USER, scripted, waitFor } from './harness.js';

const STORY = ' and the reactor ticked like a clock.';

describe('Slack after a restart', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('finishes an interrupted story in the messages it already posted, thread included', async () => {
    h = await SlackHarness.start({ engine: { text: STORY, charsPerTick: 100, tickMs: 25 } });
    const channelId = `slack:${h.api.teamId}:${CHANNEL}`;
    await h.bot.stories.start({
      kind: 'story',
      channelId,
      userId: `slack:${h.api.teamId}:${USER}`,
      seed: 'Resume',
      length: 5000,
      surface: h.adapter.channelSurface(channelId),
    });
    const root = await waitFor(() => h?.api.topLevel(CHANNEL)[0], 'the first message');
    // Interrupt once the story has spilled into its thread.
    await waitFor(() => (h?.api.replies(CHANNEL, root.ts).length ?? 0) >= 1, 'a thread reply');
    await h.restart();

    const expected = `Resume${scripted(STORY, 5000)}`;
    await waitFor(() => {
      const parts = [root, ...(h?.api.replies(CHANNEL, root.ts) ?? [])].map((m) => FakeSlackApi.visible(m));
      return parts.join('') === expected;
    }, 'the resumed story');
    await h.bot.idle();
    // No second copy: the new process edited what the old one had posted.
    expect(h.api.topLevel(CHANNEL)).toHaveLength(1);
    expect(h.api.replies(CHANNEL, root.ts)).toHaveLength(1);
    expect(h.engine.requests).toHaveLength(2);
  });
});
