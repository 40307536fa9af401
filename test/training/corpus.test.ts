import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/training/corpus/decode.js';
import { stripGutenberg } from '../../src/training/corpus/gutenberg.js';
import { detectLanguage } from '../../src/training/corpus/language.js';
import { prepareCorpus, type FileReport } from '../../src/training/corpus/prepare.js';
import { assignSplits, authorKey } from '../../src/training/corpus/split.js';
import { buildVocab, CharMapper, countChars } from '../../src/training/corpus/vocab.js';
import { normalizeText } from '../../src/text/normalize.js';
import { crlf, gutenbergBook, latin1Bytes, prose, tempDir, utf8Bom } from './synthetic-books.js';

const FRENCH =
  "Le capitaine regarda la porte et il ne dit rien pendant un long moment. Les étoiles étaient là, " +
  'dans le ciel noir, et personne ne savait pourquoi le vaisseau était revenu sur la planète rouge. ';

describe('stripGutenberg', () => {
  for (const style of ['old', 'new', 'small-print'] as const) {
    it(`keeps only the book in the ${style} header style`, () => {
      const body = prose(12);
      const book = normalizeText(crlf(gutenbergBook({ title: 'The Silent Door', author: 'Ann Writer', language: 'English', style, body, credits: true })));
      const stripped = stripGutenberg(book);
      expect(stripped.foundStartMarker).toBe(true);
      expect(stripped.body).toBe(body.replace(/\n{3,}/g, '\n\n').trim());
      expect(stripped.header.author).toBe('Ann Writer');
      expect(stripped.header.title).toBe('The Silent Door');
      expect(stripped.body).not.toMatch(/gutenberg|produced by|transcriber|illustration|licen[cs]e|\r/i);
    });
  }

  it('drops boxed and headed transcriber notes and keeps the story around them', () => {
    const text = [
      'Chapter One',
      '',
      'The ship came home.',
      '',
      '+------------------------------+',
      "| Transcriber's Note           |",
      '| Typos were corrected.        |',
      '+------------------------------+',
      '',
      'The crew slept.',
      '',
      '',
      "Transcriber's Notes",
      '',
      'Page 7: expendible changed to expendable.',
      'Page 9: calmy changed to calmly.',
    ].join('\n');
    const stripped = stripGutenberg(`*** START OF THE PROJECT GUTENBERG EBOOK X ***\n${text}\n*** END OF THE PROJECT GUTENBERG EBOOK X ***`);
    expect(stripped.body).toBe('Chapter One\n\nThe ship came home.\n\nThe crew slept.');
    expect(stripped.removed.blocks.length).toBe(2);
  });

  it('keeps a text without any Gutenberg markers whole', () => {
    const body = prose(5);
    const stripped = stripGutenberg(body);
    expect(stripped.foundStartMarker).toBe(false);
    expect(stripped.body).toBe(body.replace(/\n{3,}/g, '\n\n').trim());
  });
});

describe('decodeBytes', () => {
  it('reads UTF-8 with and without a byte-order mark, and falls back to Latin-1', () => {
    expect(decodeBytes(Buffer.from('café — ok', 'utf8'))).toEqual({ text: 'café — ok', encoding: 'utf-8' });
    expect(decodeBytes(utf8Bom('naïve'))).toEqual({ text: 'naïve', encoding: 'utf-8-bom' });
    expect(decodeBytes(latin1Bytes('café façade'))).toEqual({ text: 'café façade', encoding: 'latin-1' });
  });
});

describe('detectLanguage', () => {
  it('trusts the header and falls back to English stop words', () => {
    expect(detectLanguage('French', prose(20)).english).toBe(false);
    expect(detectLanguage('English', FRENCH).english).toBe(true);
    expect(detectLanguage(undefined, prose(20))).toMatchObject({ english: true, source: 'stop-words' });
    expect(detectLanguage(undefined, FRENCH.repeat(5))).toMatchObject({ english: false, source: 'stop-words' });
  });
});

