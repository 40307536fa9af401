/** Time as the daily scheduler sees it; tests substitute a fake that they advance by hand. */
export interface DailyClock {
  now(): number;
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * Wall clock and Node timers. Timers are unref'd: a pending daily story must not keep a process
 * alive that has otherwise finished (the terminal adapter exits at end of input).
 */
export const systemDailyClock: DailyClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
