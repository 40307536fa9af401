import { describe, expect, it } from 'vitest';
import {
  encodeFloat16,
  FLOAT16_MAX,
  Float16RangeError,
  float16BitsToNumber,
  float32ToFloat16Bits,
  roundToFloat16,
} from '../../src/inference/float16.js';

const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
const encode = (value: number) => hex(float32ToFloat16Bits(value));
const isNaNBits = (bits: number) => (bits & 0x7c00) === 0x7c00 && (bits & 0x03ff) !== 0;

/**
 * An oracle that shares no code with the encoder: every finite positive half, sorted, and a
 * nearest search on the float32 value with ties going to the even bit pattern.
 */
const positiveHalves = Array.from({ length: 0x7c00 }, (_, bits) => float16BitsToNumber(bits));
function nearestHalfBits(value: number): number {
  const x = Math.fround(value);
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(x);
  // Past 65504 + half an ulp (65520) IEEE rounding overflows to Infinity.
  if (magnitude >= 65520) return sign | 0x7c00;
  let lo = 0;
  let hi = positiveHalves.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((positiveHalves[mid] as number) <= magnitude) lo = mid;
    else hi = mid;
  }
  const below = magnitude - (positiveHalves[lo] as number);
  const above = (positiveHalves[hi] as number) - magnitude;
  const bits = below < above ? lo : above < below ? hi : lo % 2 === 0 ? lo : hi;
  return sign | bits;
}

describe('float32ToFloat16Bits', () => {
  it('encodes exactly representable values to their known bit patterns', () => {
    expect(encode(0)).toBe('0x0000');
    expect(encode(-0)).toBe('0x8000');
    expect(encode(1)).toBe('0x3c00');
    expect(encode(-2)).toBe('0xc000');
    expect(encode(0.5)).toBe('0x3800');
    expect(encode(0.333251953125)).toBe('0x3555');
    expect(encode(FLOAT16_MAX)).toBe('0x7bff');
    expect(encode(-FLOAT16_MAX)).toBe('0xfbff');
    expect(encode(2 ** -14)).toBe('0x0400'); // smallest normal
  });

  it('rounds to nearest, ties to even', () => {
    expect(encode(1 / 3)).toBe('0x3555');
    expect(encode(0.1)).toBe('0x2e66');
    // 1 + 2⁻¹¹ lies halfway between 1 (even mantissa) and 1 + 2⁻¹⁰: stays at 1.
    expect(encode(1 + 2 ** -11)).toBe('0x3c00');
    // 1 + 3·2⁻¹¹ lies halfway between mantissa 1 (odd) and 2 (even): goes up to 2.
    expect(encode(1 + 3 * 2 ** -11)).toBe('0x3c02');
    // Just past halfway rounds up.
    expect(encode(1 + 2 ** -11 + 2 ** -20)).toBe('0x3c01');
    expect(encode(-(1 + 2 ** -11 + 2 ** -20))).toBe('0xbc01');
    // A carry out of the mantissa moves to the next binade: 2 − 2⁻¹² rounds to 2.
    expect(encode(2 - 2 ** -12)).toBe('0x4000');
  });

  it('overflows to ±Infinity past the half range and keeps infinities', () => {
    expect(encode(65519)).toBe('0x7bff'); // below 65520, the halfway point to the next binade
    expect(encode(65520)).toBe('0x7c00'); // halfway, ties to even (the Infinity pattern)
    expect(encode(1e6)).toBe('0x7c00');
    expect(encode(-1e30)).toBe('0xfc00');
    expect(encode(Infinity)).toBe('0x7c00');
    expect(encode(-Infinity)).toBe('0xfc00');
    expect(float16BitsToNumber(0x7c00)).toBe(Infinity);
    expect(float16BitsToNumber(0xfc00)).toBe(-Infinity);
  });

  it('keeps NaN a NaN', () => {
    expect(isNaNBits(float32ToFloat16Bits(NaN))).toBe(true);
    expect(Number.isNaN(float16BitsToNumber(float32ToFloat16Bits(NaN)))).toBe(true);
    expect(Number.isNaN(roundToFloat16(new Float32Array([NaN]))[0])).toBe(true);
  });

  it('encodes subnormals and underflows to signed zero', () => {
    expect(encode(2 ** -24)).toBe('0x0001'); // smallest subnormal
    expect(encode(-(2 ** -24))).toBe('0x8001');
    expect(encode(1023 * 2 ** -24)).toBe('0x03ff'); // largest subnormal
    expect(encode(3 * 2 ** -24)).toBe('0x0003');
    // 2⁻²⁵ is halfway between 0 (even) and the smallest subnormal: 0. A bit more rounds up.
    expect(encode(2 ** -25)).toBe('0x0000');
    expect(encode(2 ** -25 + 2 ** -35)).toBe('0x0001');
    expect(encode(-(2 ** -26))).toBe('0x8000');
    // 1.5 and 2.5 subnormal steps: ties to the even step, 2 both times.
    expect(encode(1.5 * 2 ** -24)).toBe('0x0002');
    expect(encode(2.5 * 2 ** -24)).toBe('0x0002');
    // Halfway between the largest subnormal and the smallest normal goes to the even one (normal).
    expect(encode(1023.5 * 2 ** -24)).toBe('0x0400');
    // float32 subnormals are far below the half range.
    expect(encode(1e-40)).toBe('0x0000');
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24);
    expect(float16BitsToNumber(0x83ff)).toBe(-1023 * 2 ** -24);
  });

  it('round-trips every one of the 65536 half bit patterns', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const back = float32ToFloat16Bits(float16BitsToNumber(bits));
      if (isNaNBits(bits)) expect(isNaNBits(back)).toBe(true);
      else if (back !== bits) expect(hex(back)).toBe(hex(bits));
    }
  });

  it('agrees with a nearest-value search on values of every scale', () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const scratch = new Float32Array(1);
    const words = new Uint32Array(scratch.buffer);
    for (let i = 0; i < 20000; i++) {
      // Random float32 bit patterns from 2⁻³⁰ to 2¹⁷ (subnormal halves, normals, overflow).
      words[0] = ((97 + Math.floor(random() * 48)) << 23) | Math.floor(random() * 0x800000) | (random() < 0.5 ? 0x80000000 : 0);
      const value = scratch[0] as number;
      const got = float32ToFloat16Bits(value);
      const want = nearestHalfBits(value);
      if (got !== want) expect(`${value}: ${hex(got)}`).toBe(`${value}: ${hex(want)}`);
    }
    // Exact ties between neighbouring halves (the midpoints themselves) go to the even pattern.
    for (let bits = 0; bits < 0x7bff; bits += 37) {
      const midpoint = ((positiveHalves[bits] as number) + (positiveHalves[bits + 1] as number)) / 2;
      expect(float32ToFloat16Bits(midpoint)).toBe(bits % 2 === 0 ? bits : bits + 1);
    }
  });
});

