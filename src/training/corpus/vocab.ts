/**
 * The character vocabulary: every character seen at least `minCount` times in the training split,
 * in code-point order. Rarer characters are folded to their base letter when that exists in the
 * vocabulary (é → e) and dropped otherwise, so a handful of stray symbols never costs the model
 * output units it cannot learn.
 */
export interface RareCharAction {
  readonly char: string;
  readonly count: number;
  /** The replacement text, '' when dropped. */
  readonly replacement: string;
}

export function countChars(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

export function buildVocab(counts: ReadonlyMap<string, number>, minCount: number): string[] {
  const chars = [...counts.entries()].filter(([, n]) => n >= minCount).map(([ch]) => ch);
  for (const required of ['\n', ' ']) if (!chars.includes(required)) chars.push(required);
  return chars.filter((ch) => ch.length === 1).sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
}

/** What a character outside the vocabulary becomes: its accent-free base letters, or nothing. */
export function replacementFor(ch: string, vocab: ReadonlySet<string>): string {
  const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
  if (base !== ch && base.length > 0 && [...base].every((b) => vocab.has(b))) return base;
  return '';
}

export class CharMapper {
  private readonly vocabSet: ReadonlySet<string>;
  private readonly cache = new Map<string, string>();
  readonly actions = new Map<string, { count: number; replacement: string }>();

  constructor(readonly vocab: readonly string[]) {
    this.vocabSet = new Set(vocab);
  }

  map(text: string): string {
    let out = '';
    let runStart = 0;
    let i = 0;
    for (const ch of text) {
      if (!this.vocabSet.has(ch)) {
        out += text.slice(runStart, i);
        let replacement = this.cache.get(ch);
        if (replacement === undefined) {
          replacement = replacementFor(ch, this.vocabSet);
          this.cache.set(ch, replacement);
        }
        out += replacement;
        const action = this.actions.get(ch) ?? { count: 0, replacement };
        action.count++;
        this.actions.set(ch, action);
        runStart = i + ch.length;
      }
      i += ch.length;
    }
    return out + text.slice(runStart);
  }

  report(): RareCharAction[] {
    return [...this.actions.entries()]
      .map(([char, a]) => ({ char, count: a.count, replacement: a.replacement }))
      .sort((a, b) => b.count - a.count);
  }
}
