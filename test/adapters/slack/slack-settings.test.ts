import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { ADMIN, CHANNEL, SlackHarness, USER, waitFor } from './harness.js';

const channelId = (h: SlackHarness): string => `slack:${h.api.teamId}:${CHANNEL}`;

/** Sends a command and returns the private answer it got. */
async function ask(h: SlackHarness, command: string, text: string, userId = USER): Promise<string> {
  const before = h.api.responses.length;
  const response = await h.command(command, text, { userId });
  expect(response.status).toBe(200);
  await waitFor(() => h.api.responses.length > before, `an answer to ${command} ${text}`);
  const answer = h.api.responses[before];
  expect(answer?.body['response_type']).toBe('ephemeral');
  return String(answer?.body['text']);
}

describe('Slack /scifi-temperature', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('shows the temperature to anyone and lets only admins, owners and listed users change it', async () => {
    h = await SlackHarness.start({ adminUsers: ['U0LISTED'] });
    h.api.users.set('U0OWNER', { id: 'U0OWNER', is_owner: true });
    h.api.users.set('U0LISTED', { id: 'U0LISTED' });

    expect(await ask(h, '/scifi-temperature', '')).toMatch(/temperature is 0\.4/);
    expect(await ask(h, '/scifi-temperature', '0.8')).toMatch(/Only people who can manage this channel/);
    expect(h.bot.settings.effective(channelId(h)).temperature).toBe(0.4);

    expect(await ask(h, '/scifi-temperature', '0.8', ADMIN)).toMatch(/now 0\.8/);
    expect(h.bot.settings.effective(channelId(h)).temperature).toBe(0.8);
    expect(await ask(h, '/scifi-temperature', '1,2', 'U0OWNER')).toMatch(/now 1\.2/);
    expect(await ask(h, '/scifi-temperature', '0.3', 'U0LISTED')).toMatch(/now 0\.3/);
    // The listed user needed no users.info; admin answers are cached.
    const looked = h.api.callsOf('users.info').map((c) => c.params['user']);
    expect(looked).not.toContain('U0LISTED');
    expect(await ask(h, '/scifi-temperature', '0.5', ADMIN)).toMatch(/now 0\.5/);
    expect(h.api.callsOf('users.info').filter((c) => c.params['user'] === ADMIN)).toHaveLength(1);

    // Stories in the channel use it.
    await h.command('/scifi', 'Cold open');
    await waitFor(() => h?.engine.requests[0], 'a story');
    expect(h.engine.requests[0]?.temperature).toBe(0.5);
  });

  it('answers friendly errors for values out of range or not numbers, changing nothing', async () => {
    h = await SlackHarness.start();
    expect(await ask(h, '/scifi-temperature', '5', ADMIN)).toMatch(/between 0\.1 and 2 \(got 5\)/);
    expect(await ask(h, '/scifi-temperature', 'hot', ADMIN)).toMatch(/must be a number, like 0\.8/);
    expect(await ask(h, '/scifi-temperature', '0.5 0.6', ADMIN)).toMatch(/did not expect "0\.6"/);
    expect(h.bot.settings.effective(channelId(h)).temperature).toBe(0.4);
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(0);
  });
});

describe('Slack /scifi-model', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('lists the models to anyone and lets admins choose the channel\'s', async () => {
    h = await SlackHarness.start();
    expect(await ask(h, '/scifi-model', '')).toMatch(/writes with "scifi"[\s\S]*melville/);
    expect(await ask(h, '/scifi-model', 'melville')).toMatch(/Only people who can manage/);
    expect(await ask(h, '/scifi-model', 'melville', ADMIN)).toMatch(/now writes with "melville"/);
    expect(await ask(h, '/scifi-model', 'tolkien', ADMIN)).toMatch(/tolkien/);
    expect(h.bot.settings.effective(channelId(h)).model).toBe('melville');
    await h.command('/scifi', 'Call me');
    await waitFor(() => h?.engine.requests[0], 'a story');
    expect(h.engine.requests[0]?.model).toBe('melville');
  });
});

describe('Slack /scifi-daily', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('schedules a daily story that the scheduler posts as a new message, and turns it off', async () => {
    // 08:00 UTC is 09:00 in Berlin: the story is due in half an hour.
    h = await SlackHarness.start({ clockStart: '2026-11-28T08:00:00Z', engine: { charsPerTick: 200, tickMs: 1 } });
    expect(await ask(h, '/scifi-daily', '09:30 Europe/Berlin A lighthouse on Mars')).toMatch(/Only people who can manage/);
    expect(h.bot.daily.get(channelId(h))).toBeUndefined();

    const answer = await ask(h, '/scifi-daily', '09:30 Europe/Berlin A lighthouse on Mars', ADMIN);
    expect(answer).toMatch(/every day at 09:30 \(Europe\/Berlin\)/);
    expect(h.bot.daily.get(channelId(h))).toMatchObject({ time: '09:30', timeZone: 'Europe/Berlin', seed: 'A lighthouse on Mars' });
    expect(h.api.callsOf('chat.postMessage')).toHaveLength(0);

    h.clock.advanceTo('2026-11-28T08:30:00Z');
    const daily = await waitFor(() => {
      const top = h?.api.topLevel(CHANNEL)[0];
      return top && h?.engine.requests.length === 1 ? top : undefined;
    }, 'the daily story');
    await h.bot.idle();
    const text = FakeSlackApi.visible(h.api.message(CHANNEL, daily.ts)!);
    expect(text).toMatch(/story of the day, 2026-11-28/);
    expect(text).toContain('A lighthouse on Mars');
    expect(h.engine.requests[0]?.length).toBeGreaterThan(600);
    // A new channel message, not a reply and not through response_url.
    expect(h.api.callsOf('chat.postMessage')[0]?.params['thread_ts']).toBeUndefined();

    expect(await ask(h, '/scifi-daily', 'off', ADMIN)).toMatch(/off for this channel/);
    expect(h.bot.daily.get(channelId(h))).toBeUndefined();
    h.clock.advanceTo('2026-11-29T08:30:00Z');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.engine.requests).toHaveLength(1);
  });

  it('explains a bad time or time zone', async () => {
    h = await SlackHarness.start();
    expect(await ask(h, '/scifi-daily', '25:00 UTC', ADMIN)).toMatch(/not a time of day/);
    expect(await ask(h, '/scifi-daily', '09:30 Mars/Olympus', ADMIN)).toMatch(/not a time zone I know/);
    expect(await ask(h, '/scifi-daily', '', ADMIN)).toMatch(/needs time/);
  });
});
