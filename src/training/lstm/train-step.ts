import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's CommonJS build registers no gradients; tfjs-layers registers them all (global registry).
import '@tensorflow/tfjs-layers';
import type { LstmState } from './forward.js';
import { runChunk } from './manual-step.js';
import { flatParams, type CharLstmParams } from './params.js';
import type { Adam } from './adam.js';

export interface StepInput {
  /** Time-major ids [T·B]: row t*batch + b. */
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly batch: number;
}

export interface StepResult {
  /** Mean cross-entropy in nats; NaN/Inf when the step went wrong (then nothing was applied). */
  readonly loss: number;
  readonly correct: number;
  readonly gradNorm: number;
  /** State after the chunk, detached from the tape; the caller owns it. */
  readonly state: LstmState;
  readonly applied: boolean;
}

export interface StepOptions {
  readonly learningRate: number;
  readonly clipNorm: number;
  /** Test hook: poison the gradients of this step with NaN, as a numerical blow-up would. */
  readonly injectNaN?: boolean;
}

/**
 * One truncated-BPTT step: forward the chunk from `state`, backpropagate within the chunk (by the
 * hand-written pass in manual-step.ts), clip the
 * global gradient norm, and apply Adam — unless the loss or gradient is not finite, in which case
 * the weights are left untouched and the caller decides (roll back, lower the learning rate).
 */
export function trainStep(
  params: CharLstmParams,
  adam: Adam,
  input: StepInput,
  state: LstmState,
  options: StepOptions,
): StepResult {
  const vars = flatParams(params);
  const result = runChunk(params, input, state, true);
  const grads = result.grads as tf.Tensor[];
  const normT = tf.tidy(() => {
    const total = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
    return options.injectNaN ? tf.mul(total, NaN) : total;
  });
  const loss = result.loss.dataSync()[0] as number;
  const gradNorm = normT.dataSync()[0] as number;
  const correct = result.correct.dataSync()[0] as number;
  tf.dispose([result.loss, result.correct, normT]);
  const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (finite) {
    const scale = gradNorm > options.clipNorm ? options.clipNorm / gradNorm : 1;
    adam.apply(vars, grads, options.learningRate, scale);
  }
  tf.dispose(grads);
  return { loss: finite ? loss : NaN, correct, gradNorm, state: result.state, applied: finite };
}

/** Forward only: summed cross-entropy (nats) and correct count for a chunk, for validation. */
export function evalStep(
  params: CharLstmParams,
  input: StepInput,
  state: LstmState,
): { lossSum: number; correct: number; state: LstmState } {
  const result = runChunk(params, input, state, false);
  const lossSum = (result.loss.dataSync()[0] as number) * input.targets.length;
  const correct = result.correct.dataSync()[0] as number;
  tf.dispose([result.loss, result.correct]);
  return { lossSum, correct, state: result.state };
}
