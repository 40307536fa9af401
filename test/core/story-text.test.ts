import { describe, expect, it } from 'vitest';
import { DROPPED_LISTED_MAX, seedNotes } from '../../src/core/story-text.js';

const notesFor = (dropped: string[], usedDefaultOpener = false) => seedNotes({ text: 'x', dropped, usedDefaultOpener });

describe('seedNotes', () => {
  it('lists left-out characters, invisible ones by code point so they cannot hide, reorder or break the reply', () => {
    const [note] = notesFor(['🚀', '\0', '\x1b', '\u202e', '\u200b', '\ud800', '\u05b7']);
    expect(note).toBe('(Left out characters this model has never seen: 🚀 U+0000 U+001B U+202E U+200B U+D800 \u25cc\u05b7)');
    expect(note).not.toMatch(/[\0\x1b\u202e\u200b\ud800]/);
  });

  it('names the first few of a foreign-script paste and counts the rest, so the note stays one line', () => {
    const cjk = Array.from({ length: 1000 }, (_, i) => String.fromCodePoint(0x4e00 + i));
    const [note] = notesFor(cjk);
    expect(note).toBe(`(Left out characters this model has never seen: ${cjk.slice(0, DROPPED_LISTED_MAX).join(' ')} and ${1000 - DROPPED_LISTED_MAX} more)`);
  });

  it('tells an empty opening from one the model could not write any of', () => {
    expect(notesFor([], true)).toEqual(['(No opening line given, so I picked one.)']);
    expect(notesFor(['🚀'], true)).toEqual([
      '(Left out characters this model has never seen: 🚀)',
      '(Nothing of your opening was left, so I picked one.)',
    ]);
    expect(notesFor([])).toEqual([]);
  });
});
