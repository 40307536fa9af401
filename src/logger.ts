import { pino } from 'pino';
import type { Logger } from './core/ports.js';

/**
 * Logs go to stderr as JSON lines: stdout belongs to the terminal adapter and to CLIs whose
 * output is piped (generate, bench, eval).
 */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}
