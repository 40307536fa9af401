import { UserError } from './errors.js';
import { SEED_MAX_CHARS } from './limits.js';

/**
 * Refuses a seed longer than SEED_MAX_CHARS, counting characters as people (and the option
 * parsers) do: an emoji is one character, not the two UTF-16 units of `string.length`.
 */
export function checkSeedLength(seed: string): void {
  const length = [...seed].length;
  if (length > SEED_MAX_CHARS) {
    throw new UserError(
      `That opening is ${length} characters long; please keep it to ${SEED_MAX_CHARS} or fewer.`,
      'bad-option',
    );
  }
}
