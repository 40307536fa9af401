/**
 * Project Gutenberg boilerplate removal. Works on text already normalised to \n line endings.
 *
 * Handles the header/licence styles PG has used: the older "*** START OF THIS PROJECT GUTENBERG
 * EBOOK … ***", the newer "*** START OF THE PROJECT GUTENBERG EBOOK … ***" (with or without the
 * spaces), the 1990s "*END*THE SMALL PRINT!" licence, "End of Project Gutenberg's …" / "End of the
 * Project Gutenberg EBook of …" footer lines, "Produced by …" / "E-text prepared by …" credits,
 * transcriber's notes (plain, bracketed or boxed), copyright-renewal notes and [Illustration] tags.
 */

export interface GutenbergHeader {
  readonly title?: string;
  readonly author?: string;
  readonly language?: string;
}

export interface StrippedBook {
  readonly header: GutenbergHeader;
  readonly body: string;
  /** What was removed, for the per-file report. */
  readonly removed: {
    readonly headerChars: number;
    readonly footerChars: number;
    readonly blocks: readonly string[];
  };
  /** False when no start marker was found (the whole text was kept as body, minus blocks). */
  readonly foundStartMarker: boolean;
}

const START_MARKER = /^\s*\*{3}\s*START OF (?:THIS|THE) PROJECT GUTENBERG E-?(?:BOOK|TEXT)[^\n]*$/im;
const SMALL_PRINT_END = /^[^\n]*\*END\*\s*THE SMALL PRINT[^\n]*$/im;
const END_MARKERS = [
  /^\s*\*{3}\s*END OF (?:THIS|THE) PROJECT GUTENBERG[^\n]*$/im,
  /^\s*\**\s*End of (?:the |this )?Project Gutenberg(?:'s|\u2019s)?[^\n]*$/im,
  /^\s*\**\s*END OF (?:THE |THIS )?PROJECT GUTENBERG[^\n]*$/m,
];

function headerField(headerText: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:[ \\t]*([^\\n]*(?:\\n[ \\t]+[^\\n]+)*)`, 'im').exec(headerText);
  const value = match?.[1]?.replace(/\s+/g, ' ').trim();
  return value ? value : undefined;
}

export function parseHeader(headerText: string): GutenbergHeader {
  return {
    title: headerField(headerText, 'Title'),
    author: headerField(headerText, 'Author'),
    language: headerField(headerText, 'Language'),
  };
}

export function stripGutenberg(text: string): StrippedBook {
  let start = 0;
  let foundStartMarker = false;
  const startMatch = START_MARKER.exec(text);
  if (startMatch) {
    start = startMatch.index + startMatch[0].length;
    foundStartMarker = true;
  } else {
    const smallPrint = SMALL_PRINT_END.exec(text);
    if (smallPrint) {
      start = smallPrint.index + smallPrint[0].length;
      foundStartMarker = true;
    }
  }
  const headerText = text.slice(0, start);
  // Header fields: from the header when there is one, else from the first lines.
  const header = parseHeader(foundStartMarker ? headerText : text.slice(0, 3000));
  let end = text.length;
  const rest = text.slice(start);
  for (const marker of END_MARKERS) {
    const m = marker.exec(rest);
    if (m && start + m.index < end) end = start + m.index;
  }
  const blocks: string[] = [];
  const body = cleanBody(text.slice(start, end), blocks);
  return {
    header,
    body,
    removed: { headerChars: start, footerChars: text.length - end, blocks },
    foundStartMarker,
  };
}

const CREDIT_LINE = /^\s*(?:Produced by|E-?text prepared by|This e-?(?:text|book) was produced by|Transcribed (?:from|by))\b/i;
const NOTE_LINE = /transcriber'?s?'? ?notes?\b|transcribers? note/i;
const PG_MENTION = /project gutenberg|gutenberg\.org|pgdp\.net|distributed proofread/i;
const RENEWAL_NOTE = /extensive research did not uncover|copyright on this publication was renewed|This etext was produced from/i;
/** How far from either end of the body a "Produced by" credit is looked for. */
const CREDIT_ZONE_LINES = 80;

/** Removes the non-book blocks inside the body, collapses runs of blank lines, trims. */
function cleanBody(body: string, removed: string[]): string {
  let lines = body.split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  lines = removeBoxedNotes(lines, removed);
  lines = removeBracketed(lines, removed, /^\s*\[(?:Transcriber|Illustration|Editor'?s note)/i);
  lines = removeNoteSections(lines, removed);
  lines = removeParagraphs(lines, removed, (para, index, total) => {
    const first = para[0] ?? '';
    const text = para.join(' ');
    const nearEdge = index < CREDIT_ZONE_LINES || total - index < CREDIT_ZONE_LINES;
    return (nearEdge && CREDIT_LINE.test(first)) || PG_MENTION.test(text) || RENEWAL_NOTE.test(text);
  });
  return lines
    .join('\n')
    // A few transcriptions keep HTML emphasis tags (<i>…</i>) in the plain text.
    .replace(/<\/?(?:i|b|em|strong|sc|u)>/gi, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A transcriber's note drawn in a +----+ / | … | box: drop the whole box. */
function removeBoxedNotes(lines: string[], removed: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (/^\s*\|/.test(line) && NOTE_LINE.test(line)) {
      let a = out.length;
      while (a > 0 && /^\s*[|+]/.test(out[a - 1] as string)) a--;
      let b = i;
      while (b + 1 < lines.length && /^\s*[|+]/.test(lines[b + 1] as string)) b++;
      removed.push(summary([...out.slice(a), ...lines.slice(i, b + 1)]));
      out.length = a;
      i = b;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** `[Transcriber's note: …]`, `[Illustration: …]` possibly spanning lines up to the closing bracket. */
function removeBracketed(lines: string[], removed: string[], opener: RegExp): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (opener.test(line)) {
      let depth = 0;
      let j = i;
      for (; j < lines.length && j < i + 200; j++) {
        for (const ch of lines[j] as string) {
          if (ch === '[') depth++;
          else if (ch === ']') depth--;
        }
        if (depth <= 0) break;
      }
      removed.push(summary(lines.slice(i, j + 1)));
      i = j;
      continue;
    }
    out.push(line);
  }
  return out;
}

/**
 * A "Transcriber's Note(s)" heading line, unboxed and unbracketed: drop it and what follows up to
 * the next gap of two or more blank lines (PG separates sections that way; paragraphs inside a
 * note are separated by single blank lines), or to the end of the body.
 */
function removeNoteSections(lines: string[], removed: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (NOTE_LINE.test(line) && line.trim().length < 60) {
      let j = i + 1;
      let blanks = 0;
      let seenText = false;
      for (; j < lines.length; j++) {
        if ((lines[j] as string).trim() === '') {
          blanks++;
          if (blanks >= 2 && seenText) break;
        } else {
          blanks = 0;
          seenText = true;
        }
      }
      removed.push(summary(lines.slice(i, j)));
      i = j - 1;
      continue;
    }
    out.push(line);
  }
  return out;
}

/** Drop paragraphs (blank-line separated) for which `drop` is true. */
function removeParagraphs(
  lines: string[],
  removed: string[],
  drop: (para: string[], startIndex: number, totalLines: number) => boolean,
): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if ((lines[i] as string).trim() === '') {
      out.push(lines[i] as string);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && (lines[j] as string).trim() !== '') j++;
    const para = lines.slice(i, j);
    if (drop(para, i, lines.length)) removed.push(summary(para));
    else out.push(...para);
    i = j;
  }
  return out;
}

function summary(lines: readonly string[]): string {
  const text = lines.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
