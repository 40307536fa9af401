import { describe, expect, it } from 'vitest';
import { SlidingRate } from '../../src/metrics/chars-rate.js';

describe('SlidingRate', () => {
  it('averages what was added within the window and forgets older seconds', () => {
    let now = 1_000_000;
    const rate = new SlidingRate(10, () => now);
    expect(rate.perSecond()).toBe(0);
    rate.add(50);
    now += 400;
    rate.add(50);
    expect(rate.perSecond()).toBe(10);
    now += 5_000;
    rate.add(100);
    expect(rate.perSecond()).toBe(20);
    now += 5_000; // the first second has left the window
    expect(rate.perSecond()).toBe(10);
    now += 20_000; // a slot reused after wrapping round starts from zero
    rate.add(7);
    expect(rate.perSecond()).toBeCloseTo(0.7);
  });
});
