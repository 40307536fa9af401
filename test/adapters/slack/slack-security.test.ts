import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { pingsIn } from '../../fakes/slack/mentions.js';
import { CHANNEL, SIGNING_SECRET, SlackHarness, reactionEvent, waitFor } from './harness.js';

describe('Slack request signatures', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('answers 401 to a forged signature and a stale timestamp, and runs nothing', async () => {
    h = await SlackHarness.start();
    const story = {
      command: '/scifi',
      text: 'Forged',
      teamId: h.api.teamId,
      channelId: CHANNEL,
      userId: 'U0EVE',
      responseUrl: h.api.responseUrl(),
    };
    const repeat = reactionEvent('1.000001', { user: 'U0EVE', reaction: 'repeat', itemUser: h.api.botUserId });
    const forged = await h.sender.slashCommand(story, { secret: 'not-the-signing-secret' });
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await h.sender.slashCommand(story, { timestamp: sixMinutesAgo });
    const staleEvent = await h.sender.event(
      { teamId: h.api.teamId, eventId: 'EvSTALE', event: repeat },
      { timestamp: sixMinutesAgo },
    );
    const forgedEvent = await h.sender.event(
      { teamId: h.api.teamId, eventId: 'EvFORGED', event: repeat },
      { secret: `${SIGNING_SECRET}x` },
    );
    expect([forged.status, stale.status, staleEvent.status, forgedEvent.status]).toEqual([401, 401, 401, 401]);

    // The same request, properly signed and fresh, is accepted: the 401s were about the signature.
    const genuine = await h.sender.slashCommand(story);
    expect(genuine.status).toBe(200);
    await waitFor(() => h?.engine.requests.length === 1, 'the genuine story');
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(1);
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack text can never ping anyone', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('escapes a seed with <!channel>, <@U123>, & < > and generated text with <!here>', async () => {
    h = await SlackHarness.start({ engine: { text: ' <!here> & <@U999|boss> <!everyone> @channel ', charsPerTick: 7 } });
    const seed = '<!channel> hey <@U123> & <b> @here';
    await h.command('/scifi', seed);
    const message = await waitFor(() => {
      const first = h?.api.topLevel(CHANNEL)[0];
      return first && first.history.length > 2 && h?.engine.requests.length === 1 ? first : undefined;
    }, 'a story');
    await h.bot.idle();

    const sent = [...h.api.callsOf('chat.postMessage'), ...h.api.callsOf('chat.update')];
    expect(sent.length).toBeGreaterThan(2);
    for (const call of sent) {
      const text = call.params['text'] ?? '';
      expect(text).not.toMatch(/[<>]/);
      expect(pingsIn(text, call.params)).toEqual([]);
    }
    expect(h.api.pings()).toEqual([]);
    // The model got the seed as typed, decoded from Slack's &lt; &gt; &amp; once.
    expect(h.engine.requests[0]?.seed).toBe(seed);
    // Readers still see the characters they typed (the core may add an invisible joiner).
    const visible = FakeSlackApi.visible(message).replace(/\u200d/g, '');
    expect(visible).toContain('<!channel> hey <@U123> & <b> @here');
    expect(visible).toContain('<!here> & <@U999|boss>');
  });

  it('escapes private answers too', async () => {
    h = await SlackHarness.start();
    // The refusal quotes what the user typed.
    await h.command('/scifi-temperature', '<!channel>', { userId: 'U0ADMIN' });
    await waitFor(() => h?.api.responses.length === 1, 'the private answer');
    const text = String(h.api.responses[0]?.body['text']);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toMatch(/[<>]/);
    expect(pingsIn(text, {})).toEqual([]);
    expect(h.api.responses[0]?.body['response_type']).toBe('ephemeral');
  });
});
