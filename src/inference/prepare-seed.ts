import type { PreparedSeed } from '../core/ports.js';
import { normalizeText } from '../text/normalize.js';
import type { Random } from './sampling.js';

/**
 * How much seed is worth feeding: the LSTM state carries a few hundred characters of context at
 * most, so a longer seed is fed by its tail. A model trained on windows of n characters gets
 * about n (within these bounds): it never learnt to carry more, and every seed character costs
 * one step of its batch before the first new character appears.
 */
export const SEED_TAIL_CHARS = 300;
export const SEED_TAIL_MIN_CHARS = 100;

/** Stock openers for an empty seed: the kind of first lines the pulp stories of the corpus have. */
export const STOCK_OPENERS: readonly string[] = [
  'It all began with',
  'The ship came out of hyperspace',
  'In the year 2500,',
  'Nobody on the station had ever seen',
  'The signal from the stars',
  'When the machines woke up,',
];

export interface SeedVocabulary {
  readonly vocab: readonly string[];
  /** Training window length (meta.json's sequenceLength), which sets how much seed is fed. */
  readonly sequenceLength?: number;
}

export function seedTailChars(model: SeedVocabulary): number {
  const wanted = model.sequenceLength ?? SEED_TAIL_CHARS;
  return Math.min(SEED_TAIL_CHARS, Math.max(SEED_TAIL_MIN_CHARS, wanted));
}

/**
 * Maps a user's seed onto a model's vocabulary: the shared Unicode normalisation first (curly
 * quotes, dashes, ellipsis…), then a letter the vocabulary lacks in its case is tried in the other
 * case, and anything still unknown is dropped and reported. An empty result gets a stock opener.
 */
export function prepareSeed(seed: string, model: SeedVocabulary, random: Random = Math.random): PreparedSeed {
  const known = new Set(model.vocab);
  const { text, dropped } = mapToVocabulary(boundedTail(seed), known);
  const trimmed = tailAtWordStart(text, seedTailChars(model));
  if (trimmed.trim().length > 0) return { text: trimmed, dropped, usedDefaultOpener: false };

  // Openers the vocabulary spells fully; failing that, whatever of them it can spell.
  const whole = STOCK_OPENERS.filter((o) => [...o].every((ch) => known.has(ch)));
  const openers = whole.length > 0 ? whole
    : STOCK_OPENERS.map((o) => mapToVocabulary(o, known).text).filter((o) => o.trim().length > 0);
  const opener = openers[Math.floor(random() * openers.length)] ?? model.vocab.find((ch) => ch.trim().length > 0) ?? model.vocab[0]!;
  return { text: opener, dropped, usedDefaultOpener: true };
}

function mapToVocabulary(seed: string, known: ReadonlySet<string>): { text: string; dropped: string[] } {
  const dropped: string[] = [];
  let text = '';
  for (const ch of normalizeText(seed)) {
    const mapped = inVocabulary(ch, known) ?? withoutAccents(ch, known);
    if (mapped !== undefined) {
      text += mapped;
    } else if (!dropped.includes(ch)) {
      dropped.push(ch);
    }
  }
  return { text, dropped };
}

/** The character itself, else in the other case, when the vocabulary has it. */
function inVocabulary(ch: string, known: ReadonlySet<string>): string | undefined {
  const mapped = known.has(ch) ? ch
    : known.has(ch.toLowerCase()) ? ch.toLowerCase()
    : known.has(ch.toUpperCase()) ? ch.toUpperCase()
    : undefined;
  return mapped !== undefined && mapped.length === 1 ? mapped : undefined;
}

/**
 * An accented letter the vocabulary lacks, as its base letter ("Café" → "Cafe", "Ångström" →
 * "Angstrom"): far closer to what was typed than leaving the letter out.
 */
function withoutAccents(ch: string, known: ReadonlySet<string>): string | undefined {
  const base = ch.normalize('NFD').replace(/\p{M}+/gu, '');
  if (base === '' || base === ch) return undefined;
  const letters = [...base].map((b) => inVocabulary(b, known));
  return letters.every((l) => l !== undefined) ? letters.join('') : undefined;
}

/**
 * Normalising a huge paste would be wasted work: only its tail is fed. Keeps enough raw text for
 * SEED_TAIL_CHARS after normalisation, never starting inside a surrogate pair.
 */
function boundedTail(seed: string): string {
  const budget = SEED_TAIL_CHARS * 4;
  if (seed.length <= budget) return seed;
  let start = seed.length - budget;
  const code = seed.charCodeAt(start);
  if (code >= 0xdc00 && code <= 0xdfff) start += 1;
  return seed.slice(start);
}

/** The last `max` characters, moved forward to the start of a word when one is near. */
function tailAtWordStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const tail = text.slice(text.length - max);
  const space = tail.search(/\s/);
  return space >= 0 && space < 40 ? tail.slice(space + 1) : tail;
}
