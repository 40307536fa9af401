import * as tf from '@tensorflow/tfjs-core';
import { lstmCell, lstmCellKernelAvailable } from './lstm-cell-kernel.js';
import type { GateWeights, StepLayer, StepWeights } from './lstm-weights.js';

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
 * How the cell update after the gate products is computed: `kernel`, one custom kernel per layer
 * (lstm-cell-kernel.ts; wasm and cpu), or `ops`, tfjs element-wise ops (any backend: tfjs-node).
 */
export type CellMode = 'kernel' | 'ops';

/** The mode the active backend runs best. */
export function defaultCellMode(): CellMode {
  return lstmCellKernelAvailable() ? 'kernel' : 'ops';
}

/**
 * With the kernel, up to FUSED_GATES_MAX_ROWS rows take their four gates from one product over the
 * side-by-side kernel: a step of a few rows costs mostly the fixed overhead of each product, so one
 * instead of four saves ~0.1 ms a character on the shipped 2×560 model. With more rows four
 * narrower products are quicker. Each output element is the same dot product either way, and the
 * kernel reads the gates where they lie, so a row's numbers do not depend on B.
 */
export const FUSED_GATES_MAX_ROWS = 4;

/**
 * One character for each of B rows: the layers model's LSTM maths for one timestep (Keras gates,
 * sigmoid recurrent activation, tanh activations). Shaped for the wasm backend, where per-op
 * overhead and strided copies cost more than arithmetic:
 * - products over [x, h] with bias and sigmoid fused in, never sliced apart afterwards;
 * - tanh(z_c) as 2σ(2z_c) − 1 (the doubled cell kernel gives σ(2z_c) straight from its product);
 * - no matMul with transposeA/B (an order of magnitude slower on wasm).
 * Every row is computed by the same kernels in the same order whatever B is, which is what lets a
 * job yield the same text alone or batched (tested). `kernel` mode expects the kernel registered
 * (StatefulBatch does it once). Returns new tensors and leaves the given state alone: the caller
 * disposes what it replaces.
 */
export function lstmStep(
  weights: StepWeights,
  oneHot: tf.Tensor2D,
  state: LstmState,
  mode: CellMode,
): StepResult {
  return tf.tidy(() => {
    const h: tf.Tensor2D[] = [];
    const c: tf.Tensor2D[] = [];
    const rows = oneHot.shape[0];
    let below: tf.Tensor2D = oneHot;
    weights.layers.forEach((layer, l) => {
      const x = tf.concat([below, state.h[l]!], 1);
      const [hNext, cNext] =
        mode === 'ops' ? cellByOps(weights, layer, x, state.c[l]!)
        : rows <= FUSED_GATES_MAX_ROWS ? cellByKernelFused(layer, x, state.c[l]!)
        : cellByKernelPerGate(layer, x, state.c[l]!);
      h.push(hNext);
      c.push(cNext);
      below = hNext;
    });
    const logits = tf.fused.matMul({ a: below, b: weights.denseKernel, bias: weights.denseBias });
    return { probabilities: tf.softmax(logits) as tf.Tensor2D, state: { h, c } };
  });
}

function gate(x: tf.Tensor2D, g: GateWeights): tf.Tensor2D {
  return tf.fused.matMul({ a: x, b: g.kernel, bias: g.bias, activation: 'sigmoid' }) as tf.Tensor2D;
}

function cellByKernelFused(layer: StepLayer, x: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const gates = gate(x, layer.allGates);
  const u = layer.units;
  return lstmCell({ input: gates, forget: gates, output: gates, cellHalf: gates, c, offsets: [0, u, 2 * u, 3 * u], stride: 4 * u });
}

function cellByKernelPerGate(layer: StepLayer, x: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  return lstmCell({
    input: gate(x, layer.input),
    forget: gate(x, layer.forget),
    output: gate(x, layer.output),
    cellHalf: gate(x, layer.cellDoubled),
    c,
    offsets: [0, 0, 0, 0],
    stride: layer.units,
  });
}

function cellByOps(weights: StepWeights, layer: StepLayer, x: tf.Tensor2D, c: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const { one, two } = weights;
  const i = gate(x, layer.input);
  const f = gate(x, layer.forget);
  const o = gate(x, layer.output);
  const cellHalf = gate(x, layer.cellDoubled); // (tanh(z_c) + 1) / 2
  // c' = f ⊙ c + i ⊙ tanh(z_c)
  const cNext = tf.add(tf.mul(f, c), tf.mul(i, tf.sub(tf.mul(cellHalf, two), one))) as tf.Tensor2D;
  // h' = o ⊙ tanh(c') = o ⊙ (2σ(2c') − 1)
  const hNext = tf.mul(o, tf.sub(tf.mul(tf.sigmoid(tf.mul(cNext, two)), two), one)) as tf.Tensor2D;
  return [hNext, cNext];
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