describe('splits and vocabulary', () => {
  it('groups spellings of one author by surname', () => {
    expect(authorKey('Philip Kindred Dick')).toBe(authorKey('Philip K. Dick'));
    expect(authorKey('Edward Elmer Smith and Lee Hawkins Garby')).toBe('smith');
  });

  it('holds out whole authors for test and keeps every author a training book', () => {
    const books = [
      { file: 'a1', author: 'Ann A', chars: 1000 },
      { file: 'a2', author: 'Ann A', chars: 1200 },
      { file: 'b1', author: 'Bob B', chars: 900 },
      { file: 'b2', author: 'Bob B', chars: 1100 },
      { file: 'c1', author: 'Cy C', chars: 300 },
      { file: 'd1', author: 'Di D', chars: 5000 },
    ];
    const splits = assignSplits(books);
    expect(splits.get('c1')).toBe('test');
    expect([...splits.values()].filter((s) => s === 'test')).toHaveLength(1);
    const valid = books.filter((b) => splits.get(b.file) === 'valid');
    expect(valid.length).toBeGreaterThan(0);
    for (const b of valid) {
      expect(books.some((x) => x.author === b.author && splits.get(x.file) === 'train')).toBe(true);
    }
    const chosen = assignSplits(books, { testAuthors: ['bob'] });
    expect(chosen.get('b1')).toBe('test');
    expect(chosen.get('b2')).toBe('test');
    expect(chosen.get('c1')).not.toBe('test');
  });

  it('folds rare accented letters to their base and drops unknown symbols', () => {
    const vocab = buildVocab(countChars(['aaaa eeee cccc\n', 'é§']), 2);
    expect(vocab).toEqual(['\n', ' ', 'a', 'c', 'e']);
    const mapper = new CharMapper(vocab);
    expect(mapper.map('café§ace')).toBe('caeace');
    expect(mapper.report().map((a) => [a.char, a.replacement])).toEqual(
      expect.arrayContaining([
        ['é', 'e'],
        ['§', ''],
        ['f', ''],
      ]),
    );
  });
});

describe('prepareCorpus', () => {
  let dir: { path: string; remove: () => Promise<void> };
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => dir.remove());

  it('cleans every file, skips the non-English one, splits by book and writes the prepared layout', async () => {
    const corpus = join(dir.path, 'corpus');
    const out = join(dir.path, 'prepared');
    await import('node:fs/promises').then((fs) => fs.mkdir(corpus));
    const write = (name: string, data: string | Uint8Array) => writeFile(join(corpus, name), data);
    await write('ann_1.txt', crlf(gutenbergBook({ title: 'One', author: 'Ann Able', language: 'English', style: 'old', body: prose(60, 1), credits: true })));
    await write('ann_2.txt', utf8Bom(crlf(gutenbergBook({ title: 'Two', author: 'Ann Able', language: 'English', style: 'new', body: `${prose(60, 2)} The café.` }))));
    await write('bob_1.txt', latin1Bytes(gutenbergBook({ title: 'Three', author: 'Bob Baker', language: 'English', style: 'old', body: `${prose(60, 3)} Déjà vu.` })));
    await write('bob_2.txt', crlf(gutenbergBook({ title: 'Four', author: 'Bob Baker', style: 'small-print', body: prose(60, 4) })));
    await write('cy_1.txt', gutenbergBook({ title: 'Five', author: 'Cy Cole', language: 'English', style: 'new', body: prose(40, 5) }));
    await write('dee_1.txt', gutenbergBook({ title: 'Six', author: 'Dee Dupont', language: 'French', style: 'new', body: FRENCH.repeat(20) }));
    await write('notes.md', 'not a book');

    const seen: FileReport[] = [];
    const report = await prepareCorpus({ corpusDir: corpus, outDir: out, testAuthors: ['cole'], minCharCount: 1, onFile: (f) => seen.push(f) });

    expect(seen.map((f) => f.file)).toEqual(['ann_1.txt', 'ann_2.txt', 'bob_1.txt', 'bob_2.txt', 'cy_1.txt', 'dee_1.txt']);
    const byFile = Object.fromEntries(report.files.map((f) => [f.file, f]));
    expect(byFile['ann_2.txt']?.encoding).toBe('utf-8-bom');
    expect(byFile['bob_1.txt']?.encoding).toBe('latin-1');
    expect(byFile['bob_2.txt']).toMatchObject({ languageSource: 'stop-words', english: true });
    expect(byFile['dee_1.txt']).toMatchObject({ split: 'skipped', english: false });
    expect(byFile['cy_1.txt']?.split).toBe('test');
    for (const f of report.files) expect(f.bytesAfter).toBeLessThan(f.bytesBefore);

    const train = await readFile(join(out, 'train.txt'), 'utf8');
    const valid = await readFile(join(out, 'valid.txt'), 'utf8');
    const test = await readFile(join(out, 'test.txt'), 'utf8');
    const all = train + valid + test;
    expect(all).not.toMatch(/gutenberg|licen[cs]e|produced by|transcriber|\r|\uFEFF/i);
    expect(all).not.toMatch(/capitaine/);
    expect(all).toContain('Déjà vu.');
    expect(test).toBe(prose(40, 5).replace(/\n{3,}/g, '\n\n').trim());
    expect(valid.length).toBeGreaterThan(0);

    const vocab = JSON.parse(await readFile(join(out, 'vocab.json'), 'utf8')) as string[];
    expect(vocab).toEqual([...new Set(all)].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number)));
    const saved = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as { splits: Record<string, { files: string[] }> };
    expect(saved.splits['test']?.files).toEqual(['cy_1.txt']);
  });
});
