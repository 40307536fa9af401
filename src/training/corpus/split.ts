/**
 * Which book goes to which split. Splitting by book (never by position inside a book) keeps the
 * validation and test scores honest; the test split is, where the corpus has enough authors, made
 * of authors the model never trained on.
 */
export type Split = 'train' | 'valid' | 'test';

export interface SplitBook {
  readonly file: string;
  readonly author: string;
  readonly chars: number;
}

export interface SplitOptions {
  /** Case-insensitive substrings of the Author line; their books form the test split. */
  readonly testAuthors?: readonly string[];
  readonly testFraction?: number;
  readonly validFraction?: number;
}

/** "Philip K. Dick" and "Philip Kindred Dick" are one author: group by the first author's surname. */
export function authorKey(author: string): string {
  const first = author.split(/\s+(?:and|&)\s+|,|;/i)[0]?.trim() ?? '';
  const words = first.split(/\s+/).filter((w) => w.length > 0);
  return (words[words.length - 1] ?? 'unknown').toLowerCase().replace(/[^\p{L}\p{N}-]/gu, '') || 'unknown';
}

/**
 * Default test choice (no --test-authors): with three or more authors, hold out whole authors,
 * those whose longest book is shortest first (short-story authors; losing them costs the training
 * set least), until the test split has ≥ testFraction (3%) of the characters, and never more than half
 * of the authors. For ../shared/corpus/scifi this picks Edmond Hamilton and Philip K. Dick. With
 * fewer authors (a single-author corpus such as Melville) whole books are held out instead, the
 * shortest first. Validation takes the shortest remaining books whose author keeps at least one
 * training book, until ≥ validFraction (4%).
 */
export function assignSplits(books: readonly SplitBook[], options: SplitOptions = {}): Map<string, Split> {
  const testFraction = options.testFraction ?? 0.03;
  const validFraction = options.validFraction ?? 0.04;
  const total = books.reduce((s, b) => s + b.chars, 0);
  const splits = new Map<string, Split>(books.map((b) => [b.file, 'train']));
  const bySize = [...books].sort((a, b) => a.chars - b.chars || a.file.localeCompare(b.file));

  const authors = new Map<string, SplitBook[]>();
  for (const b of books) {
    const key = authorKey(b.author);
    authors.set(key, [...(authors.get(key) ?? []), b]);
  }

  if (options.testAuthors && options.testAuthors.length > 0) {
    const wanted = options.testAuthors.map((a) => a.toLowerCase().trim()).filter((a) => a.length > 0);
    for (const b of books) {
      if (wanted.some((w) => b.author.toLowerCase().includes(w))) splits.set(b.file, 'test');
    }
  } else if (authors.size >= 3) {
    const order = [...authors.entries()].sort(
      ([ka, a], [kb, b]) => Math.max(...a.map((x) => x.chars)) - Math.max(...b.map((x) => x.chars)) || ka.localeCompare(kb),
    );
    let testChars = 0;
    let held = 0;
    for (const [, authorBooks] of order) {
      if (testChars >= testFraction * total || held >= Math.floor(authors.size / 2)) break;
      for (const b of authorBooks) splits.set(b.file, 'test');
      testChars += authorBooks.reduce((s, b) => s + b.chars, 0);
      held++;
    }
  } else {
    let testChars = 0;
    for (const b of bySize) {
      if (testChars >= testFraction * total || books.length - countOf(splits, 'test') <= 2) break;
      splits.set(b.file, 'test');
      testChars += b.chars;
    }
  }

  let validChars = 0;
  for (const b of bySize) {
    if (validChars >= validFraction * total) break;
    if (splits.get(b.file) !== 'train') continue;
    const key = authorKey(b.author);
    const trainLeft = books.filter((x) => authorKey(x.author) === key && splits.get(x.file) === 'train').length;
    if (trainLeft <= 1) continue;
    splits.set(b.file, 'valid');
    validChars += b.chars;
  }
  return splits;
}

function countOf(splits: ReadonlyMap<string, Split>, split: Split): number {
  return [...splits.values()].filter((s) => s === split).length;
}
