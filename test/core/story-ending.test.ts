import { describe, expect, it } from 'vitest';
import { ENDING_SLACK, StoryEnding } from '../../src/core/story-ending.js';

describe('StoryEnding', () => {
  const ending = new StoryEnding(20);

  it('asks for the length plus room to finish a sentence', () => {
    expect(ending.maxLength).toBe(Math.ceil(20 * (1 + ENDING_SLACK)));
    expect(new StoryEnding(600).maxLength).toBe(750);
  });

  it('keeps writing until the length is reached and the sentence end is certain', () => {
    expect(ending.endIn('Short. Very short.')).toBeUndefined(); // under the length
    expect(ending.endIn('the ship came down slowly.')).toBeUndefined(); // next character unknown
    expect(ending.endIn('the ship came down slowly."')).toBeUndefined(); // still unknown after the quote
  });

  it('ends just after the first sentence end at or past the length, closing quotes included', () => {
    expect(ending.endIn('the ship came down slowly. Then')).toBe(26);
    expect(ending.endIn('"the ship came down, slowly!" he said')).toBe(29);
    expect(ending.endIn('the ship came down fast?\nNo')).toBe(24);
    // A sentence that ended before the length does not count.
    expect(ending.endIn('It fell. The ship came down and on and on')).toBeUndefined();
  });

  it('does not end at an abbreviation or an initial', () => {
    expect(ending.endIn('the ship carried Dr. Ring and J. R. Smith. The')).toBe(42);
    expect(ending.endIn('and then came the Mrs. Ross.\n')).toBe(28);
  });

  it('finishes at the sentence end when there is one', () => {
    expect(ending.finish('the ship came down slowly. Then it')).toBe('the ship came down slowly.');
  });

  it('without a sentence end past the length, goes back to one in the last quarter before it', () => {
    expect(ending.finish('the ships came on. and we ran on')).toBe('the ships came on.');
    // An end earlier than three quarters of the length is too far back.
    expect(ending.finish('the ship came. down and we ran')).toBe('the ship came. down and we…');
  });

  it('without a sentence end by maxLength, stops at the last whole word with an ellipsis', () => {
    expect(ending.finish('the ship came down and we ran')).toBe('the ship came down and we…'); // 29 chars > 25
    expect(ending.finish('the ship came down, and we, ran')).toBe('the ship came down, and we…');
    expect(ending.finish('the ship came down and we all ran.')).toBe('the ship came down and we all ran.');
  });

  it('keeps a text the engine ended early as it is', () => {
    expect(ending.finish('too short')).toBe('too short');
    expect(ending.finish('the ship came down an')).toBe('the ship came down an');
  });

  it('keeps one unbroken word rather than cutting it away', () => {
    expect(ending.finish('x'.repeat(30))).toBe(`${'x'.repeat(30)}…`);
  });
});
