import { afterEach, describe, expect, it } from 'vitest';
import type { CommandDefinition } from '../../../src/core/command.js';
import { DiscordHarness, pingsNobody } from './harness.js';

let harness: DiscordHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const EPHEMERAL = 64;

const broken: CommandDefinition = {
  name: 'scifi-broken',
  description: 'fails (tests only)',
  options: [],
  run: async () => {
    throw new Error('database on fire <@123>');
  },
};

const silent: CommandDefinition = { name: 'scifi-silent', description: 'says nothing (tests only)', options: [], run: async () => undefined };

describe('Discord private answers', () => {
  it('a refused /scifi removes the public "thinking…" and answers only the member', async () => {
    harness = await DiscordHarness.start();
    const { fake } = harness;
    const interaction = harness.command('scifi', { seed: 'Hello', model: 'poe' });
    const answer = await fake.waitFor('the private refusal', () =>
      fake.channelMessages().find((m) => m.interactionToken === interaction.token && m.content !== ''),
    );
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).toMatch(/poe/);
    expect(answer.id).not.toBe(interaction.originalMessageId);
    expect(harness.original(interaction)?.deleted).toBe(true);
    const followUp = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith(interaction.token));
    expect(followUp?.body).toMatchObject({ flags: EPHEMERAL });
    expect(pingsNobody(followUp?.body)).toBe(true);
    expect(harness.engine.requests).toEqual([]);
  });

  it('an unexpected failure is logged and answered with a generic private message', async () => {
    harness = await DiscordHarness.start({ extraCommands: [broken] });
    const { fake } = harness;
    harness.command('scifi-broken');
    const answer = await fake.waitFor('the generic answer', () => fake.channelMessages().find((m) => m.content.startsWith('Something went wrong')));
    expect(answer.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(answer.content).not.toContain('database');
    expect(harness.logger.lines.some((l) => l.level === 'error' && l.msg === 'command failed')).toBe(true);
  });

  it('a command that answers nothing does not leave "thinking…" spinning', async () => {
    harness = await DiscordHarness.start({ extraCommands: [silent] });
    const interaction = harness.command('scifi-silent');
    await harness.fake.waitFor('the deferral closed', () => harness?.original(interaction)?.deleted);
  });

  it('an unknown command gets an immediate private answer', async () => {
    harness = await DiscordHarness.start();
    const interaction = harness.command('scifi-unknown');
    const answer = await harness.fake.waitFor('the answer', () => harness?.original(interaction)?.content);
    expect(answer).toBe('I do not know that command.');
    const callback = harness.fake.requests.find((r) => r.path.endsWith('/callback'));
    expect(callback?.body).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(pingsNobody(callback?.body)).toBe(true);
  });
});
