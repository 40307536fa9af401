import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressiveMessage } from '../../src/core/progressive-message.js';
import { splitMessage } from '../../src/core/split-message.js';
import { RecordingSurface } from '../fakes/recording-surface.js';
import { MemoryLogger } from '../fakes/silent-logger.js';

describe('ProgressiveMessage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('posts a placeholder, edits on the interval, and ends with one final edit', async () => {
    const surface = new RecordingSurface(2000, 1000);
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    await message.start('waiting');
    expect(surface.ops).toEqual([{ op: 'post', id: 'm1', text: 'waiting' }]);

    message.update('The ship');
    message.update('The ship fell');
    await vi.advanceTimersByTimeAsync(0);
    // The first edit may go at once (no edit yet); the second waits for the interval.
    expect(surface.edits().map((e) => e.text)).toEqual(['The ship fell']);
    message.update('The ship fell into');
    await vi.advanceTimersByTimeAsync(500);
    expect(surface.edits()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(500);
    expect(surface.edits().map((e) => e.text)).toEqual(['The ship fell', 'The ship fell into']);

    const done = message.finish('The ship fell into the sun.');
    await vi.runAllTimersAsync();
    await done;
    expect(surface.messages.get('m1')).toBe('The ship fell into the sun.');
    expect(surface.completedWith).toEqual(['m1']);
  });

  it('skips edits that change nothing', async () => {
    const surface = new RecordingSurface(2000, 1000);
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    await message.start('same');
    message.update('same');
    await vi.advanceTimersByTimeAsync(5000);
    await message.finish('same');
    expect(surface.edits()).toHaveLength(0);
  });

  it('never has two edits of one message in flight, even when the platform is slow', async () => {
    const surface = new RecordingSurface(2000, 100, 350);
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    const started = message.start('…');
    await vi.advanceTimersByTimeAsync(350);
    await started;
    for (let i = 1; i <= 20; i++) {
      message.update('x'.repeat(i));
      await vi.advanceTimersByTimeAsync(60);
    }
    const done = message.finish('x'.repeat(25));
    await vi.runAllTimersAsync();
    await done;
    expect(surface.maxInFlight).toBe(1);
    expect(surface.messages.get('m1')).toBe('x'.repeat(25));
  });

  it('carries on after a failed intermediate edit and still lands the final text', async () => {
    const surface = new RecordingSurface(2000, 1000);
    const onEditFailed = vi.fn();
    const logger = new MemoryLogger();
    const message = new ProgressiveMessage(surface, { logger, onEditFailed, finalRetryMs: 10 });
    await message.start('…');
    surface.failNextEdits = 1;
    message.update('first');
    await vi.advanceTimersByTimeAsync(0);
    expect(onEditFailed).toHaveBeenCalledTimes(1);
    message.update('second');
    await vi.advanceTimersByTimeAsync(1000);
    expect(surface.messages.get('m1')).toBe('second');
    surface.failNextEdits = 2; // the final edit fails twice, then lands
    const done = message.finish('final');
    await vi.runAllTimersAsync();
    await done;
    expect(surface.messages.get('m1')).toBe('final');
    expect(onEditFailed).toHaveBeenCalledTimes(3);
    expect(logger.lines.some((l) => l.level === 'warn')).toBe(true);
  });

  it('gives up on the final edit after the configured attempts, with the error', async () => {
    const surface = new RecordingSurface(2000, 1000);
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger(), finalAttempts: 2, finalRetryMs: 10 });
    await message.start('…');
    surface.failNextEdits = 5;
    const done = message.finish('never shown');
    const assertion = expect(done).rejects.toThrow('injected');
    await vi.runAllTimersAsync();
    await assertion;
  });

  it('continues past the length limit in follow-up messages instead of cutting', async () => {
    const surface = new RecordingSurface(50, 1000);
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    await message.start('…');
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    message.update(words.slice(0, 40));
    await vi.advanceTimersByTimeAsync(1000);
    message.update(words.slice(0, 120));
    await vi.advanceTimersByTimeAsync(1000);
    const done = message.finish(words);
    await vi.runAllTimersAsync();
    await done;
    const texts = [...surface.messages.values()];
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(50);
    expect(texts.join('')).toBe(words);
    const followUps = surface.ops.filter((o) => o.op === 'followUp');
    expect(followUps[0]).toMatchObject({ after: 'm1' });
    expect(message.messageIds).toEqual([...surface.messages.keys()]);
  });

  it('resumes into messages that already exist (restart) without posting again', async () => {
    const surface = new RecordingSurface(2000, 1000);
    const first = await surface.post('half a sto');
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger(), existingMessageIds: [first] });
    await message.start('resuming…');
    const done = message.finish('a whole story');
    await vi.runAllTimersAsync();
    await done;
    expect(surface.ops.filter((o) => o.op === 'post')).toHaveLength(1);
    expect(surface.messages.get(first)).toBe('a whole story');
  });
});

