import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { normalizeText } from '../../text/normalize.js';
import { UserError } from '../../core/errors.js';
import { decodeBytes, type SourceEncoding } from './decode.js';
import { stripGutenberg } from './gutenberg.js';
import { detectLanguage } from './language.js';
import { assignSplits, type Split } from './split.js';
import { buildVocab, CharMapper, countChars, type RareCharAction } from './vocab.js';

/**
 * Corpus preparation: a folder of Gutenberg .txt files in, and in `outDir`
 *   train.txt, valid.txt, test.txt  — cleaned books of each split, joined by a blank line
 *   vocab.json                      — JSON array of the characters, in model index order
 *   report.json                     — what was done to every file, the splits, the vocabulary
 * This layout is read by the trainer and by the GPU training script; keep it stable.
 */
export interface PrepareOptions {
  readonly corpusDir: string;
  readonly outDir: string;
  readonly testAuthors?: readonly string[];
  /** Characters seen fewer times in train are folded or dropped. */
  readonly minCharCount?: number;
  /** Use this vocabulary instead of building one (warm start from an exported model). */
  readonly vocab?: readonly string[];
  readonly testFraction?: number;
  readonly validFraction?: number;
  /** Called once per file as it is processed (the CLI prints these on stderr). */
  readonly onFile?: (report: FileReport) => void;
}

export interface FileReport {
  readonly file: string;
  readonly encoding: SourceEncoding;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
  readonly title?: string;
  readonly author?: string;
  readonly language: string;
  readonly languageSource: 'header' | 'stop-words';
  readonly english: boolean;
  readonly foundStartMarker: boolean;
  readonly headerCharsRemoved: number;
  readonly footerCharsRemoved: number;
  /** Short summaries of blocks removed from inside the body (notes, credits, illustrations). */
  readonly blocksRemoved: readonly string[];
  split: Split | 'skipped';
  skipReason?: string;
}

export interface PrepareReport {
  readonly corpusDir: string;
  readonly createdAt: string;
  readonly files: FileReport[];
  readonly splits: Record<Split, { files: string[]; chars: number }>;
  readonly vocab: string[];
  readonly rareChars: RareCharAction[];
  readonly minCharCount: number;
}

export const DEFAULT_MIN_CHAR_COUNT = 25;

interface CleanBook {
  readonly report: FileReport;
  readonly body: string;
}

export async function prepareCorpus(options: PrepareOptions): Promise<PrepareReport> {
  const names = (await readdir(options.corpusDir).catch(() => {
    throw new UserError(`Corpus folder not found: ${options.corpusDir}`, 'not-found');
  }))
    .filter((n) => n.toLowerCase().endsWith('.txt'))
    .sort();
  if (names.length === 0) throw new UserError(`No .txt files in ${options.corpusDir}`, 'not-found');

  const books: CleanBook[] = [];
  for (const name of names) {
    const bytes = await readFile(join(options.corpusDir, name));
    const decoded = decodeBytes(bytes);
    const stripped = stripGutenberg(normalizeText(decoded.text));
    const lang = detectLanguage(stripped.header.language, stripped.body);
    const report: FileReport = {
      file: name,
      encoding: decoded.encoding,
      bytesBefore: bytes.length,
      bytesAfter: Buffer.byteLength(stripped.body, 'utf8'),
      title: stripped.header.title,
      author: stripped.header.author,
      language: lang.language,
      languageSource: lang.source,
      english: lang.english,
      foundStartMarker: stripped.foundStartMarker,
      headerCharsRemoved: stripped.removed.headerChars,
      footerCharsRemoved: stripped.removed.footerChars,
      blocksRemoved: stripped.removed.blocks,
      split: 'skipped',
    };
    if (!lang.english) report.skipReason = `language ${lang.language} (${lang.source})`;
    else if (stripped.body.length < 200) report.skipReason = 'no text left after stripping';
    books.push({ report, body: stripped.body });
  }

  const kept = books.filter((b) => !b.report.skipReason);
  if (kept.length === 0) throw new UserError(`No English books in ${options.corpusDir}`, 'not-found');
  const splitOf = assignSplits(
    kept.map((b) => ({ file: b.report.file, author: b.report.author ?? 'unknown', chars: b.body.length })),
    { testAuthors: options.testAuthors, testFraction: options.testFraction, validFraction: options.validFraction },
  );
  for (const b of kept) b.report.split = splitOf.get(b.report.file) ?? 'train';
  const ofSplit = (s: Split) => kept.filter((b) => b.report.split === s);
  if (ofSplit('train').length === 0) throw new UserError('Every book was held out: nothing left to train on', 'bad-option');

  const minCharCount = options.minCharCount ?? DEFAULT_MIN_CHAR_COUNT;
  const vocab = options.vocab ? [...options.vocab] : buildVocab(countChars(ofSplit('train').map((b) => b.body)), minCharCount);
  const mapper = new CharMapper(vocab);
  const splits = {} as PrepareReport['splits'];
  await mkdir(options.outDir, { recursive: true });
  for (const split of ['train', 'valid', 'test'] as const) {
    const text = ofSplit(split)
      .map((b) => mapper.map(b.body))
      .join('\n\n');
    splits[split] = { files: ofSplit(split).map((b) => b.report.file), chars: text.length };
    await writeFile(join(options.outDir, `${split}.txt`), text, 'utf8');
  }
  for (const b of books) options.onFile?.(b.report);
  const report: PrepareReport = {
    corpusDir: options.corpusDir,
    createdAt: new Date().toISOString(),
    files: books.map((b) => b.report),
    splits,
    vocab,
    rareChars: mapper.report(),
    minCharCount,
  };
  await writeFile(join(options.outDir, 'vocab.json'), JSON.stringify(vocab), 'utf8');
  await writeFile(join(options.outDir, 'report.json'), JSON.stringify(report, null, 2), 'utf8');
  return report;
}

/** One line per file for stderr. */
export function formatFileReport(r: FileReport): string {
  const what = r.skipReason ? `skipped: ${r.skipReason}` : r.split;
  return (
    `${r.file}: ${r.encoding}, ${r.bytesBefore} → ${r.bytesAfter} bytes, ${r.language}, ` +
    `author ${r.author ?? '?'}, ${what}; removed header ${r.headerCharsRemoved}, footer ${r.footerCharsRemoved}, ` +
    `${r.blocksRemoved.length} blocks`
  );
}
