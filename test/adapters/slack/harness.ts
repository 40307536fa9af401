import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../../commands/index.js';
import type { Bot } from '../../../src/core/create-bot.js';
import type { DailyScheduler } from '../../../src/core/daily-scheduler.js';
import { StoryEnding } from '../../../src/core/story-ending.js';
import { createSlackAdapter, type SlackAdapter, type SlackAdapterOptions } from '../../../src/adapters/slack/slack-adapter.js';
import { openDatabase, type BotDatabase } from '../../../src/storage/index.js';
import { FakeDailyClock } from '../../core/daily-fake-clock.js';
import { FakeSlackApi } from '../../fakes/slack/fake-slack-api.js';
import { FakeSocketModeServer } from '../../fakes/slack/fake-socket-mode.js';
import { SlackRequestSender, type SlashCommandInput } from '../../fakes/slack/signed-requests.js';
import { ScriptedEngine, type ScriptedEngineOptions } from '../../fakes/scripted-engine.js';
import { MemoryLogger } from '../../fakes/silent-logger.js';
import { assembleTestCore } from '../../fakes/adapter-test-core.js';

export const SIGNING_SECRET = 'test-signing-secret-8f2d';
export const CHANNEL = 'C0STORIES';
export const USER = 'U0READER';
export const ADMIN = 'U0ADMIN';

export interface HarnessOptions {
  readonly engine?: ScriptedEngineOptions;
  readonly socketMode?: boolean;
  readonly adminUsers?: readonly string[];
  readonly adapter?: Partial<Pick<SlackAdapterOptions, 'updatesPerMinute' | 'updateBurst' | 'editIntervalMs'>>;
  /** Jobs running at once (the rest wait in line). */
  readonly concurrency?: number;
  /** Where the daily scheduler's clock starts. */
  readonly clockStart?: string;
}

/**
 * The real thing end to end, minus Slack itself: the real Bolt App (HTTP or Socket Mode) over
 * the real core (createBot, SQLite in a temp dir, the daily scheduler on a clock the test moves)
 * with a scripted engine, talking to a fake Slack on 127.0.0.1.
 */
export class SlackHarness {
  readonly api = new FakeSlackApi();
  readonly logger = new MemoryLogger();
  readonly clock: FakeDailyClock;
  readonly engine: ScriptedEngine;
  socket: FakeSocketModeServer | undefined;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'scifi-slack-'));
  db!: BotDatabase;
  bot!: Bot;
  adapter!: SlackAdapter;
  scheduler!: DailyScheduler;
  sender!: SlackRequestSender;

  constructor(private readonly options: HarnessOptions = {}) {
    this.clock = new FakeDailyClock(options.clockStart ?? '2026-11-28T08:00:00Z');
    this.engine = new ScriptedEngine({ charsPerTick: 20, tickMs: 5, ...options.engine });
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

  /** Everything one bot process holds: database handle, core, adapter, scheduler. */
  private async bootProcess(): Promise<void> {
    this.db = openDatabase(this.dataDir);
    const core = assembleTestCore({
      engine: this.engine,
      db: this.db,
      logger: this.logger,
      clock: this.clock,
      ...(this.options.concurrency !== undefined ? { concurrency: this.options.concurrency } : {}),
    });
    this.bot = core.bot;
    this.scheduler = core.scheduler;
    this.adapter = createSlackAdapter({
      botToken: this.api.botToken,
      signingSecret: SIGNING_SECRET,
      ...(this.options.socketMode ? { appToken: this.api.appToken } : {}),
      port: 0,
      apiUrl: this.api.apiUrl,
      adminUsers: this.options.adminUsers ?? [],
      commands: allCommands,
      bot: this.bot,
      logger: this.logger,
      // Fast for tests; the per-workspace bucket is still the only way edits go out.
      editIntervalMs: 25,
      updatesPerMinute: 6000,
      updateBurst: 10,
      ...this.options.adapter,
    });
    this.bot.attach(this.adapter);
    await this.adapter.start();
    this.scheduler.start();
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

  /** Stops this process (adapter, core, database) and starts a fresh one on the same data. */
  async restart(): Promise<void> {
    await this.stopProcess();
    await this.bootProcess();
    this.bot.recover();
  }

  private async stopProcess(): Promise<void> {
    this.scheduler.stop();
    this.bot.stop();
    await this.adapter.stop().catch(() => undefined);
    this.db.close();
  }

  async stop(): Promise<void> {
    await this.stopProcess();
    await this.socket?.close();
    await this.api.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
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

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export async function waitFor<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The continuation a story of `length` shows when the scripted engine writes it (ending rule applied). */
export function scripted(text: string, length: number): string {
  const ending = new StoryEnding(length);
  let out = '';
  while (out.length < ending.maxLength) out += text;
  return ending.finish(out.slice(0, ending.maxLength));
}
