import { UserError } from './errors.js';
import { STORY_LENGTHS, type StoryLengthName } from './limits.js';
import { quoteInput } from './visible-text.js';

/** The names a user may pick, shortest first (the order menus and /help show them in). */
export const STORY_LENGTH_NAMES = Object.keys(STORY_LENGTHS) as StoryLengthName[];

function isStoryLengthName(name: string): name is StoryLengthName {
  return Object.hasOwn(STORY_LENGTHS, name);
}

/**
 * Characters for a chosen size, or undefined when none was chosen so the story service applies
 * its own default. Parsers already check choices; this check is for callers that skip them.
 */
export function storyLengthFor(name: string | undefined): number | undefined {
  if (name === undefined || name === '') return undefined;
  if (!isStoryLengthName(name)) {
    throw new UserError(
      `length must be one of ${STORY_LENGTH_NAMES.join(', ')} (got "${quoteInput(name)}").`,
      'bad-option',
    );
  }
  return STORY_LENGTHS[name];
}
