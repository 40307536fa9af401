/** Every user-facing limit and default, written once; commands and services read them here. */
export const TEMPERATURE = { min: 0.1, max: 2, default: 0.4 } as const;

/**
 * The sizes /scifi offers, in characters before the story runs on to the end of its sentence
 * (story-ending.ts). Medium is a few paragraphs, worth watching grow; short is one paragraph; long
 * is a scene, and still fits one Discord message unless the seed is long.
 */
export const STORY_LENGTHS = { short: 300, medium: 600, long: 1500 } as const;
export type StoryLengthName = keyof typeof STORY_LENGTHS;
/** The size a story gets when none is asked for. */
export const DEFAULT_STORY_LENGTH_NAME: StoryLengthName = 'medium';
/** Characters generated for /scifi and 🔁 by default. */
export const STORY_LENGTH = STORY_LENGTHS[DEFAULT_STORY_LENGTH_NAME];
/** Characters generated for the daily story (issue: 1500–3000). */
export const DAILY_STORY_LENGTH = 2000;
/** Longest seed a user may type; longer seeds are refused with a clear message. */
export const SEED_MAX_CHARS = 1000;
