import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../src/adapters/discord/discord-adapter.js';
import type { BotServices } from '../../../src/core/bot-services.js';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { MemoryLogger } from '../../fakes/silent-logger.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  await fake?.stop();
  client = undefined;
  fake = undefined;
});

describe('the fake Discord gateway with the real discord.js client', () => {
  it('identifies once, becomes ready with the guild and its channel, and keeps its heartbeats acknowledged', async () => {
    fake = new FakeDiscord({ heartbeatIntervalMs: 100 });
    await fake.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    const ready = new Promise<void>((resolve) => client?.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.guilds.cache.get(fake.guildId)?.channels.cache.has(fake.channelId)).toBe(true);
    const gateway = fake.gateway;
    await fake.waitFor('three heartbeats', () => gateway.receivedOps.filter((op) => op === 1).length >= 3);
    // An unacknowledged heartbeat would make the client reconnect and identify again.
    expect(gateway.receivedOps.filter((op) => op === 2)).toHaveLength(1);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /gateway/bot']);
  });

  it('refuses a wrong token on REST as Discord does', async () => {
    fake = new FakeDiscord();
    await fake.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    await expect(client.login('not-the-token')).rejects.toThrow(/401|Unauthorized|token/i);
  });
});

describe('Discord adapter start-up errors', () => {
  const noBot = {} as BotServices;

  it('a refused token names DISCORD_TOKEN', async () => {
    fake = new FakeDiscord();
    await fake.start();
    const adapter = createDiscordAdapter({ token: 'wrong', apiBase: fake.apiBase, commands: [], bot: noBot, logger: new MemoryLogger() });
    await expect(adapter.start()).rejects.toThrow(/Discord did not accept the bot token .*check DISCORD_TOKEN/);
  });

  it('an unreachable API names DISCORD_API_BASE', async () => {
    const adapter = createDiscordAdapter({ token: 'x', apiBase: 'http://127.0.0.1:9/api', commands: [], bot: noBot, logger: new MemoryLogger() });
    await expect(adapter.start()).rejects.toThrow(/Could not reach Discord at http:\/\/127.0.0.1:9\/api .*DISCORD_API_BASE/);
  });
});
