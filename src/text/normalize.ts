/**
 * One text normalisation for the corpus (before training) and for seeds (before generation), so a
 * seed typed on a phone with curly quotes lands on the same characters the model learned.
 */

/** Typographic characters folded to the plain forms Gutenberg texts mostly use. */
const FOLDS: Readonly<Record<string, string>> = {
  '\u2018': "'", // left single quote
  '\u2019': "'", // right single quote / apostrophe
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'", // prime
  '\u0060': "'", // backtick used as an opening quote in old transcriptions
  '\u00B4': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u2033': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '-', // figure dash
  '\u2013': '-', // en dash
  '\u2014': '--', // em dash, as Gutenberg plain text writes it
  '\u2015': '--',
  '\u2212': '-', // minus
  '\u2026': '...', // ellipsis
  '\u00A0': ' ', // no-break space
  '\u2002': ' ',
  '\u2003': ' ',
  '\u2009': ' ',
  '\u200A': ' ',
  '\u202F': ' ',
  '\u3000': ' ',
  '\t': ' ',
  '\u00AD': '', // soft hyphen
  '\u200B': '', // zero-width space
  '\u200C': '',
  '\u200D': '',
  '\u2060': '',
  '\uFEFF': '', // byte-order mark
};

const FOLD_PATTERN = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'gu');

/**
 * Line endings to \n, typographic punctuation to ASCII, compatibility forms decomposed and accents
 * kept where they exist as single code points (NFC after NFKC's folding of ligatures like "ﬁ").
 */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .normalize('NFKC')
    .replace(FOLD_PATTERN, (ch) => FOLDS[ch] ?? ch)
    .normalize('NFC');
}
