import { defuseMentions } from './mentions.js';
import type { PreparedSeed } from './ports.js';
import { reflowProse } from './reflow-prose.js';

/** What a reply looks like while it waits, as text arrives, and when it ends. */

export function waitingText(position: number): string {
  return position <= 1 ? '⏳ Next in line…' : `⏳ #${position} in line…`;
}

export const STARTING_TEXT = '✍️ Writing…';

/** Notes the reader should see above the story: what happened to their seed. */
export function seedNotes(prepared: PreparedSeed): string[] {
  const notes: string[] = [];
  if (prepared.usedDefaultOpener) notes.push('(No opening line given, so I picked one.)');
  if (prepared.dropped.length > 0) {
    notes.push(`(Left out characters this model has never seen: ${prepared.dropped.join(' ')})`);
  }
  return notes;
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
