import { describe, expect, it } from 'vitest';
import { STORY_LENGTH, STORY_LENGTHS } from '../../src/core/limits.js';
import { STORY_LENGTH_NAMES, storyLengthFor } from '../../src/core/story-length.js';

describe('story lengths', () => {
  it('offers short, medium and long, shortest first, with medium the default size', () => {
    expect(STORY_LENGTH_NAMES).toEqual(['short', 'medium', 'long']);
    expect(STORY_LENGTHS.short).toBeLessThan(STORY_LENGTHS.medium);
    expect(STORY_LENGTHS.medium).toBeLessThan(STORY_LENGTHS.long);
    expect(STORY_LENGTH).toBe(STORY_LENGTHS.medium);
  });

  it('maps a chosen name to its characters and no choice to none, leaving the default to the story service', () => {
    expect(storyLengthFor('short')).toBe(STORY_LENGTHS.short);
    expect(storyLengthFor('medium')).toBe(STORY_LENGTHS.medium);
    expect(storyLengthFor('long')).toBe(STORY_LENGTHS.long);
    expect(storyLengthFor(undefined)).toBeUndefined();
    expect(storyLengthFor('')).toBeUndefined();
  });

  it('refuses any other name, including names every object has', () => {
    for (const name of ['huge', 'LONG', 'toString', '__proto__']) {
      expect(() => storyLengthFor(name)).toThrow(expect.objectContaining({ code: 'bad-option' }));
    }
  });
});
