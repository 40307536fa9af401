/**
 * Bytes of a Gutenberg file to a string. Gutenberg ships UTF-8 (with or without a byte-order mark)
 * and, for older books, ISO-8859-1; a strict UTF-8 decode that fails means Latin-1.
 */
export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'latin-1';

export interface DecodedText {
  readonly text: string;
  readonly encoding: SourceEncoding;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');

export function decodeBytes(bytes: Uint8Array): DecodedText {
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: strictUtf8.decode(body), encoding: hasBom ? 'utf-8-bom' : 'utf-8' };
  } catch {
    // Not valid UTF-8. TextDecoder's 'latin1' is really windows-1252, which is what mislabelled
    // "Latin-1" files usually are (curly quotes at 0x91–0x94); for true ISO-8859-1 text the two agree
    // on every printable character.
    return { text: latin1.decode(bytes), encoding: 'latin-1' };
  }
}
