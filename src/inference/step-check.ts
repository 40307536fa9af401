import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { StepWeights } from './lstm-weights.js';
import { StatefulBatch } from './stateful-session.js';

/** Largest difference of probabilities tolerated at start (GPU kernels round differently). */
export const STEP_CHECK_TOLERANCE = 1e-3;

/**
 * Runs a short prefix through the layers model and through the stateful step and returns the
 * largest difference of their probabilities. Done once per model at start, on the backend that
 * will serve it, so a backend whose kernels disagree (an activation it fuses differently, a
 * precision it lowers) is caught before it writes a story, not after.
 */
export function stepDisagreement(model: LayersModel, weights: StepWeights, prefixLength = 8): number {
  const vocab = weights.vocabSize;
  const prefix = Array.from({ length: prefixLength }, (_, i) => (i * 7 + 3) % vocab);
  const expected = tf.tidy(() => {
    const x = tf.cast(tf.oneHot(tf.tensor2d([prefix], [1, prefix.length], 'int32'), vocab), 'float32');
    return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
  const batch = new StatefulBatch(weights);
  batch.addRows(1);
  let worst = 0;
  try {
    prefix.forEach((id, t) => {
      const p = batch.step(Int32Array.of(id));
      for (let j = 0; j < vocab; j++) worst = Math.max(worst, Math.abs(p[j]! - expected[t * vocab + j]!));
    });
  } finally {
    batch.dispose();
  }
  return Number.isNaN(worst) ? Infinity : worst;
}
