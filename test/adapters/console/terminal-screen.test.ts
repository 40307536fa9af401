import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TerminalScreen } from '../../../src/adapters/console/terminal-screen.js';
import { wrapWords } from '../../../src/adapters/console/word-wrap.js';
import { reflowProse } from '../../../src/core/reflow-prose.js';

const PARAGRAPH =
  'The ship came out of the dark at last, and the men at the controls looked at one another ' +
  'without a word, for the planet below them was not the one they had left.';

function capture(columns?: number): { out: PassThrough & { columns?: number }; text: () => string } {
  const out: PassThrough & { columns?: number } = new PassThrough();
  if (columns !== undefined) out.columns = columns;
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { out, text: () => chunks.join('') };
}

describe('wrapWords', () => {
  it('breaks lines at spaces, never past the width, keeping every word and paragraph', () => {
    const wrapped = wrapWords(`${PARAGRAPH}\n\n${PARAGRAPH}`, 30);
    const rows = wrapped.split('\n');
    expect(rows.every((r) => [...r].length <= 30)).toBe(true);
    expect(rows.filter((r) => r === '')).toHaveLength(1);
    expect(reflowProse(wrapped)).toBe(`${PARAGRAPH}\n\n${PARAGRAPH}`);
  });

  it('cuts a word longer than the width, counting an emoji as one', () => {
    expect(wrapWords('🚀🚀🚀🚀🚀 go', 2)).toBe('🚀🚀\n🚀🚀\n🚀\ngo');
  });
});

describe('TerminalScreen', () => {
  it('wraps piped replies at 76 columns under their indent', () => {
    const { out, text } = capture();
    new TerminalScreen(out, false).show('story 1', PARAGRAPH);
    const rows = text().trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((r) => r.startsWith('    ') && r.length <= 80)).toBe(true);
  });

  it("wraps live replies to the terminal's width", () => {
    const { out, text } = capture(40);
    new TerminalScreen(out, true).show('story 1', PARAGRAPH);
    const rows = text()
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
      .trimEnd()
      .split('\n');
    expect(rows.length).toBeGreaterThan(3);
    expect(rows.every((r) => [...r].length <= 39)).toBe(true);
  });
});