describe('splitMessage', () => {
  it('prefers breaking at a newline or space near the end of a part', () => {
    expect(splitMessage('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb ', 'cccc']);
    expect(splitMessage('line one\nline two', 12)).toEqual(['line one\n', 'line two']);
  });

  it('never cuts an emoji (surrogate pair) in half', () => {
    const text = 'x'.repeat(9) + '🚀' + 'y';
    const parts = splitMessage(text, 10);
    expect(parts[0]).toBe('x'.repeat(9));
    expect(parts.join('')).toBe(text);
  });

  it('keeps short text whole', () => {
    expect(splitMessage('short', 2000)).toEqual(['short']);
    expect(splitMessage('', 2000)).toEqual(['']);
  });
});

describe('ProgressiveMessage with a permanent refusal', () => {
  it('does not retry a write the platform refused for good', async () => {
    const { PermanentPlatformError } = await import('../../src/core/errors.js');
    const surface = new RecordingSurface(2000, 0);
    let posts = 0;
    surface.post = async () => {
      posts++;
      throw new PermanentPlatformError('not_in_channel');
    };
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger(), finalRetryMs: 1 });
    await expect(message.finish('text')).rejects.toThrow('not_in_channel');
    expect(posts).toBe(1);
  });
});

describe('ProgressiveMessage when a message is gone', () => {
  it('stops when the response its placeholder was to replace is already deleted', async () => {
    const { MessageGoneError } = await import('../../src/core/errors.js');
    const surface = new RecordingSurface(2000, 0);
    surface.post = async () => {
      throw new MessageGoneError('unknown message @original');
    };
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    await message.start('…');
    expect(message.removed).toBe(true);
    await message.finish('the whole story');
    expect(surface.ops).toEqual([]);
    expect(message.messageIds).toEqual([]);
  });

  it('stops when its message was deleted: nothing is posted in its place or edited later', async () => {
    const { MessageGoneError } = await import('../../src/core/errors.js');
    const surface = new RecordingSurface(2000, 0);
    const realEdit = surface.edit.bind(surface);
    let edits = 0;
    surface.edit = async (id, text) => {
      edits++;
      if (!surface.messages.has(id)) throw new MessageGoneError(`unknown message ${id}`);
      return realEdit(id, text);
    };
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger() });
    await message.start('…');
    expect(message.removed).toBe(false);
    surface.messages.delete('m1'); // a moderator deletes the placeholder
    await message.finish('the whole story');
    expect(message.removed).toBe(true);
    expect(surface.messages.size).toBe(0);
    expect(edits).toBe(1);
    message.update('more text');
    await message.finish('the whole story, again');
    expect(edits).toBe(1);
    expect(surface.messages.size).toBe(0);
    expect(surface.completedWith).toBeUndefined();
  });
});

describe('ProgressiveMessage when a message can no longer be edited', () => {
  it('posts that part anew and goes on, since nobody removed it', async () => {
    const { MessageUneditableError } = await import('../../src/core/errors.js');
    const surface = new RecordingSurface(2000, 0);
    const realEdit = surface.edit.bind(surface);
    surface.edit = async (id, text) => {
      if (id === 'm1') throw new MessageUneditableError(`cannot edit ${id}`);
      return realEdit(id, text);
    };
    const posted: string[][] = [];
    const message = new ProgressiveMessage(surface, { logger: new MemoryLogger(), onPosted: (ids) => posted.push([...ids]) });
    await message.start('…');
    await message.finish('the whole story');
    expect(message.removed).toBe(false);
    expect(message.messageIds).toEqual(['m2']);
    expect(surface.messages.get('m2')).toBe('the whole story');
    expect(posted.at(-1)).toEqual(['m2']);
  });
});
