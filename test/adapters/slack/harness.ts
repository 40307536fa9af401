import { allCommands } from '../../../commands/index.js';
import type { Bot } from '../../../src/core/create-bot.js';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/slack-adapter.js';
import { BotProcessHarness, type BotProcessOptions } from '../../fakes/bot-process-harness.js';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { FakeSocketModeServer } from '../../fakes/slack/fake-socket-mode.js';
import { SlackRequestSender, type SlashCommandInput } from '../../fakes/slack/signed-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-8f2d';
export const CHANNEL = 'C0STORIES';
export const USER = 'U0READER';
export const ADMIN = 'U0ADMIN';

export interface HarnessOptions extends BotProcessOptions {
  readonly socketMode?: boolean;
  readonly adminUsers?: readonly string[];
  readonly adapter?: Partial<Pick<SlackAdapterOptions, 'updatesPerMinute' | 'updateBurst' | 'editIntervalMs'>>;
}

/**
 * The real thing end to end, minus Slack itself: the real Bolt App (HTTP or Socket Mode) over
 * the real core (createBot, SQLite in a temp dir, the daily scheduler on a clock the test moves)
 * with a scripted engine, talking to a fake Slack on 127.0.0.1.
 */
export class SlackHarness extends BotProcessHarness<SlackAdapter> {
  readonly api = new FakeSlackApi();
  socket: FakeSocketModeServer | undefined;
  sender!: SlackRequestSender;

  private constructor(private readonly options: HarnessOptions = {}) {
    super(options, { dataDirPrefix: 'scifi-slack-', tickMs: 5 });
  }

  static async start(options: HarnessOptions = {}): Promise<SlackHarness> {
    const harness = new SlackHarness(options);
    await harness.boot();
    return harness;
  }

  private async boot(): Promise<void> {
    await this.api.start();
    this.api.users.set(USER, { id: USER });
    this.api.users.set(ADMIN, { id: ADMIN, is_admin: true });
    if (this.options.socketMode) {
      this.socket = new FakeSocketModeServer();
      await this.socket.listening();
      this.api.socketModeUrl = this.socket.url;
    }
    await this.bootProcess();
  }

  protected createAdapter(bot: Bot): SlackAdapter {
    return createSlackAdapter({
      botToken: this.api.botToken,
      signingSecret: SIGNING_SECRET,
      ...(this.options.socketMode ? { appToken: this.api.appToken } : {}),
      port: 0,
      apiUrl: this.api.apiUrl,
      adminUsers: this.options.adminUsers ?? [],
      commands: allCommands,
      bot,
      logger: this.logger,
      // Fast for tests; the per-workspace bucket is still the only way edits go out.
      editIntervalMs: 25,
      updatesPerMinute: 6000,
      updateBurst: 10,
      ...this.options.adapter,
    });
  }

  /** A process's HTTP port changes on each boot, so the request sender follows it. */
  protected override async bootProcess(): Promise<void> {
    await super.bootProcess();
    this.sender = new SlackRequestSender(`http://127.0.0.1:${this.adapter.httpPort() ?? 0}/slack/events`, SIGNING_SECRET);
  }

  /** A signed slash command from USER in CHANNEL unless told otherwise. */
  command(command: string, text: string, overrides: Partial<SlashCommandInput> = {}): Promise<Response> {
    return this.sender.slashCommand({
      command,
      text,
      teamId: this.api.teamId,
      channelId: CHANNEL,
      userId: USER,
      responseUrl: this.api.responseUrl(),
      ...overrides,
    });
  }

  /** A signed reaction_added event for a message in CHANNEL. */
  reaction(
    ts: string,
    options: { user?: string; reaction?: string; eventId?: string; retryNum?: number; itemUser?: string } = {},
  ): Promise<Response> {
    return this.sender.event({
      teamId: this.api.teamId,
      eventId: options.eventId ?? `Ev${++eventSequence}`,
      ...(options.retryNum === undefined ? {} : { retryNum: options.retryNum }),
      event: reactionEvent(ts, {
        user: options.user ?? USER,
        reaction: options.reaction ?? 'repeat',
        itemUser: options.itemUser ?? this.api.botUserId,
      }),
    });
  }

  /** Ephemeral answers sent through response_url, as text. */
  ephemeralTexts(): string[] {
    return this.api.responses.map((r) => String(r.body['text'] ?? ''));
  }

  async stop(): Promise<void> {
    await this.stopProcessAndRemoveData();
    await this.socket?.close();
    await this.api.stop();
  }
}

let eventSequence = 0;

export function reactionEvent(
  ts: string,
  options: { user: string; reaction: string; itemUser: string },
): Record<string, unknown> {
  return {
    type: 'reaction_added',
    user: options.user,
    reaction: options.reaction,
    item_user: options.itemUser,
    item: { type: 'message', channel: CHANNEL, ts },
    event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
  };
}

export { pollUntil as waitFor } from '../../fakes/poll.js';

export { scriptedContinuation as scripted } from '../../fakes/scripted-engine.js';
