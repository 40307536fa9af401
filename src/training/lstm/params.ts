import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';

/**
 * The trainable weights of the char LSTM, laid out exactly like the tfjs-layers model built by
 * src/inference/build-model.ts: per LSTM layer [kernel [in, 4u], recurrentKernel [u, 4u],
 * bias [4u]] with Keras' gate order (i, f, c, o), then the Dense [kernel [u, V], bias [V]].
 * `flatParams` returns them in that order, which is the order of `model.getWeights()`.
 */
export interface LstmLayerParams {
  readonly kernel: tf.Variable;
  readonly recurrent: tf.Variable;
  readonly bias: tf.Variable;
}

export interface CharLstmParams {
  readonly vocabSize: number;
  readonly units: readonly number[];
  readonly layers: readonly LstmLayerParams[];
  readonly outKernel: tf.Variable;
  readonly outBias: tf.Variable;
}

/** Shapes of every weight, in flat (export) order. */
export function paramShapes(vocabSize: number, units: readonly number[]): number[][] {
  const shapes: number[][] = [];
  units.forEach((u, i) => {
    const input = i === 0 ? vocabSize : (units[i - 1] as number);
    shapes.push([input, 4 * u], [u, 4 * u], [4 * u]);
  });
  shapes.push([units[units.length - 1] as number, vocabSize], [vocabSize]);
  return shapes;
}

export function flatParams(p: CharLstmParams): tf.Variable[] {
  return [...p.layers.flatMap((l) => [l.kernel, l.recurrent, l.bias]), p.outKernel, p.outBias];
}

/** Wrap arrays (flat order) as variables. */
export function paramsFromArrays(
  vocabSize: number,
  units: readonly number[],
  arrays: readonly Float32Array[],
): CharLstmParams {
  const shapes = paramShapes(vocabSize, units);
  if (arrays.length !== shapes.length) {
    throw new Error(`expected ${shapes.length} weight arrays, got ${arrays.length}`);
  }
  const vars = shapes.map((shape, i) => {
    const data = arrays[i] as Float32Array;
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) {
      throw new Error(`weight ${i}: expected ${size} values for [${shape.join(',')}], got ${data.length}`);
    }
    return tf.variable(tf.tensor(data, shape, 'float32'), true);
  });
  const layers: LstmLayerParams[] = units.map((_, i) => ({
    kernel: vars[3 * i] as tf.Variable,
    recurrent: vars[3 * i + 1] as tf.Variable,
    bias: vars[3 * i + 2] as tf.Variable,
  }));
  return {
    vocabSize,
    units: [...units],
    layers,
    outKernel: vars[vars.length - 2] as tf.Variable,
    outBias: vars[vars.length - 1] as tf.Variable,
  };
}

/** Copy every weight out (flat order). */
export async function paramsToArrays(p: CharLstmParams): Promise<Float32Array[]> {
  return Promise.all(flatParams(p).map(async (v) => (await v.data()) as Float32Array));
}

export function disposeParams(p: CharLstmParams): void {
  flatParams(p).forEach((v) => v.dispose());
}

/**
 * Keras' defaults, drawn from our own seeded generator so a run is reproducible: Glorot-uniform
 * kernels, orthogonal recurrent kernels, zero biases except the forget gate's, which starts at 1
 * (unitForgetBias) so early gradients flow through time.
 */
export function initParams(vocabSize: number, units: readonly number[], rng: Rng): CharLstmParams {
  const shapes = paramShapes(vocabSize, units);
  const arrays = shapes.map((shape, i) => {
    const isOutput = i >= 3 * units.length;
    const role = isOutput ? (i === shapes.length - 2 ? 'kernel' : 'bias') : (['kernel', 'recurrent', 'bias'] as const)[i % 3];
    if (role === 'kernel') return glorotUniform(shape[0] as number, shape[1] as number, rng);
    if (role === 'recurrent') return orthogonal(shape[0] as number, shape[1] as number, rng);
    const bias = new Float32Array(shape[0] as number);
    if (!isOutput) {
      const u = (shape[0] as number) / 4;
      bias.fill(1, u, 2 * u);
    }
    return bias;
  });
  return paramsFromArrays(vocabSize, units, arrays);
}

function glorotUniform(fanIn: number, fanOut: number, rng: Rng): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const out = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < out.length; i++) out[i] = (rng.next() * 2 - 1) * limit;
  return out;
}

/** rows × cols matrix with orthonormal rows (rows ≤ cols), by Gram–Schmidt on Gaussian rows. */
function orthogonal(rows: number, cols: number, rng: Rng): Float32Array {
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = rng.normal();
  for (let r = 0; r < rows; r++) {
    const row = m.subarray(r * cols, (r + 1) * cols);
    for (let p = 0; p < r; p++) {
      const prev = m.subarray(p * cols, (p + 1) * cols);
      let dot = 0;
      for (let k = 0; k < cols; k++) dot += (row[k] as number) * (prev[k] as number);
      for (let k = 0; k < cols; k++) row[k] = (row[k] as number) - dot * (prev[k] as number);
    }
    let norm = 0;
    for (let k = 0; k < cols; k++) norm += (row[k] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < cols; k++) row[k] = (row[k] as number) / norm;
  }
  return Float32Array.from(m);
}
