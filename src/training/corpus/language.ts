/**
 * Is a book English? The Gutenberg header's `Language:` line decides when present; otherwise the
 * share of very common English words among all words does (English prose: ~25–35%; French,
 * German, Spanish prose: under 5%).
 */
const ENGLISH_STOP_WORDS = new Set(
  'the of and to a in that is was he it for with as his on be at by i had not are but from or have an they which you were her she there been this all their one would my so if no what when we him who out them up'.split(
    ' ',
  ),
);

export interface LanguageVerdict {
  readonly language: string;
  readonly english: boolean;
  readonly source: 'header' | 'stop-words';
  /** Share of English stop words among the words sampled (always computed, for the report). */
  readonly stopWordShare: number;
}

export function stopWordShare(text: string, maxWords = 20_000): number {
  const words = text.toLowerCase().match(/[a-z\u00c0-\u024f']+/g) ?? [];
  const sample = words.slice(0, maxWords);
  if (sample.length === 0) return 0;
  let hits = 0;
  for (const w of sample) if (ENGLISH_STOP_WORDS.has(w)) hits++;
  return hits / sample.length;
}

export function detectLanguage(headerLanguage: string | undefined, body: string): LanguageVerdict {
  const share = stopWordShare(body);
  if (headerLanguage) {
    return {
      language: headerLanguage,
      english: /^english\b/i.test(headerLanguage.trim()),
      source: 'header',
      stopWordShare: share,
    };
  }
  const english = share >= 0.15;
  return { language: english ? 'English' : 'unknown', english, source: 'stop-words', stopWordShare: share };
}
