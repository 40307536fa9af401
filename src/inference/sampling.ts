import { UserError } from '../core/errors.js';

/**
 * Pure sampling, as in the original work: log-probabilities divided by the temperature,
 * exponentiated (after subtracting the maximum, for range), normalised, one multinomial draw.
 */

export const MIN_TEMPERATURE = 0.1;
export const MAX_TEMPERATURE = 2;
export const MIN_LENGTH = 1;
export const MAX_LENGTH = 4000;

export function checkTemperature(temperature: number): number {
  if (!Number.isFinite(temperature) || temperature < MIN_TEMPERATURE || temperature > MAX_TEMPERATURE) {
    throw new UserError(
      `Temperature must be a number from ${MIN_TEMPERATURE} to ${MAX_TEMPERATURE} (low is safe and repetitive, 1 is the model as trained, high is wild); got ${String(temperature)}.`,
      'bad-option',
    );
  }
  return temperature;
}

export function checkLength(length: number): number {
  if (!Number.isInteger(length) || length < MIN_LENGTH || length > MAX_LENGTH) {
    throw new UserError(
      `Length must be a whole number of characters from ${MIN_LENGTH} to ${MAX_LENGTH}; got ${String(length)}.`,
      'bad-option',
    );
  }
  return length;
}

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a small, fast 32-bit PRNG. One per job, so a job's draws do not depend on what else
 * shares its batch. Same seed → same sequence on every platform (integer maths only).
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random seed for jobs that did not ask for one (32-bit, so it can be logged and replayed). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}

/**
 * Reweights a probability row by temperature into `out` (float64, same length) and returns it:
 * p_i^(1/T) / Σ p_j^(1/T), computed as exp(log(p_i)/T − max) for range.
 */
export function applyTemperature(
  probabilities: ArrayLike<number>,
  temperature: number,
  out: Float64Array = new Float64Array(probabilities.length),
): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < probabilities.length; i++) {
    // log(0) = -Infinity: a character the model rules out stays ruled out.
    const scaled = Math.log(probabilities[i] ?? 0) / temperature;
    out[i] = scaled;
    if (scaled > max) max = scaled;
  }
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const e = Math.exp((out[i] ?? 0) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < probabilities.length; i++) out[i] = (out[i] ?? 0) / sum;
  return out;
}

/** One multinomial draw: the index whose cumulative weight first passes a uniform number. */
export function drawIndex(weights: ArrayLike<number>, random: Random): number {
  const u = random();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (w <= 0) continue;
    cumulative += w;
    last = i;
    if (u < cumulative) return i;
  }
  // Rounding can leave the total a hair under 1: the last possible index takes the remainder.
  return last;
}

/** Temperature, then one draw: the next character's index. */
export function sampleIndex(
  probabilities: ArrayLike<number>,
  temperature: number,
  random: Random,
  scratch?: Float64Array,
): number {
  return drawIndex(applyTemperature(probabilities, temperature, scratch), random);
}
