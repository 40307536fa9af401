import { isUserError } from '../core/errors.js';
import { ModelLoadError } from '../inference/model-load-error.js';

/**
 * How every CLI ends: bad input (a UserError or a flag node:util cannot parse) prints one line and
 * exits 2; a model that cannot be loaded prints one line and exits 1; anything else prints its
 * stack and exits 1. Exit codes are set, not forced, so buffered stdout is never cut short.
 */
export function runCli(main: () => Promise<void>, usage?: string): void {
  main().catch((error: unknown) => {
    if (isUserError(error) || isParseArgsError(error)) {
      process.stderr.write(`${(error as Error).message}\n${usage && isParseArgsError(error) ? `${usage}\n` : ''}`);
      process.exitCode = 2;
    } else if (error instanceof ModelLoadError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  });
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}
