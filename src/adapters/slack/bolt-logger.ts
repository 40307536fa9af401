import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../core/ports.js';

/** Bolt and its clients log through the bot's logger, tagged so their lines are easy to find. */
export function boltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const format = (parts: unknown[]): string =>
    parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug({ source: 'bolt' }, format(msg)),
    info: (...msg: unknown[]) => logger.info({ source: 'bolt' }, format(msg)),
    warn: (...msg: unknown[]) => logger.warn({ source: 'bolt' }, format(msg)),
    error: (...msg: unknown[]) => logger.error({ source: 'bolt' }, format(msg)),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
