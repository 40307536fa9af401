import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.destroy();
  await fake?.stop();
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
