import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformAdapter } from '../../src/adapters/platform-adapter.js';
import type { Bot } from '../../src/core/create-bot.js';
import type { DailyScheduler } from '../../src/core/daily-scheduler.js';
import { openDatabase, type BotDatabase } from '../../src/storage/index.js';
import { FakeDailyClock } from '../core/daily-fake-clock.js';
import { assembleTestCore } from './adapter-test-core.js';
import { ScriptedEngine, type ScriptedEngineOptions } from './scripted-engine.js';
import { MemoryLogger } from './silent-logger.js';

export interface BotProcessOptions {
  readonly engine?: ScriptedEngineOptions;
  readonly clockStart?: string;
  /** Stories written at once (the core's default for tests otherwise). */
  readonly concurrency?: number;
}

/**
 * One bot "process" as an adapter harness runs it — SQLite in a temp dir, the real core, the
 * platform adapter, the daily scheduler on a clock the test moves — which the test can stop and
 * boot again on the same data (a restart). Subclasses make the adapter and own the fake platform.
 */
export abstract class BotProcessHarness<A extends PlatformAdapter> {
  readonly logger = new MemoryLogger();
  readonly clock: FakeDailyClock;
  readonly engine: ScriptedEngine;
  db!: BotDatabase;
  bot!: Bot;
  adapter!: A;
  scheduler!: DailyScheduler;
  private readonly dataDir: string;

  protected constructor(
    private readonly processOptions: BotProcessOptions,
    defaults: { readonly dataDirPrefix: string; readonly tickMs: number },
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), defaults.dataDirPrefix));
    this.clock = new FakeDailyClock(processOptions.clockStart ?? '2026-11-28T08:00:00Z');
    this.engine = new ScriptedEngine({ charsPerTick: 20, tickMs: defaults.tickMs, ...processOptions.engine });
  }

  /** The platform adapter for a freshly assembled core. */
  protected abstract createAdapter(bot: Bot): A;

  /** Everything one bot process holds: database handle, core, adapter, scheduler. */
  protected async bootProcess(): Promise<void> {
    this.db = openDatabase(this.dataDir);
    const { concurrency } = this.processOptions;
    const core = assembleTestCore({
      engine: this.engine,
      db: this.db,
      logger: this.logger,
      clock: this.clock,
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    this.bot = core.bot;
    this.scheduler = core.scheduler;
    this.adapter = this.createAdapter(this.bot);
    this.bot.attach(this.adapter);
    await this.adapter.start();
    this.scheduler.start();
  }

  /** Stops this process (adapter, core, database) and starts a fresh one on the same data. */
  async restart(): Promise<void> {
    await this.stopProcess();
    await this.bootProcess();
    this.bot.recover();
  }

  /** Stops the process and removes its data; subclasses then stop their fake platform. */
  protected async stopProcessAndRemoveData(): Promise<void> {
    await this.stopProcess();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async stopProcess(): Promise<void> {
    this.scheduler.stop();
    this.bot.stop();
    await this.adapter.stop().catch(() => undefined);
    this.db.close();
  }
}
