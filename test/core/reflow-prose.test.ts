import { describe, expect, it } from 'vitest';
import { reflowProse } from '../../src/core/reflow-prose.js';
import { storyText } from '../../src/core/story-text.js';

// Shaped like a Gutenberg book: lines wrapped near 70 columns, blank lines between paragraphs.
const WRAPPED = [
  'The ship came out of the dark at last, and the men at the controls',
  'looked at one another without a word.',
  '',
  '"We are home," said the captain.  ',
  '',
  '',
  '   "Not yet," said Ela; she was watching the',
  'screens.',
].join('\n');

describe('reflowProse', () => {
  it('joins the wrapped lines of each paragraph and keeps one blank line between paragraphs', () => {
    expect(reflowProse(WRAPPED)).toBe(
      'The ship came out of the dark at last, and the men at the controls looked at one another without a word.' +
        '\n\n"We are home," said the captain.' +
        '\n\n"Not yet," said Ela; she was watching the screens.',
    );
  });

  it('leaves text without newlines exactly as it was, whatever its characters', () => {
    const text = 'Zoë saw 🚀 and שָׁלוֹם  twice\tover — “quietly”…';
    expect(reflowProse(text)).toBe(text);
  });

  it('holds back a newline at the end until the next character says whether a paragraph ends', () => {
    expect(reflowProse('the men at the controls\n')).toBe('the men at the controls');
    expect(reflowProse('the men at the controls\nlooked')).toBe('the men at the controls looked');
    expect(reflowProse('without a word.\n\n')).toBe('without a word.\n\n');
  });

  it('never changes what an earlier prefix showed, bar trailing spaces, as the text grows', () => {
    const full = reflowProse(WRAPPED);
    for (let end = 0; end <= WRAPPED.length; end++) {
      const shown = reflowProse(WRAPPED.slice(0, end)).trimEnd();
      expect(full.startsWith(shown), `prefix of ${end} characters showed ${JSON.stringify(shown)}`).toBe(true);
    }
  });
});

describe('storyText', () => {
  it('reflows seed and continuation as one body and leaves the title and notes on their own lines', () => {
    const text = storyText({ title: '📖 Title', notes: ['(a note)'], seed: 'It began' }, '\nwith a\nsound.\n\nThen');
    expect(text).toBe('📖 Title\n(a note)\n\nIt began with a sound.\n\nThen');
  });

  it('defuses a mention formed where the seed meets the continuation', () => {
    const text = storyText({ notes: [], seed: 'Tell @' }, 'everyone and <@', ' ✍️');
    expect(text).not.toMatch(/@everyone/);
    expect(storyText({ notes: [], seed: 'Ping <' }, '@123> now')).not.toMatch(/<@\d/);
    expect(storyText({ notes: [], seed: 'Ping <' }, '!channel> now')).not.toMatch(/<!channel/);
  });
});
