import { afterEach, describe, expect, it } from 'vitest';
import { SlackHarness, waitFor } from './harness.js';

// Its own file: the core retries the failed final post for a few seconds, and this way that wait
// runs beside the other Slack tests instead of after them.
describe('Slack channels the bot may not post in', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('tells the user privately when it may not post in the channel', async () => {
    h = await SlackHarness.start();
    h.api.closedChannels.add('C0PRIVATE');
    const response = await h.command('/scifi', 'Behind closed doors', { channelId: 'C0PRIVATE' });
    expect(response.status).toBe(200);
    await waitFor(() => h?.api.responses[0], 'a private answer');
    expect(String(h.api.responses[0]?.body['text'])).toMatch(/Invite me first/);
    expect(h.api.responses[0]?.body['response_type']).toBe('ephemeral');
    await h.bot.idle();
    expect(h.api.messages).toHaveLength(0);
    // The core tried the post more than once; the person was told once.
    expect(h.api.callsOf('chat.postMessage').length).toBeGreaterThan(1);
    expect(h.api.responses).toHaveLength(1);
  });

  it('joins a public channel it is not in, so the story is posted and :repeat: on it will reach the bot', async () => {
    h = await SlackHarness.start();
    h.api.unjoinedChannels.add('C0PUBLIC');
    await h.command('/scifi', 'Out in the open', { channelId: 'C0PUBLIC' });
    await h.bot.idle();
    expect(h.api.callsOf('conversations.join').map((c) => c.params['channel'])).toEqual(['C0PUBLIC']);
    expect(h.api.unjoinedChannels.has('C0PUBLIC')).toBe(false);
    expect(h.api.messages.filter((m) => m.channel === 'C0PUBLIC')).toHaveLength(1);
    expect(h.api.responses).toHaveLength(0);
  });
});
