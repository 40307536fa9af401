import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's CommonJS build registers no gradients; tfjs-layers registers them all (global registry).
import '@tensorflow/tfjs-layers';
import { chunkLoss, correctCount, forwardChunk, type LstmState } from './forward.js';
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
 * One truncated-BPTT step: forward the chunk from `state`, backpropagate within the chunk, clip the
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
  let nextState: LstmState | undefined;
  let correctT: tf.Scalar | undefined;
  const inputsT = tf.tensor1d(input.inputs, 'int32');
  const targetsT = tf.tensor1d(input.targets, 'int32');
  const { value, grads } = tf.variableGrads(() => {
    const out = forwardChunk(params, inputsT, input.batch, state);
    nextState = { h: out.state.h.map((t) => tf.keep(t)), c: out.state.c.map((t) => tf.keep(t)) };
    correctT = tf.keep(correctCount(out.logits, targetsT));
    return chunkLoss(out.logits, targetsT, params.vocabSize);
  }, vars);
  inputsT.dispose();
  targetsT.dispose();
  const gradList = vars.map((v) => grads[v.name] as tf.Tensor);
  const normT = tf.tidy(() => {
    const squares = gradList.map((g) => tf.sum(tf.square(g)));
    const total = tf.sqrt(tf.addN(squares));
    return options.injectNaN ? tf.mul(total, NaN) : total;
  });
  const [loss, gradNorm, correct] = [value.dataSync()[0], normT.dataSync()[0], (correctT as tf.Scalar).dataSync()[0]] as [
    number,
    number,
    number,
  ];
  value.dispose();
  normT.dispose();
  (correctT as tf.Scalar).dispose();
  const finite = Number.isFinite(loss) && Number.isFinite(gradNorm);
  if (finite) {
    const scale = gradNorm > options.clipNorm ? options.clipNorm / gradNorm : 1;
    adam.apply(vars, gradList, options.learningRate, scale);
  }
  gradList.forEach((g) => g.dispose());
  return {
    loss: finite ? loss : NaN,
    correct,
    gradNorm,
    state: nextState as LstmState,
    applied: finite,
  };
}

/** Forward only: summed cross-entropy (nats) and correct count for a chunk, for validation. */
export function evalStep(
  params: CharLstmParams,
  input: StepInput,
  state: LstmState,
): { lossSum: number; correct: number; state: LstmState } {
  let nextState: LstmState | undefined;
  const [lossSum, correct] = tf.tidy(() => {
    const inputsT = tf.tensor1d(input.inputs, 'int32');
    const targetsT = tf.tensor1d(input.targets, 'int32');
    const out = forwardChunk(params, inputsT, input.batch, state);
    nextState = { h: out.state.h.map((t) => tf.keep(t)), c: out.state.c.map((t) => tf.keep(t)) };
    const n = input.targets.length;
    const loss = tf.mul(chunkLoss(out.logits, targetsT, params.vocabSize), n);
    return [loss.dataSync()[0] as number, correctCount(out.logits, targetsT).dataSync()[0] as number];
  });
  return { lossSum, correct, state: nextState as LstmState };
}
