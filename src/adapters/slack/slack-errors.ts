/** The `error` field of a Web API platform error (`{ ok: false, error }`), if that is what it is. */
export function platformError(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return undefined;
  const code = (data as { error?: unknown }).error;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Start-up failed because of a setting: the message names the variable to fix, so `npm start`
 * tells the operator what to change instead of printing a Web API stack.
 */
export class SlackStartError extends Error {
  /** `problem` reads as a sentence start, e.g. "Slack did not accept the bot token". */
  constructor(problem: string, variable: string, cause: unknown) {
    const reason = platformError(cause) ?? (cause instanceof Error ? cause.message : String(cause));
    super(`${problem} (${reason}); check ${variable}.`, { cause });
    this.name = 'SlackStartError';
  }
}
