/** Every user-facing limit and default, written once; commands and services read them here. */
export const TEMPERATURE = { min: 0.1, max: 2, default: 0.4 } as const;

/** Characters generated for /scifi and 🔁: a few paragraphs, worth watching grow. */
export const STORY_LENGTH = 600;
/** Characters generated for the daily story (issue: 1500–3000). */
export const DAILY_STORY_LENGTH = 2000;
/** Longest seed a user may type; longer seeds are refused with a clear message. */
export const SEED_MAX_CHARS = 1000;
