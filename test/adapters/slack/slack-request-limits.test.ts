import { afterEach, describe, expect, it } from 'vitest';
import { signature } from '../../fakes/slack/signed-requests.js';
import { CHANNEL, SIGNING_SECRET, SlackHarness, waitFor } from './harness.js';

describe('Slack HTTP requests are bounded before their signature is checked', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('refuses a 512 KiB body with 413, unread, and still takes ordinary signed commands', async () => {
    h = await SlackHarness.start();
    const url = `http://127.0.0.1:${h.adapter.httpPort() ?? 0}/slack/events`;
    const timestamp = Math.floor(Date.now() / 1000);
    // Even a correctly signed body this large is refused: no Slack payload the bot takes is near it.
    const body = new URLSearchParams({ command: '/scifi', text: 'x'.repeat(512 * 1024) }).toString();
    const huge = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature(SIGNING_SECRET, timestamp, body),
        connection: 'close',
      },
      body,
    });
    expect(huge.status).toBe(413);

    const genuine = await h.sender.slashCommand({
      command: '/scifi',
      text: 'Small',
      teamId: h.api.teamId,
      channelId: CHANNEL,
      userId: 'U0READER',
      responseUrl: h.api.responseUrl(),
    });
    expect(genuine.status).toBe(200);
    await waitFor(() => h?.engine.requests.length === 1, 'the genuine story');
    await h.bot.idle();
    expect(h.engine.requests).toHaveLength(1);
  });
});
