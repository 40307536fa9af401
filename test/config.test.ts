import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startBot } from './e2e/run-bot.js';

describe('configuration', () => {
  it('has working defaults with nothing set: terminal only, wasm/auto, data/', () => {
    const config = loadConfig({});
    expect(config.discord).toBeUndefined();
    expect(config.slack).toBeUndefined();
    expect(config.defaultModel).toBeUndefined();
    expect(config).toMatchObject({
      modelsDir: 'models',
      backend: 'auto',
      inferenceWorkers: 'auto',
      dataDir: 'data',
      queue: { concurrency: 32, maxWaiting: 100, maxWaitingPerUser: 3, jobsPerMinute: 6 },
      dailyMissedGraceMs: 3 * 3_600_000,
      shutdownGraceMs: 20_000,
      logLevel: 'info',
    });
    expect(config.metricsPort).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('turns platforms on by their tokens; empty values count as unset', () => {
    const config = loadConfig({
      DISCORD_TOKEN: 'abc',
      DISCORD_API_BASE: '',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'shh',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_ADMIN_USERS: 'U1, U2,,',
      METRICS_PORT: '9464',
    });
    expect(config.discord).toEqual({ token: 'abc' });
    expect(config.slack).toEqual({ botToken: 'xoxb-1', signingSecret: 'shh', appToken: 'xapp-1', port: 3000, adminUsers: ['U1', 'U2'] });
    expect(config.metricsPort).toBe(9464);
  });

  it('reads an empty MODELS_DIR, DEFAULT_MODEL or DATA_DIR as unset, not as the working directory', () => {
    const config = loadConfig({ MODELS_DIR: '', DEFAULT_MODEL: ' ', DATA_DIR: '' });
    expect(config).toMatchObject({ modelsDir: 'models', dataDir: 'data' });
    expect(config.defaultModel).toBeUndefined();
  });

  it('names every bad variable and the form it expects', () => {
    const attempt = () =>
      loadConfig({ QUEUE_CONCURRENCY: 'lots', INFERENCE_WORKERS: '0', TF_BACKEND: 'gpu', SLACK_PORT: '70000', DISCORD_API_BASE: 'not a url', METRICS_PORT: '-1' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as ConfigError).message;
      expect(message).toContain('QUEUE_CONCURRENCY: expected a whole number from 1 to 256, got "lots"');
      expect(message).toContain('TF_BACKEND: expected auto, tensorflow, wasm or cpu');
      expect(message).toContain('INFERENCE_WORKERS: expected auto or a whole number from 1 to 64, got "0"');
      expect(message).toContain('SLACK_PORT: expected a whole number from 0 to 65535, got "70000"');
      expect(message).toContain('DISCORD_API_BASE: expected a URL');
      expect(message).toContain('METRICS_PORT: expected a port number');
    }
  });

  it('serves /healthz and /metrics on the interface METRICS_HOST names, every interface when unset', () => {
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: ' 127.0.0.1 ' })).toMatchObject({ metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '::1' }).metricsHost).toBe('::1');
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '' }).metricsHost).toBeUndefined();
    expect(() => loadConfig({ METRICS_HOST: 'metrics.example.com/path' })).toThrow(/METRICS_HOST: expected an IP address/);
  });

  it('takes whole numbers only as plain digits, not hexadecimal, exponents or fractions', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: ' 12 ', METRICS_PORT: '9464' })).toMatchObject({ queue: { jobsPerMinute: 12 }, metricsPort: 9464 });
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '0x10' })).toThrow('RATE_LIMIT_PER_MINUTE: expected a whole number from 1 to 1000, got "0x10"');
    expect(() => loadConfig({ QUEUE_MAX_WAITING_PER_USER: '1e3' })).toThrow(/QUEUE_MAX_WAITING_PER_USER: expected a whole number/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_SECONDS: '20.0' })).toThrow(/SHUTDOWN_GRACE_SECONDS: expected a whole number/);
    expect(() => loadConfig({ METRICS_PORT: '0x50' })).toThrow(/METRICS_PORT: expected a port number/);
    expect(() => loadConfig({ INFERENCE_WORKERS: '0b10' })).toThrow(/INFERENCE_WORKERS: expected auto or a whole number/);
  });

  it('refuses SLACK_ADMIN_USERS entries that are not member ids, which would match no one', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(loadConfig({ ...slack, SLACK_ADMIN_USERS: ' U012ABC ,W034DEF,' }).slack?.adminUsers).toEqual(['U012ABC', 'W034DEF']);
    expect(() => loadConfig({ SLACK_ADMIN_USERS: 'U012ABC;U034DEF, @alice' })).toThrow(
      'SLACK_ADMIN_USERS: expected comma-separated member ids such as U012ABC,U034DEF (profile → ⋮ → Copy member ID), got "U012ABC;U034DEF", "@alice"',
    );
  });

  it('takes INFERENCE_WORKERS as auto or a count', () => {
    expect(loadConfig({ INFERENCE_WORKERS: '3' }).inferenceWorkers).toBe(3);
    expect(loadConfig({ INFERENCE_WORKERS: ' AUTO ' }).inferenceWorkers).toBe('auto');
    expect(() => loadConfig({ INFERENCE_WORKERS: 'many' })).toThrow(/INFERENCE_WORKERS: expected auto or a whole number/);
  });

  it('refuses half a Slack configuration and a bot token given as the app token', () => {
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: required/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb', SLACK_SIGNING_SECRET: 's', SLACK_APP_TOKEN: 'xoxb-2' })).toThrow(/SLACK_APP_TOKEN: expected an app-level token/);
  });

  it('stops `npm start` with exit code 2 and the message, before loading anything', async () => {
    const bot = startBot({ QUEUE_CONCURRENCY: '0' });
    bot.child.stdin.end();
    expect(await bot.exited).toBe(2);
    expect(bot.stderr()).toContain('QUEUE_CONCURRENCY: expected a whole number from 1 to 256, got "0"');
    expect(bot.stderr()).toContain('See .env.example');
  });

  it('stops `npm start` with a clear message when the models folder is missing or broken', async () => {
    const bot = startBot({ MODELS_DIR: '/nonexistent/models', DATA_DIR: '/tmp' });
    bot.child.stdin.end();
    expect(await bot.exited).toBe(1);
    expect(bot.stderr()).toMatch(/The bot could not start: .*\/nonexistent\/models/);
  }, 60_000);
});
