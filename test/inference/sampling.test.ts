import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import {
  applyTemperature,
  checkLength,
  checkTemperature,
  drawIndex,
  MAX_TEMPERATURE,
  MIN_TEMPERATURE,
  mulberry32,
  sampleIndex,
} from '../../src/inference/sampling.js';

const P = [0.1, 0.2, 0.3, 0.4];

function frequencies(probabilities: number[], temperature: number, draws: number, seed = 1): number[] {
  const random = mulberry32(seed);
  const counts = probabilities.map(() => 0);
  for (let i = 0; i < draws; i++) counts[sampleIndex(probabilities, temperature, random)]! += 1;
  return counts.map((c) => c / draws);
}

describe('applyTemperature', () => {
  it('is the identity at T = 1 and sums to 1', () => {
    const out = applyTemperature(P, 1);
    out.forEach((v, i) => expect(v).toBeCloseTo(P[i]!, 12));
  });

  it('computes p^(1/T) / Σ p^(1/T) (log, divide, exp after subtracting the max, normalise)', () => {
    const t = 0.5;
    const powered = P.map((p) => p ** (1 / t));
    const sum = powered.reduce((a, b) => a + b, 0);
    const out = applyTemperature(P, t);
    out.forEach((v, i) => expect(v).toBeCloseTo(powered[i]! / sum, 12));
  });

  it('stays finite for tiny probabilities and low temperatures (max subtracted before exp)', () => {
    const out = applyTemperature([1e-30, 1e-20, 0], 0.1);
    expect(out[1]).toBeCloseTo(1, 9);
    expect(out[2]).toBe(0);
    expect(out.every(Number.isFinite)).toBe(true);
  });
});

describe('sampling', () => {
  it('follows the distribution at T = 1', () => {
    const f = frequencies(P, 1, 40_000);
    f.forEach((v, i) => expect(Math.abs(v - P[i]!)).toBeLessThan(0.01));
  });

  it('is nearly argmax at low temperature', () => {
    const f = frequencies(P, MIN_TEMPERATURE, 5_000);
    expect(f[3]).toBeGreaterThan(0.9);
  });

  it('flattens the distribution at high temperature', () => {
    const f = frequencies(P, MAX_TEMPERATURE, 40_000);
    expect(f[0]).toBeGreaterThan(0.15);
    expect(f[3]).toBeLessThan(0.35);
  });

  it('never draws an impossible index, even when rounding leaves the total under 1', () => {
    expect(drawIndex([0, 0.5, 0.49999, 0], () => 0.9999999)).toBe(2);
    expect(drawIndex([0, 1, 0], () => 0)).toBe(1);
  });

  it('is reproducible: same seed, same draws; another seed, other draws', () => {
    const a = Array.from({ length: 50 }, ((r) => () => sampleIndex(P, 1, r))(mulberry32(7)));
    const b = Array.from({ length: 50 }, ((r) => () => sampleIndex(P, 1, r))(mulberry32(7)));
    const c = Array.from({ length: 50 }, ((r) => () => sampleIndex(P, 1, r))(mulberry32(8)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('mulberry32 gives uniform numbers in [0, 1)', () => {
    const random = mulberry32(123);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const u = random();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sum += u;
    }
    expect(Math.abs(sum / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});

describe('limits', () => {
  it('accepts temperatures and lengths in range', () => {
    expect(checkTemperature(0.4)).toBe(0.4);
    expect(checkLength(400)).toBe(400);
  });

  it.each([0, -1, 5, Number.NaN])('refuses temperature %s with a UserError', (t) => {
    const error: unknown = (() => { try { checkTemperature(t); } catch (e) { return e; } })();
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Temperature must be a number from 0\.1 to 2/);
  });

  it.each([0, 1.5, 100_000])('refuses length %s with a UserError', (n) => {
    expect(() => checkLength(n)).toThrow(/Length must be a whole number of characters from 1 to 4000/);
  });
});
