import { describe, expect, it } from 'vitest';
import { prepareSeed, SEED_TAIL_CHARS, SEED_TAIL_MIN_CHARS, STOCK_OPENERS } from '../../src/inference/prepare-seed.js';

const model = { vocab: [...' abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,\'"-!?\n'] };

describe('prepareSeed', () => {
  it('keeps a seed the vocabulary already covers', () => {
    expect(prepareSeed('It all began with', model)).toEqual({ text: 'It all began with', dropped: [], usedDefaultOpener: false });
  });

  it('folds curly quotes, dashes and the ellipsis to the forms the model knows', () => {
    const out = prepareSeed('\u201CWait\u201D \u2014 she said\u2026 \u2018no\u2019', model);
    expect(out.text).toBe('"Wait" -- she said... \'no\'');
    expect(out.dropped).toEqual([]);
  });

  it('drops characters still unknown, reports each once, in order seen', () => {
    const out = prepareSeed('Mars 🚀 at 9 o\u2019clock 🚀 #1', model);
    expect(out.text).toBe("Mars  at  o'clock  ");
    expect(out.dropped).toEqual(['🚀', '9', '#', '1']);
    expect(out.usedDefaultOpener).toBe(false);
  });

  it('writes an accented letter the vocabulary lacks as its base letter, typed precomposed or combining', () => {
    const out = prepareSeed('Caf\u00e9 nai\u0308ve re\u0301sume\u0301 \u00c5ngstr\u00f6m \u00f8', model);
    expect(out.text).toBe('Cafe naive resume Angstrom ');
    expect(out.dropped).toEqual(['\u00f8']);
  });

  it('tries the other case before dropping a letter', () => {
    const lower = { vocab: [...' abcdefghijklmnopqrstuvwxyz'] };
    expect(prepareSeed('The Ship', lower).text).toBe('the ship');
  });

  it('gives an empty seed a stock opener', () => {
    const out = prepareSeed('', model, () => 0);
    expect(out).toEqual({ text: STOCK_OPENERS[0], dropped: [], usedDefaultOpener: true });
  });

  it('gives a seed of nothing known an opener, and still reports what was dropped', () => {
    const out = prepareSeed('🚀🛸', model, () => 0.99);
    expect(out.usedDefaultOpener).toBe(true);
    // The model has no digits, so the opener with a year is not chosen.
    expect(STOCK_OPENERS).toContain(out.text);
    expect(out.text).not.toMatch(/[0-9]/);
    expect(out.dropped).toEqual(['🚀', '🛸']);
  });

  it('feeds a huge seed by its tail, starting at a word', () => {
    const huge = `${'word '.repeat(200_000)}the end`;
    const out = prepareSeed(huge, model);
    expect(out.text.length).toBeLessThanOrEqual(SEED_TAIL_CHARS);
    expect(out.text.length).toBeGreaterThan(SEED_TAIL_CHARS - 40);
    expect(out.text.endsWith('word the end')).toBe(true);
    expect(out.text.startsWith('word')).toBe(true);
  });

  it('never starts a long seed inside a surrogate pair', () => {
    const out = prepareSeed('🚀'.repeat(5_000), model);
    expect(out.dropped).toEqual(['🚀']);
  });

  it('feeds about as much seed as the model was trained on, within bounds', () => {
    const long = 'abc '.repeat(200);
    expect(prepareSeed(long, { ...model, sequenceLength: 200 }).text.length).toBeLessThanOrEqual(200);
    expect(prepareSeed(long, { ...model, sequenceLength: 200 }).text.length).toBeGreaterThan(190);
    expect(prepareSeed(long, { ...model, sequenceLength: 10 }).text.length).toBeGreaterThan(SEED_TAIL_MIN_CHARS - 5);
    expect(prepareSeed(long, { ...model, sequenceLength: 5000 }).text.length).toBeLessThanOrEqual(SEED_TAIL_CHARS);
  });
});
