import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/core/rate-limiter.js';

describe('RateLimiter', () => {
  it('limits each user to their jobs per minute and lets them in again once the minute has passed', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter(2, () => now);
    expect(limiter.take('u1')).toBe(0);
    now += 10_000;
    expect(limiter.take('u1')).toBe(0);
    expect(limiter.take('u1')).toBe(50_000);
    expect(limiter.take('u2')).toBe(0);
    now += 50_000;
    expect(limiter.take('u1')).toBe(0);
  });

  it('forgets users idle for a minute, so a large public server does not grow its memory forever', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    // A day's worth of distinct users, each asking once, a few per second.
    for (let user = 0; user < 50_000; user++) {
      now += 300;
      limiter.take(`discord:guild:user-${user}`);
    }
    // Only the users of roughly the last minute (200), plus what has piled up since the last sweep.
    expect(limiter.trackedKeys).toBeLessThan(2_100);
  });

  it('still limits a busy user across sweeps', () => {
    let now = 0;
    const limiter = new RateLimiter(1, () => now);
    expect(limiter.take('busy')).toBe(0);
    for (let user = 0; user < 5_000; user++) limiter.take(`other-${user}`);
    now += 1_000;
    expect(limiter.take('busy')).toBe(59_000);
  });

  it('a refund gives the allowance back and forgets a user with nothing left in the window', () => {
    const limiter = new RateLimiter(1, () => 0);
    expect(limiter.take('u1')).toBe(0);
    limiter.refund('u1');
    expect(limiter.trackedKeys).toBe(0);
    expect(limiter.take('u1')).toBe(0);
  });
});
