import type { DailyClock } from '../../src/core/daily-clock.js';

/** A clock that moves only when told, firing due timers in time order as it passes them. */
export class FakeDailyClock implements DailyClock {
  private current: number;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  constructor(start: string | number) {
    this.current = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  advanceTo(target: string | number): void {
    const end = typeof target === 'number' ? target : Date.parse(target);
    for (;;) {
      let earliest: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (!earliest || entry[1].at < earliest[1].at) earliest = entry;
      if (!earliest || earliest[1].at > end) break;
      this.timers.delete(earliest[0]);
      this.current = Math.max(this.current, earliest[1].at);
      earliest[1].callback();
    }
    this.current = Math.max(this.current, end);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }
}
