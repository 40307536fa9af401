/**
 * Split text into parts of at most maxLength characters (code points never cut in half),
 * preferring to break after a newline, then after a space, in the second half of a part, so a
 * story continued in a follow-up message reads naturally.
 */
export function splitMessage(text: string, maxLength: number): string[] {
  if (maxLength < 1) throw new RangeError('maxLength must be at least 1');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxLength) {
    let cut = bestBreak(rest, maxLength);
    // Never split a surrogate pair: an emoji must stay whole in one message.
    if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts;
}

function bestBreak(text: string, maxLength: number): number {
  const window = text.slice(0, maxLength);
  const floor = Math.floor(maxLength / 2);
  const newline = window.lastIndexOf('\n');
  if (newline >= floor) return newline + 1;
  const space = window.lastIndexOf(' ');
  if (space >= floor) return space + 1;
  return maxLength;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
