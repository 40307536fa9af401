import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { eventPayload, slashCommandPayload } from '../../fakes/slack/signed-requests.js';
import { CHANNEL, SlackHarness, USER, reactionEvent, scripted, waitFor } from './harness.js';

describe('Slack Socket Mode', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('connects through apps.connections.open, acks envelopes and serves /scifi and :repeat:', async () => {
    h = await SlackHarness.start({ socketMode: true, engine: { text: ' beyond the rim.' } });
    const socket = h.socket!;
    expect(socket.connected).toBe(true);
    expect(h.adapter.httpPort()).toBeUndefined();
    const open = h.api.callsOf('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe(h.api.appToken);

    const command = slashCommandPayload({
      command: '/scifi',
      text: 'Over the socket',
      teamId: h.api.teamId,
      channelId: CHANNEL,
      userId: USER,
      responseUrl: h.api.responseUrl(),
    });
    const ack = await socket.send('slash_commands', command);
    expect(ack.envelope_id).toBeTruthy();
    const expected = `Over the socket${scripted(' beyond the rim.', 600)}`;
    const story = await waitFor(() => {
      const first = h?.api.topLevel(CHANNEL)[0];
      return first && FakeSlackApi.visible(first) === expected ? first : undefined;
    }, 'the story');
    expect(h.api.callsOf('chat.update').length).toBeGreaterThanOrEqual(1);

    const repeat = eventPayload({
      teamId: h.api.teamId,
      eventId: 'EvSOCKET1',
      event: reactionEvent(story.ts, { user: USER, reaction: 'repeat', itemUser: h.api.botUserId }),
    });
    const eventAck = await socket.send('events_api', repeat);
    expect(eventAck.envelope_id).toBeTruthy();
    // Slack redelivers over the socket too (retry_attempt 1, same event_id): it runs once.
    await socket.send('events_api', repeat, 1);
    await waitFor(() => h?.api.replies(CHANNEL, story.ts)[0], 'the regeneration');
    await waitFor(() => h?.logger.lines.some((l) => l.msg === 'repeated delivery of a reaction; already handled'), 'the redelivery to be dropped');
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(2);
    expect(h.api.replies(CHANNEL, story.ts)).toHaveLength(1);
    // Dropped as a duplicate, not handled and refused with "already rewriting" (which would also
    // leave two engine requests while the first regeneration still runs).
    expect(h.api.callsOf('chat.postEphemeral')).toHaveLength(0);
  });
});
