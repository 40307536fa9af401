import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelWriteBudget, WRITE_BUDGET_DEFAULTS } from '../../../src/adapters/discord/write-budget.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Starts a write that takes `ms` to complete and records when it was sent. */
function writeAt(budget: ChannelWriteBudget, sent: number[], channel = 'c1', editKey?: string, ms = 10): Promise<void> {
  return budget.write(channel, editKey, async () => {
    sent.push(Date.now());
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

describe('the per-channel write budget (Discord defaults)', () => {
  it('lets 5 writes go at once, then the 6th a window after the first finished', async () => {
    const budget = new ChannelWriteBudget();
    const sent: number[] = [];
    const all = Array.from({ length: 7 }, () => writeAt(budget, sent));
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(WRITE_BUDGET_DEFAULTS).toEqual({ writesPerWindow: 5, windowMs: 5000, messageIntervalMs: 1000 });
    expect(sent).toEqual([0, 0, 0, 0, 0, 5010, 5010]);
  });

  it('keeps channels apart', async () => {
    const budget = new ChannelWriteBudget();
    const a: number[] = [];
    const b: number[] = [];
    const all = [...Array.from({ length: 6 }, () => writeAt(budget, a, 'a')), writeAt(budget, b, 'b')];
    await vi.runAllTimersAsync();
    await Promise.all(all);
    expect(a.at(-1)).toBe(5010);
    expect(b).toEqual([0]);
  });

  it('spaces edits of one message by a second after the previous one finished', async () => {
    const budget = new ChannelWriteBudget();
    const sent: number[] = [];
    const first = writeAt(budget, sent, 'c1', 'm1', 100);
    await vi.advanceTimersByTimeAsync(200);
    const second = writeAt(budget, sent, 'c1', 'm1');
    const other = writeAt(budget, sent, 'c1', 'm2');
    await vi.runAllTimersAsync();
    await Promise.all([first, second, other]);
    expect(sent).toEqual([0, 1100, 1100]);
  });

  it('holds the whole channel for a 429’s retry_after', async () => {
    const budget = new ChannelWriteBudget();
    const sent: number[] = [];
    budget.pause('c1', 700);
    const write = writeAt(budget, sent);
    const elsewhere = writeAt(budget, sent, 'c2');
    expect(budget.waitingIn('c1')).toBe(1);
    await vi.runAllTimersAsync();
    await Promise.all([write, elsewhere]);
    expect(sent).toEqual([0, 700]);
  });

  it('a failed write still frees its place in the line', async () => {
    const budget = new ChannelWriteBudget({ writesPerWindow: 1, windowMs: 100 });
    const failing = budget.write('c1', undefined, () => Promise.reject(new Error('Missing Access')));
    await expect(failing).rejects.toThrow('Missing Access');
    const sent: number[] = [];
    const next = writeAt(budget, sent);
    await vi.runAllTimersAsync();
    await next;
    expect(sent).toEqual([100]);
  });
});
