import { defuseMentions } from './mentions.js';
import type { PreparedSeed } from './ports.js';
import { reflowProse } from './reflow-prose.js';
import { visibleChar } from './visible-text.js';

/** What a reply looks like while it waits, as text arrives, and when it ends. */

export function waitingText(position: number): string {
  return position <= 1 ? '⏳ Next in line…' : `⏳ #${position} in line…`;
}

export const STARTING_TEXT = '✍️ Writing…';

/** Left-out characters a note lists by name; a paste of a foreign script would fill a message. */
export const DROPPED_LISTED_MAX = 20;

/** Notes the reader should see above the story: what happened to their seed. */
export function seedNotes(prepared: PreparedSeed): string[] {
  const notes: string[] = [];
  const { dropped } = prepared;
  if (dropped.length > 0) {
    const listed = dropped.slice(0, DROPPED_LISTED_MAX).map(showDropped).join(' ');
    const more = dropped.length > DROPPED_LISTED_MAX ? ` and ${dropped.length - DROPPED_LISTED_MAX} more` : '';
    notes.push(`(Left out characters this model has never seen: ${listed}${more})`);
  }
  if (prepared.usedDefaultOpener) {
    notes.push(dropped.length > 0 ? '(Nothing of your opening was left, so I picked one.)' : '(No opening line given, so I picked one.)');
  }
  return notes;
}

/**
 * A left-out character as the note shows it: invisible ones (NUL, escape, bidi overrides, lone
 * surrogates, which Slack's client cannot even encode) by code point, a combining mark on a
 * dotted circle rather than on the space before it.
 */
function showDropped(ch: string): string {
  return /^\p{M}/u.test(ch) ? `\u25CC${ch}` : visibleChar(ch);
}

export interface StoryLayout {
  /** Title line (daily stories). */
  readonly title?: string;
  readonly notes: readonly string[];
  readonly seed: string;
}

/**
 * The reply as readers see it: title and notes, then the seed and its continuation as flowing
 * paragraphs. Mentions are defused in seed and continuation together, so a seed ending in "@"
 * and a continuation starting "everyone" cannot meet as "@everyone".
 */
export function storyText(layout: StoryLayout, continuation: string, ending = ''): string {
  const head = [layout.title, ...layout.notes].filter((l): l is string => Boolean(l));
  const body = defuseMentions(reflowProse(`${layout.seed}${continuation}`));
  return [...head, ...(head.length > 0 ? [''] : []), body + ending].join('\n');
}

/** A title line for a daily story: its opening words, title-cased, and the day. */
export function dailyTitle(seed: string, day: string): string {
  const words = seed
    .replace(/[^\p{L}\p{N}' -]+/gu, ' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 6)
    .map((w, i) => (i === 0 || w.length > 3 ? (w[0] ?? '').toUpperCase() + w.slice(1) : w));
  const name = words.length > 0 ? words.join(' ') : 'Untitled';
  return `📖 ${name} — story of the day, ${day}`;
}
