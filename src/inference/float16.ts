/**
 * IEEE 754 half precision (binary16) encoding of float32 weights, so a model can be stored at two
 * bytes per weight. tfjs only decodes half floats (io.decodeWeights); writing them is ours.
 */

/** The largest finite half: (2 − 2⁻¹⁰) · 2¹⁵. */
export const FLOAT16_MAX = 65504;

// One shared scratch word: reading a float32's bits without allocating per value.
const scratchFloat = new Float32Array(1);
const scratchBits = new Uint32Array(scratchFloat.buffer);

/**
 * The half-precision bit pattern nearest to `value` (as a float32), rounding ties to even, as
 * hardware does. Beyond the half range it gives ±Infinity, below it subnormals and then ±0; NaN
 * stays a (quiet) NaN. Doubles are first rounded to float32, the precision weights live in.
 */
export function float32ToFloat16Bits(value: number): number {
  scratchFloat[0] = value;
  const bits = scratchBits[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) {
    // Infinity keeps an empty mantissa; NaN keeps its top payload bits and is forced quiet.
    return mantissa === 0 ? sign | 0x7c00 : sign | 0x7e00 | (mantissa >>> 13);
  }
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;

  if (halfExponent <= 0) {
    // Subnormal half: value = m · 2⁻²⁴, so m is the 24-bit significand shifted right by 14 − e.
    const shift = 14 - halfExponent;
    if (shift > 24) return sign; // below half the smallest subnormal (2⁻²⁵): rounds to ±0
    const significand = mantissa | 0x800000;
    const kept = significand >>> shift;
    const rest = significand & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    // Rounding up from 0x3ff carries into the exponent field: the smallest normal, as it should.
    return sign | (kept + (rest > halfway || (rest === halfway && (kept & 1) === 1) ? 1 : 0));
  }

  const truncated = sign | (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa bumps the exponent, and out of 65504 it lands on Infinity (0x7c00).
  return truncated + (rest > 0x1000 || (rest === 0x1000 && (truncated & 1) === 1) ? 1 : 0);
}

/** The value a half-precision bit pattern stands for. */
export function float16BitsToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** A weight outside the finite half range: storing it as float16 would turn it into ±Infinity. */
export class Float16RangeError extends RangeError {
  constructor(
    readonly index: number,
    readonly value: number,
  ) {
    super(`value ${value} at index ${index} is outside float16's range ±${FLOAT16_MAX}`);
    this.name = 'Float16RangeError';
  }
}

/**
 * Encodes float32 values as little-endian halves (the byte order tfjs reads on every platform it
 * runs on). Throws Float16RangeError for any |x| > 65504, ±Infinity included, rather than store
 * a weight that would come back as Infinity. NaN passes through as NaN, as it would at float32.
 */
export function encodeFloat16(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    const value = values[i] ?? 0;
    if (Math.abs(value) > FLOAT16_MAX) throw new Float16RangeError(i, value);
    view.setUint16(i * 2, float32ToFloat16Bits(value), true);
  }
  return bytes;
}

/** The values as they come back after a float16 round trip (what a float16 model computes with). */
export function roundToFloat16(values: Float32Array): Float32Array {
  const rounded = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) rounded[i] = float16BitsToNumber(float32ToFloat16Bits(values[i] ?? 0));
  return rounded;
}
