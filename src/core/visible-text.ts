/**
 * User input an answer repeats back (an error quoting a bad value, the characters left out of a
 * seed) is shown so that it cannot hide, reorder or garble the answer: control and format
 * characters (NUL, escape sequences, bidi overrides, zero-width marks), separators and lone
 * surrogates are written as U+XXXX, and a long input is cut to its start, so a 100 kB paste gets
 * a one-line answer (Slack refuses a message past 40 000 characters; a terminal would scroll).
 */

/** How much of an input an answer quotes. */
export const QUOTE_MAX_CHARS = 40;

const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]$/u;

/** One character (code point) as an answer may show it. */
export function visibleChar(ch: string): string {
  if (!INVISIBLE.test(ch)) return ch;
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A user's input for quoting in an answer: visible characters, at most `max` of them, then "…". */
export function quoteInput(text: string, max = QUOTE_MAX_CHARS): string {
  const chars = [...text];
  const shown = chars.slice(0, max).map((ch) => (INVISIBLE.test(ch) ? `[${visibleChar(ch)}]` : ch)).join('');
  return chars.length > max ? `${shown}…` : shown;
}
