import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../../commands/index.js';
import { createSlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/slack-adapter.js';
import type { BotServices } from '../../../src/core/bot-services.js';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { FakeSocketModeServer } from '../../fakes/slack/fake-socket-mode.js';
import { MemoryLogger } from '../../fakes/silent-logger.js';

/** Start-up never reaches the core, so a bot that refuses every call is enough here. */
const unusedBot = new Proxy({} as BotServices, {
  get() {
    throw new Error('the core was used during start-up');
  },
});

describe('Slack adapter start-up errors name the setting to fix', () => {
  let api: FakeSlackApi;
  beforeEach(async () => {
    api = new FakeSlackApi();
    await api.start();
  });
  afterEach(async () => {
    await api.stop();
  });

  const options = (overrides: Partial<SlackAdapterOptions>): SlackAdapterOptions => ({
    botToken: api.botToken,
    signingSecret: 'secret',
    port: 0,
    apiUrl: api.apiUrl,
    adminUsers: [],
    commands: allCommands,
    bot: unusedBot,
    logger: new MemoryLogger(),
    ...overrides,
  });

  it('a bot token Slack refuses', async () => {
    const adapter = createSlackAdapter(options({ botToken: 'xoxb-wrong' }));
    await expect(adapter.start()).rejects.toThrow(/did not accept the bot token \(invalid_auth\); check SLACK_BOT_TOKEN/);
  });

  it('an app-level token Slack refuses (Socket Mode)', async () => {
    const socket = new FakeSocketModeServer();
    await socket.listening();
    api.socketModeUrl = socket.url;
    try {
      const adapter = createSlackAdapter(options({ appToken: 'xapp-wrong' }));
      await expect(adapter.start()).rejects.toThrow(/Socket Mode connection \(invalid_auth\); check SLACK_APP_TOKEN/);
      await adapter.stop().catch(() => undefined);
    } finally {
      await socket.close();
    }
  });

  it('a port already taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const adapter = createSlackAdapter(options({ port }));
      await expect(adapter.start()).rejects.toThrow(/Cannot listen for Slack on port \d+ .*EADDRINUSE.*check SLACK_PORT/);
    } finally {
      blocker.close();
    }
  });
});
