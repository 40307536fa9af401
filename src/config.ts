import { isIP } from 'node:net';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import type { SlackConnection } from './adapters/slack/slack-adapter.js';

/**
 * All configuration, read once from the environment (and .env) into a frozen object. This is the
 * only module that reads process.env; a bad value stops start-up with a message naming the
 * variable and the form it expects.
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** A setting with a default; an empty value (`MODELS_DIR=` in .env) counts as unset, like every other. */
const textOr = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === undefined || v === '' ? fallback : v));

const optionalUrl = (example: string) =>
  optionalText.refine((v) => v === undefined || URL.canParse(v), {
    message: `expected a URL such as ${example}`,
  });

/**
 * A whole number from min to max written as plain digits (Number() alone would read "0x10" as 16
 * and "1e3" as 1000); anything else is an issue saying what was expected.
 */
function wholeNumberIn(text: string, min: number, max: number, expected: string, ctx: z.RefinementCtx): number {
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  ctx.addIssue({ code: 'custom', message: `expected ${expected}, got "${text}"` });
  return z.NEVER;
}

const integer = (min: number, max: number, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) =>
      v === undefined || v === '' ? fallback : wholeNumberIn(v, min, max, `a whole number from ${min} to ${max}`, ctx),
    );

const optionalPort = z
  .string()
  .trim()
  .optional()
  .transform((v, ctx) => (v === undefined || v === '' ? undefined : wholeNumberIn(v, 0, 65535, 'a port number from 0 to 65535', ctx)));

const envSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_API_BASE: optionalUrl('http://127.0.0.1:8080/api'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_PORT: integer(0, 65535, 3000),
  SLACK_API_URL: optionalUrl('http://127.0.0.1:8080/api/'),
  SLACK_ADMIN_USERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ids = (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      // A member id is U… or W…; a name, an @handle or a semicolon list would quietly match no one.
      const bad = ids.filter((id) => !/^[UW][A-Z0-9]+$/.test(id));
      if (bad.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `expected comma-separated member ids such as U012ABC,U034DEF (profile → ⋮ → Copy member ID), got "${bad.join('", "')}"`,
        });
        return z.NEVER;
      }
      return ids;
    }),
  MODELS_DIR: textOr('models'),
  // Unset: scifi when it is served, else the first model; set: that model or a start-up error.
  DEFAULT_MODEL: optionalText,
  TF_BACKEND: z
    .enum(['auto', 'tensorflow', 'wasm', 'cpu'], { message: 'expected auto, tensorflow, wasm or cpu' })
    .default('auto'),
  INFERENCE_WORKERS: z
    .string()
    .trim()
    .optional()
    .transform((v, ctx): number | 'auto' =>
      v === undefined || v === '' || v.toLowerCase() === 'auto'
        ? 'auto'
        : wholeNumberIn(v, 1, 64, 'auto or a whole number from 1 to 64', ctx),
    ),
  DATA_DIR: textOr('data'),
  QUEUE_CONCURRENCY: integer(1, 256, 32),
  QUEUE_MAX_WAITING: integer(0, 10_000, 100),
  QUEUE_MAX_WAITING_PER_USER: integer(1, 1000, 3),
  RATE_LIMIT_PER_MINUTE: integer(1, 1000, 6),
  DAILY_MISSED_GRACE_HOURS: integer(0, 23, 3),
  SHUTDOWN_GRACE_SECONDS: integer(0, 600, 20),
  METRICS_PORT: optionalPort,
  // Unset: every interface (a scraper outside the container); 127.0.0.1 keeps /metrics off a public host.
  METRICS_HOST: optionalText.refine((v) => v === undefined || v === 'localhost' || isIP(v) !== 0, {
    message: 'expected an IP address such as 127.0.0.1 or 0.0.0.0, or localhost',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  readonly discord?: { readonly token: string; readonly apiBase?: string };
  readonly slack?: SlackConnection;
  readonly modelsDir: string;
  readonly defaultModel?: string;
  readonly backend: Env['TF_BACKEND'];
  /**
   * Inference worker threads; wasm runs one core per worker, so more cores want more workers.
   * `auto`: one per core (up to 4) on wasm/cpu, one on tfjs-node(-gpu).
   */
  readonly inferenceWorkers: number | 'auto';
  readonly dataDir: string;
  readonly queue: {
    readonly concurrency: number;
    readonly maxWaiting: number;
    readonly maxWaitingPerUser: number;
    readonly jobsPerMinute: number;
  };
  readonly dailyMissedGraceMs: number;
  readonly shutdownGraceMs: number;
  readonly metricsPort?: number;
  /** Interface /healthz and /metrics listen on; every interface when unset. */
  readonly metricsHost?: string;
  readonly logLevel: Env['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Configuration problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (process.env by default, after loading .env) into Config or throws ConfigError. */
export function loadConfig(env: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (Boolean(e.SLACK_BOT_TOKEN) !== Boolean(e.SLACK_SIGNING_SECRET)) {
    problems.push(
      e.SLACK_BOT_TOKEN
        ? 'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set (Basic Information → Signing Secret)'
        : 'SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set (an xoxb- token)',
    );
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: expected an app-level token starting with xapp- (for Socket Mode)');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    ...(e.DISCORD_TOKEN
      ? { discord: { token: e.DISCORD_TOKEN, ...(e.DISCORD_API_BASE ? { apiBase: e.DISCORD_API_BASE } : {}) } }
      : {}),
    ...(e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          slack: {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}),
            port: e.SLACK_PORT,
            ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
            adminUsers: e.SLACK_ADMIN_USERS,
          },
        }
      : {}),
    modelsDir: e.MODELS_DIR,
    ...(e.DEFAULT_MODEL ? { defaultModel: e.DEFAULT_MODEL } : {}),
    backend: e.TF_BACKEND,
    inferenceWorkers: e.INFERENCE_WORKERS,
    dataDir: e.DATA_DIR,
    queue: {
      concurrency: e.QUEUE_CONCURRENCY,
      maxWaiting: e.QUEUE_MAX_WAITING,
      maxWaitingPerUser: e.QUEUE_MAX_WAITING_PER_USER,
      jobsPerMinute: e.RATE_LIMIT_PER_MINUTE,
    },
    dailyMissedGraceMs: e.DAILY_MISSED_GRACE_HOURS * 3_600_000,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    ...(e.METRICS_PORT !== undefined ? { metricsPort: e.METRICS_PORT } : {}),
    ...(e.METRICS_HOST !== undefined ? { metricsHost: e.METRICS_HOST } : {}),
    logLevel: e.LOG_LEVEL,
  });
}

function readEnvironment(): Record<string, string | undefined> {
  // quiet: dotenv 17 otherwise prints a banner to stdout, which the terminal adapter owns.
  loadDotenv({ quiet: true });
  return process.env;
}
