import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../../e2e/run-bot.js';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { FakeSocketModeServer } from '../../fakes/slack/fake-socket-mode.js';
import { SlackRequestSender, slashCommandPayload } from '../../fakes/slack/signed-requests.js';
import { CHANNEL, USER, waitFor } from './harness.js';

const SECRET = 'npm-start-signing-secret';

describe('npm start with Slack settings', () => {
  let api: FakeSlackApi | undefined;
  let bot: BotProcess | undefined;
  let dataDir: string | undefined;
  let socket: FakeSocketModeServer | undefined;
  afterEach(async () => {
    if (bot && bot.child.exitCode === null) bot.child.kill('SIGKILL');
    await socket?.close();
    await api?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the Slack adapter over HTTP with the real model and writes a story', async () => {
    api = new FakeSlackApi();
    await api.start();
    dataDir = mkdtempSync(join(tmpdir(), 'scifi-slack-e2e-'));
    // Port 0: the bot binds a free port itself and logs it; a port picked here could be taken by
    // another test's server before the bot listens.
    bot = startBot({
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: api.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_PORT: '0',
      SLACK_API_URL: api.apiUrl,
      QUEUE_CONCURRENCY: '2',
    });
    const running = bot;
    const port = await waitFor(
      () => /"port":(\d+)[^\n]*"msg":"Slack adapter ready"/.exec(running.stderr())?.[1],
      'the Slack adapter to listen',
      90_000,
    );
    const sender = new SlackRequestSender(`http://127.0.0.1:${port}/slack/events`, SECRET);
    const seed = 'It all began with';
    const command = { command: '/scifi', text: seed, teamId: api.teamId, channelId: CHANNEL, userId: USER };

    // The port opens once the model is loaded and the adapter started.
    let accepted: Response | undefined;
    const deadline = Date.now() + 90_000;
    while (!accepted) {
      accepted = await sender.slashCommand({ ...command, responseUrl: api.responseUrl() }).catch(() => undefined);
      if (!accepted) {
        if (Date.now() > deadline || bot.child.exitCode !== null) throw new Error(`bot did not start:\n${bot.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(accepted.status).toBe(200);
    expect(api.callsOf('auth.test').length).toBeGreaterThanOrEqual(1);

    const story = await waitFor(
      () => {
        const message = api?.topLevel(CHANNEL)[0];
        const text = message ? FakeSlackApi.visible(message) : '';
        return text.startsWith(seed) && !text.endsWith('✍️') && text.length > seed.length + 100 ? message : undefined;
      },
      'the finished story',
      60_000,
    );
    expect(api.callsOf('chat.update').length).toBeGreaterThanOrEqual(1);
    expect(story.history[0]).toMatch(/in line|Writing/);
    expect(api.pings()).toEqual([]);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 150_000);

  it('uses Socket Mode when SLACK_APP_TOKEN is set', async () => {
    api = new FakeSlackApi();
    await api.start();
    socket = new FakeSocketModeServer();
    await socket.listening();
    api.socketModeUrl = socket.url;
    dataDir = mkdtempSync(join(tmpdir(), 'scifi-slack-e2e-'));
    bot = startBot({
      DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: api.botToken,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_APP_TOKEN: api.appToken,
      SLACK_API_URL: api.apiUrl,
      QUEUE_CONCURRENCY: '2',
    });
    const connected = socket.waitForConnection();
    await Promise.race([
      connected,
      bot.exited.then(() => {
        throw new Error(`bot exited:\n${bot?.stderr()}`);
      }),
    ]);
    const seed = 'The signal came at dawn';
    const payload = slashCommandPayload({
      command: '/scifi',
      text: seed,
      teamId: api.teamId,
      channelId: CHANNEL,
      userId: USER,
      responseUrl: api.responseUrl(),
    });
    const ack = await socket.send('slash_commands', payload);
    expect(ack.envelope_id).toBeTruthy();
    await waitFor(
      () => {
        const message = api?.topLevel(CHANNEL)[0];
        const text = message ? FakeSlackApi.visible(message) : '';
        return text.startsWith(seed) && !text.endsWith('✍️') && text.length > seed.length + 100;
      },
      'the finished story',
      60_000,
    );
    expect(api.callsOf('apps.connections.open')).toHaveLength(1);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
  }, 150_000);
});
