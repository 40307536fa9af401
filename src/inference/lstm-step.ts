import * as tf from '@tensorflow/tfjs-core';
import type { GateWeights, StepWeights } from './lstm-weights.js';

/** h and c of every LSTM layer for B rows: h[l] and c[l] are [B, units_l]. */
export interface LstmState {
  readonly h: readonly tf.Tensor2D[];
  readonly c: readonly tf.Tensor2D[];
}

export interface StepResult {
  /** Softmax output, [B, vocab]. */
  readonly probabilities: tf.Tensor2D;
  readonly state: LstmState;
}

/**
 * One character for each of B rows: the layers model's LSTM maths for one timestep (Keras gates,
 * sigmoid recurrent activation, tanh activations). Shaped for the wasm backend, where per-op
 * overhead and strided copies cost more than arithmetic:
 * - one product per gate over [x, h] with bias and sigmoid fused in, and no slicing;
 * - tanh as 2σ(2z) − 1 (the doubled cell kernel gives σ(2z) straight from its product);
 * - no matMul with transposeA/B (an order of magnitude slower on wasm).
 * Up to FUSED_GATES_MAX_ROWS rows, the four gates come from one product over the side-by-side
 * kernel and four slices: there a step costs mostly the fixed overhead of each product, and one
 * product instead of four takes a lone job from ~0.76 to ~0.65 ms per character (2×560). With more
 * rows the slices become strided copies that cost more than the products saved, so each gate gets
 * its own product. Either way each output element is the same dot product over the same inputs,
 * so a row's numbers do not depend on B or on the path, which is what lets a job yield the same
 * text alone or batched (tested). Returns new tensors and leaves the given state alone: the caller
 * disposes what it replaces.
 */
export const FUSED_GATES_MAX_ROWS = 4;

export function lstmStep(weights: StepWeights, oneHot: tf.Tensor2D, state: LstmState): StepResult {
  return tf.tidy(() => {
    const { one, two } = weights;
    const h: tf.Tensor2D[] = [];
    const c: tf.Tensor2D[] = [];
    const fusedGates = oneHot.shape[0] <= FUSED_GATES_MAX_ROWS;
    let below: tf.Tensor2D = oneHot;
    weights.layers.forEach((layer, l) => {
      const x = tf.concat([below, state.h[l]!], 1);
      const gate = (g: GateWeights) =>
        tf.fused.matMul({ a: x, b: g.kernel, bias: g.bias, activation: 'sigmoid' }) as tf.Tensor2D;
      // cellHalf = (tanh(z_c) + 1) / 2
      const [i, f, o, cellHalf] = fusedGates
        ? (tf.split(gate(layer.allGates), 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D])
        : [gate(layer.input), gate(layer.forget), gate(layer.output), gate(layer.cellDoubled)];
      // c' = f ⊙ c + i ⊙ tanh(z_c)
      const cNext = tf.add(tf.mul(f, state.c[l]!), tf.mul(i, tf.sub(tf.mul(cellHalf, two), one))) as tf.Tensor2D;
      // h' = o ⊙ tanh(c') = o ⊙ (2σ(2c') − 1)
      const hNext = tf.mul(o, tf.sub(tf.mul(tf.sigmoid(tf.mul(cNext, two)), two), one)) as tf.Tensor2D;
      h.push(hNext);
      c.push(cNext);
      below = hNext;
    });
    const logits = tf.fused.matMul({ a: below, b: weights.denseKernel, bias: weights.denseBias });
    return { probabilities: tf.softmax(logits) as tf.Tensor2D, state: { h, c } };
  });
}

/** Zero state for B rows, the layers model's initial state. */
export function zeroState(weights: StepWeights, rows: number): LstmState {
  return {
    h: weights.layers.map((l) => tf.zeros([rows, l.units]) as tf.Tensor2D),
    c: weights.layers.map((l) => tf.zeros([rows, l.units]) as tf.Tensor2D),
  };
}

export function disposeState(state: LstmState): void {
  tf.dispose([...state.h, ...state.c]);
}
