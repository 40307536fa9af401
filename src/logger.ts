import { pino } from 'pino';
import { UserError } from './core/errors.js';
import type { Logger } from './core/ports.js';

/** The levels pino knows, most severe first; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Where log lines go; stderr unless a test captures them. */
export interface LogDestination {
  write(line: string): unknown;
}

/**
 * Credentials that library errors carry in their fields (a discord.js error's URL holds the
 * 15-minute interaction token; an Authorization header or a Slack token may appear in a message).
 * Every line is scrubbed as it is written, so no call site can forget to.
 */
const SECRET_PATTERNS: readonly [RegExp, string][] = [
  // Discord interaction webhooks and callbacks: /webhooks/<app id>/<token>, /interactions/<id>/<token>.
  [/(\/(?:webhooks|interactions)\/\d+\/)[\w.-]+/g, '$1[redacted]'],
  // Slack tokens: bot, user, app-level and refresh tokens.
  [/\b(xox[a-z]|xapp)-[\w-]+/g, '$1-[redacted]'],
  // Slack response_url and incoming-webhook paths are credentials too.
  [/(hooks\.slack\.com\/(?:commands|services|actions)\/)[\w/-]+/g, '$1[redacted]'],
  // Authorization header values and Discord bot tokens (id.timestamp.hmac).
  [/\b(Bot|Bearer) [\w.-]{20,}/g, '$1 [redacted]'],
  [/\b[\w-]{23,}\.[\w-]{6}\.[\w-]{27,}/g, '[redacted]'],
];

export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

/**
 * Logs go to stderr as JSON lines: stdout belongs to the terminal adapter and to CLIs whose
 * output is piped (generate, bench, eval). An unknown level (a CLI's --log-level) is the user's
 * typo, so it is refused as a UserError, not with pino's stack trace.
 */
export function createLogger(level: string, destination?: LogDestination): Logger {
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UserError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}").`, 'bad-option');
  }
  const sink = destination ?? pino.destination({ fd: 2, sync: true });
  return pino({ level, base: undefined }, { write: (line: string) => sink.write(redactSecrets(line)) });
}
