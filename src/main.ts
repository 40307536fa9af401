import { allCommands } from '../commands/index.js';
import { createConsoleAdapter, type ConsoleAdapter } from './adapters/console/console-adapter.js';
import { createDiscordAdapter } from './adapters/discord/index.js';
import type { PlatformAdapter } from './adapters/platform-adapter.js';
import { createSlackAdapter } from './adapters/slack/slack-adapter.js';
import { assembleCore } from './app/assemble-core.js';
import { gracefulShutdown } from './app/graceful-shutdown.js';
import { startJobPruning } from './app/job-pruning.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { noMetrics } from './core/metrics-port.js';
import type { Logger } from './core/ports.js';
import { startInferenceEngine } from './inference/start-engine.js';
import { createLogger } from './logger.js';
import { PrometheusMetrics, startHealthServer, type HealthServer } from './metrics/index.js';
import { openDatabase } from './storage/index.js';

/**
 * The only place that builds concrete parts and reads configuration. `npm start` runs the
 * terminal adapter when no platform token is set, and Discord and/or Slack when theirs are.
 */
async function main(config: Config, logger: Logger): Promise<void> {
  const prometheus = config.metricsPort !== undefined ? new PrometheusMetrics() : undefined;
  const metrics = prometheus ?? noMetrics;
  const health: HealthServer | undefined = prometheus
    ? await startHealthServer({
        port: config.metricsPort ?? 0,
        ...(config.metricsHost !== undefined ? { host: config.metricsHost } : {}),
        metrics: prometheus,
        logger,
      })
    : undefined;

  const db = openDatabase(config.dataDir, { logger });
  const engine = await startInferenceEngine(
    {
      modelsDir: config.modelsDir,
      backend: config.backend,
      ...(config.defaultModel ? { defaultModel: config.defaultModel } : {}),
      maxBatch: config.queue.concurrency,
      workers: config.inferenceWorkers,
    },
    logger,
  );
  metrics.setBackend(engine.backend());
  logger.info({ models: engine.models().map((m) => m.id), backend: engine.backend() }, 'models loaded');

  const { bot, scheduler } = assembleCore({
    engine,
    db,
    limits: config.queue,
    missedGraceMs: config.dailyMissedGraceMs,
    logger,
    metrics,
  });

  const adapters: PlatformAdapter[] = [];
  if (config.discord) {
    adapters.push(
      createDiscordAdapter({ token: config.discord.token, apiBase: config.discord.apiBase, commands: allCommands, bot, logger }),
    );
  }
  if (config.slack) {
    adapters.push(createSlackAdapter({ ...config.slack, commands: allCommands, bot, logger }));
  }
  let terminal: ConsoleAdapter | undefined;
  if (adapters.length === 0) {
    terminal = createConsoleAdapter({
      input: process.stdin,
      output: process.stdout,
      tty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
      commands: allCommands,
      bot,
      logger,
    });
    adapters.push(terminal);
  }
  for (const adapter of adapters) bot.attach(adapter);
  await Promise.all(adapters.map((adapter) => adapter.start()));

  // Only now can unfinished jobs and missed daily stories reach their channels.
  const resumed = bot.recover();
  if (resumed > 0) logger.info({ resumed }, 'resumed unfinished stories');
  scheduler.start();
  const stopPruning = startJobPruning({ pruneFinished: (beforeMs) => db.jobs.pruneFinished(beforeMs), logger });
  health?.setReady(true);
  logger.info({ platforms: adapters.map((a) => a.platform) }, 'ready');

  const shutdown = gracefulShutdown(
    {
      stopAdapters: async () => {
        health?.setReady(false);
        await Promise.all(adapters.map((adapter) => adapter.stop()));
      },
      idle: () => bot.idle(),
      interrupt: () => bot.stop(),
      release: async () => {
        scheduler.stop();
        stopPruning();
        await engine.close();
        await health?.close();
        db.close();
      },
    },
    config.shutdownGraceMs,
    logger,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      void shutdown().then(() => process.exit(0));
    });
  }
  if (terminal) {
    // End of input: finish every story that was asked for, then leave.
    await terminal.inputEnded;
    await bot.idle();
    await shutdown();
  }
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\nSee .env.example for every variable and its form.\n`);
    process.exit(2);
  }
  throw error;
}
const logger = createLogger(config.logLevel);
try {
  await main(config, logger);
} catch (error) {
  logger.error({ err: error }, 'could not start');
  process.stderr.write(`\nThe bot could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
