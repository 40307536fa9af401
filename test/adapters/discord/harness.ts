import type { TextChannel } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from '../../../src/adapters/discord/discord-adapter.js';
import { discordChannelId } from '../../../src/adapters/discord/discord-ids.js';
import type { CommandDefinition } from '../../../src/core/command.js';
import type { Bot } from '../../../src/core/create-bot.js';
import { defuseMentions } from '../../../src/core/mentions.js';
import { storyText } from '../../../src/core/story-text.js';
import { BotProcessHarness, type BotProcessOptions } from '../../fakes/bot-process-harness.js';
import { FakeDiscord, type FakeInteraction, type FakeMessage } from '../../fakes/discord/fake-discord.js';

export const READER = '222222222222222222';
export const MODERATOR = '333333333333333333';

/** A test-only command: a story of a chosen length, to see the 2000-character split. */
export const longStory: CommandDefinition = {
  name: 'scifi-long',
  description: 'A long story (tests only)',
  options: [
    { name: 'seed', description: 'opening', type: 'string' },
    { name: 'length', description: 'characters', type: 'number', min: 1, max: 5000 },
  ],
  async run(ctx) {
    await ctx.bot.stories.start({
      kind: 'story',
      channelId: ctx.channelId,
      userId: ctx.userId,
      seed: String(ctx.options.seed ?? ''),
      length: Number(ctx.options.length ?? 2500),
      surface: ctx.storySurface(),
    });
  },
};

export interface DiscordHarnessOptions extends BotProcessOptions {
  readonly adapter?: Partial<Pick<DiscordAdapterOptions, 'editIntervalMs' | 'budget' | 'interactionTokenLifetimeMs' | 'interactionTokenMarginMs'>>;
  /** Commands besides the bot's own (test-only behaviour). */
  readonly extraCommands?: readonly CommandDefinition[];
}

/**
 * The real thing end to end, minus Discord itself: the real discord.js Client (REST and Gateway)
 * over the real core (createBot, SQLite in a temp dir, the daily scheduler on a clock the test
 * moves) with a scripted engine, talking to a fake Discord on 127.0.0.1.
 */
export class DiscordHarness extends BotProcessHarness<DiscordAdapter> {
  readonly fake = new FakeDiscord();

  private constructor(private readonly options: DiscordHarnessOptions = {}) {
    super(options, { dataDirPrefix: 'scifi-discord-', tickMs: 10 });
  }

  static async start(options: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
    const harness = new DiscordHarness(options);
    await harness.fake.start();
    await harness.bootProcess();
    return harness;
  }

  /** The core's id for the fake's channel. */
  get channelId(): string {
    return discordChannelId(this.fake.guildId, this.fake.channelId);
  }

  /** The channel as the running client caches it. */
  cachedChannel(): TextChannel {
    const channel = this.adapter.client.channels.cache.get(this.fake.channelId);
    if (!channel) throw new Error('channel not cached');
    return channel as TextChannel;
  }

  protected createAdapter(bot: Bot): DiscordAdapter {
    return createDiscordAdapter({
      token: this.fake.token,
      apiBase: this.fake.apiBase,
      commands: [...allCommands, longStory, ...(this.options.extraCommands ?? [])],
      bot,
      logger: this.logger,
      // Fast for tests; every write still goes through the channel budget.
      editIntervalMs: 50,
      budget: { writesPerWindow: 50, windowMs: 1_000, messageIntervalMs: 50 },
      ...this.options.adapter,
    });
  }

  /** A slash command from READER (or `userId`) in the fake's channel. */
  command(
    command: string,
    options: Readonly<Record<string, string | number>> = {},
    member: { userId?: string; manageChannels?: boolean } = {},
  ): FakeInteraction {
    return this.fake.sendCommand({ command, options, userId: member.userId ?? READER, manageChannels: member.manageChannels ?? false });
  }

  /** Waits until a message shows exactly `text`; returns it. */
  waitForMessage(text: string, what = 'a message with the final text', timeoutMs = 10_000): Promise<FakeMessage> {
    return this.fake.waitFor(what, () => this.fake.channelMessages().find((m) => m.content === text), timeoutMs);
  }

  /** The original response message of an interaction, once it exists. */
  original(interaction: FakeInteraction): FakeMessage | undefined {
    return this.fake.messages.get(interaction.originalMessageId ?? '');
  }

  async stop(): Promise<void> {
    await this.stopProcessAndRemoveData();
    await this.fake.stop();
  }
}

export { scriptedContinuation as scripted } from '../../fakes/scripted-engine.js';

/** The whole reply the core shows for a plain story (no notes, no title). */
export function finalStory(seed: string, continuation: string): string {
  return storyText({ notes: [], seed: defuseMentions(seed) }, defuseMentions(continuation));
}

export const ENGINE_TEXT = ' and the stars burned cold over the silent ship.';

/**
 * allowed_mentions that can ping nobody: nothing parsed, no users or roles listed, no reply ping.
 * Accepts a message body or an interaction callback (whose message is under `data`).
 */
export function pingsNobody(body: unknown): boolean {
  type Allowed = { parse?: unknown; users?: unknown[]; roles?: unknown[]; replied_user?: unknown };
  type Payload = { allowed_mentions?: Allowed; type?: number; data?: Payload };
  const payload = body as Payload | undefined;
  const message = payload?.type === 4 ? payload.data : payload;
  const allowed = message?.allowed_mentions;
  return (
    allowed !== undefined &&
    Array.isArray(allowed.parse) &&
    allowed.parse.length === 0 &&
    (allowed.users ?? []).length === 0 &&
    (allowed.roles ?? []).length === 0 &&
    allowed.replied_user !== true
  );
}
