/**
 * Where a story stops. A character model writes exactly as many characters as it is asked for,
 * which almost always leaves the reader mid-word ("…that you mig"). So a story of `length`
 * characters is written on past its length until its first sentence ends, for at most
 * ENDING_SLACK more; if no sentence ends in that stretch, it goes back to the last sentence end
 * after (1 − ENDING_SLACK) of its length, and failing that stops at the last whole word with an
 * ellipsis. The rule depends only on the text, so a job re-run from its stored random seed after
 * a restart ends at the same place.
 */
export const ENDING_SLACK = 0.25;

/** Closing punctuation that may follow a sentence's last mark: quotes and brackets. */
const CLOSERS = new Set(['"', "'", ')', ']', '»', '”', '’']);
const TERMINALS = new Set(['.', '!', '?', '…']);

/** Words whose full stop does not end a sentence ("Mr. Jones", "Dr. Ring"). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'st', 'prof', 'capt', 'lt', 'col', 'gen', 'sgt', 'maj', 'gov', 'sen', 'rev',
  'jr', 'sr', 'mt', 'vs', 'etc', 'no', 'vol', 'ch', 'fig', 'e.g', 'i.e',
]);

export class StoryEnding {
  /** Characters to ask the engine for: the length plus room to finish a sentence. */
  readonly maxLength: number;

  constructor(readonly length: number) {
    this.maxLength = Math.ceil(length * (1 + ENDING_SLACK));
  }

  /**
   * Once the text has reached the length: where it should end (just after the first sentence end
   * at or past the length, closing quotes included), or undefined to keep writing. A sentence end
   * is only certain once the character after it is known to be white space.
   */
  endIn(text: string): number | undefined {
    if (text.length < this.length) return undefined;
    for (const end of sentenceEnds(text, this.length - 1)) return end;
    return undefined;
  }

  /**
   * The story's final text: cut at its sentence end; when none came within maxLength, cut back to
   * the last sentence end past (1 − ENDING_SLACK) of the length, or else at the last whole word
   * with an ellipsis. A text shorter than maxLength with no sentence end (the engine stopped
   * early) is kept as it is.
   */
  finish(text: string): string {
    const end = this.endIn(text);
    if (end !== undefined) return text.slice(0, end);
    if (text.length < this.maxLength) return text;
    const closing = /[.!?…]["')\]»”’]*$/u.exec(text);
    if (closing && !isAbbreviation(text, closing.index)) return text;
    let earlier: number | undefined;
    for (const e of sentenceEnds(text, Math.floor(this.length * (1 - ENDING_SLACK)) - 1)) earlier = e;
    if (earlier !== undefined) return text.slice(0, earlier);
    const lastSpace = text.search(/\s\S*$/);
    const cut = lastSpace > this.length / 2 ? text.slice(0, lastSpace) : text;
    return `${cut.replace(/[\s,;:—-]+$/u, '')}…`;
  }
}

/**
 * Positions just after each sentence end whose punctuation lies at or after `from`, closing
 * quotes included. A sentence end is only certain once the character after it is known to be
 * white space, so one at the very end of the text is not given.
 */
function* sentenceEnds(text: string, from: number): Generator<number> {
  for (let i = Math.max(0, from); i < text.length; i++) {
    if (!TERMINALS.has(text[i]!)) continue;
    let end = i + 1;
    while (end < text.length && CLOSERS.has(text[end]!)) end++;
    if (end >= text.length) return;
    if (/\s/.test(text[end]!) && !isAbbreviation(text, i)) yield end;
  }
}

/** True when the full stop at `dot` closes a known abbreviation or a lone initial ("J. R."). */
function isAbbreviation(text: string, dot: number): boolean {
  if (text[dot] !== '.') return false;
  const word = /([\p{L}.]+)$/u.exec(text.slice(Math.max(0, dot - 12), dot))?.[1] ?? '';
  if (word.length === 0) return false;
  if (word.length === 1 && /\p{Lu}/u.test(word)) return true;
  return ABBREVIATIONS.has(word.toLowerCase());
}