describe('encodeFloat16', () => {
  it('writes little-endian halves, two bytes per value', () => {
    const bytes = encodeFloat16(new Float32Array([1, -2, FLOAT16_MAX, 2 ** -24]));
    expect(Array.from(bytes)).toEqual([0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00]);
  });

  it('refuses values beyond ±65504 and says which', () => {
    expect(() => encodeFloat16(new Float32Array([0, 65504, -65504]))).not.toThrow();
    const cases: Array<[number, number]> = [[65505, 1], [-70000, 2], [Infinity, 0]];
    for (const [value, index] of cases) {
      const values = new Float32Array(3);
      values[index] = value;
      const error: unknown = (() => {
        try {
          encodeFloat16(values);
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(Float16RangeError);
      expect((error as Float16RangeError).index).toBe(index);
      expect((error as Float16RangeError).value).toBe(value);
      expect((error as Error).message).toMatch(/outside float16's range ±65504/);
    }
  });
});

describe('roundToFloat16', () => {
  it('gives the values a float16 round trip stores, within half an ulp (2⁻¹¹ relative)', () => {
    const values = new Float32Array([0.1, -0.7, 3.14159, 1e-3, 123.456, 2 ** -20]);
    const rounded = roundToFloat16(values);
    expect(rounded[0]).toBe(0.0999755859375);
    values.forEach((v, i) => {
      expect(float32ToFloat16Bits(rounded[i] as number)).toBe(float32ToFloat16Bits(v));
      if (Math.abs(v) >= 2 ** -14) expect(Math.abs((rounded[i] as number) - v) / Math.abs(v)).toBeLessThanOrEqual(2 ** -11);
    });
  });
});
