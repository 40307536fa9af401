import { pino } from 'pino';
import { UserError } from './core/errors.js';
import type { Logger } from './core/ports.js';

/** The levels pino knows, most severe first; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Logs go to stderr as JSON lines: stdout belongs to the terminal adapter and to CLIs whose
 * output is piped (generate, bench, eval). An unknown level (a CLI's --log-level) is the user's
 * typo, so it is refused as a UserError, not with pino's stack trace.
 */
export function createLogger(level: string): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UserError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}").`, 'bad-option');
  }
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}
