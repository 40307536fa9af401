import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gutenberg-shaped books made up by the tests (never corpus text): a header in one of PG's
 * styles, a body of simple English sentences, and a footer with licence text.
 */
export type HeaderStyle = 'old' | 'new' | 'small-print';

const SUBJECTS = ['The captain', 'A robot', 'The old pilot', 'Her sister', 'The ship', 'Nobody', 'The doctor'];
const VERBS = ['looked at', 'walked toward', 'listened to', 'remembered', 'opened', 'followed', 'watched'];
const OBJECTS = ['the red planet', 'the silent door', 'a small light', 'the long corridor', 'the stars', 'his own hands'];

/** Deterministic plain English prose, `sentences` sentences in paragraphs of four. */
export function prose(sentences: number, seed = 1): string {
  let s = seed;
  const pick = <T>(xs: readonly T[]): T => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return xs[s % xs.length] as T;
  };
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    out.push(`${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} and said nothing for a while.`);
    if (i % 4 === 3) out.push('\n\n');
    else out.push(i % 2 === 0 ? ' ' : '\n');
  }
  return out.join('');
}

export interface BookSpec {
  readonly title: string;
  readonly author: string;
  readonly language?: string;
  readonly style: HeaderStyle;
  readonly body: string;
  /** Adds a "Produced by" credit and a transcriber's note. */
  readonly credits?: boolean;
}

export const LICENCE = [
  'End of the Project Gutenberg EBook of the book',
  '',
  '*** END OF THIS PROJECT GUTENBERG EBOOK ***',
  '',
  'Updated editions will replace the previous one. START: FULL LICENSE',
  'THE FULL PROJECT GUTENBERG LICENSE. Please read this before you distribute or use this work.',
].join('\n');

export function gutenbergBook(spec: BookSpec): string {
  const lang = spec.language ? `Language: ${spec.language}\n\n` : '';
  const credits = spec.credits
    ? "Produced by Jane Proofreader and the Online\nDistributed Proofreading Team at http://www.pgdp.net\n\n\n\n[Transcriber's Note: This etext was produced from\nAstounding Stories. Extensive research did not uncover\nany evidence that the copyright was renewed.]\n\n[Illustration: A ship.]\n\n\n"
    : '';
  if (spec.style === 'small-print') {
    return (
      `The Project Gutenberg Etext of ${spec.title}\n\nTitle: ${spec.title}\n\nAuthor: ${spec.author}\n\n${lang}` +
      '**Welcome To The World of Free Plain Vanilla Electronic Texts**\n\nsome small print about the licence\n\n' +
      '*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\n\n' +
      `${credits}${spec.body}\n\n\nEnd of Project Gutenberg's ${spec.title}, by ${spec.author}\n`
    );
  }
  const start =
    spec.style === 'old'
      ? `*** START OF THIS PROJECT GUTENBERG EBOOK ${spec.title.toUpperCase()} ***`
      : `***START OF THE PROJECT GUTENBERG EBOOK ${spec.title.toUpperCase()}***`;
  const end =
    spec.style === 'old'
      ? `End of Project Gutenberg's ${spec.title}, by ${spec.author}\n\n*** END OF THIS PROJECT GUTENBERG EBOOK ${spec.title.toUpperCase()} ***`
      : `***END OF THE PROJECT GUTENBERG EBOOK ${spec.title.toUpperCase()}***`;
  return (
    `The Project Gutenberg EBook of ${spec.title}, by ${spec.author}\n\nThis eBook is for the use of anyone anywhere at no cost\n\n` +
    `Title: ${spec.title}\n\nAuthor: ${spec.author}\n\nRelease Date: May 1, 2008 [EBook #12345]\n\n${lang}` +
    `${start}\n\n\n\n${credits}${spec.body}\n\n\n\n${end}\n\n${LICENCE}\n`
  );
}

export function crlf(text: string): string {
  return text.replace(/\n/g, '\r\n');
}

export function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from([...text], (ch) => {
    const code = ch.codePointAt(0) as number;
    if (code > 255) throw new Error(`not Latin-1: ${ch}`);
    return code;
  });
}

export function utf8Bom(text: string): Uint8Array {
  return new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(text, 'utf8')]);
}

export async function tempDir(prefix = 'scifi-training-'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
