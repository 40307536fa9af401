import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The weights of a char-LSTM, taken out of the layers model once and laid out for the stateful
 * step (see lstm-step.ts for why this layout):
 * - each layer's input kernel W and recurrent kernel U are stacked, [W; U], so [x, h] · [W; U] is
 *   one product; layer 0's x is the one-hot character, so its W has one row per vocabulary entry;
 * - Keras' fused gate columns (input, forget, cell, output) are split into one kernel per gate, so
 *   no gate is ever sliced out of a wider product (slicing costs more than the product on wasm);
 * - the cell gate's kernel and bias are doubled, so a sigmoid yields it: tanh(z) = 2σ(2z) − 1
 *   (the backend's sigmoid is vectorised, its tanh is not);
 * - the same four gate kernels are also kept side by side in one [in + units, 4·units] kernel:
 *   a step of a few rows is dominated by the fixed cost of each product, so one product and four
 *   contiguous slices beat four products there (see lstm-step.ts). This doubles the weights held
 *   in memory (~16 MB more for the shipped 2×560 models), which buys ~15 % on a lone job.
 */
export interface GateWeights {
  /** [in + units, units]. */
  readonly kernel: tf.Tensor2D;
  /** [units]. */
  readonly bias: tf.Tensor1D;
}

export interface StepLayer {
  readonly units: number;
  readonly inputSize: number;
  readonly input: GateWeights;
  readonly forget: GateWeights;
  readonly output: GateWeights;
  /** Kernel and bias doubled: σ of this product is (tanh(z) + 1) / 2. */
  readonly cellDoubled: GateWeights;
  /** The four gates above side by side, columns input | forget | output | cellDoubled. */
  readonly allGates: GateWeights;
}

export interface StepWeights {
  readonly vocabSize: number;
  /** Scalars 1 and 2 of the tanh-by-sigmoid identity, made once rather than at every step. */
  readonly one: tf.Scalar;
  readonly two: tf.Scalar;
  readonly layers: readonly StepLayer[];
  readonly denseKernel: tf.Tensor2D;
  readonly denseBias: tf.Tensor1D;
}

export function extractStepWeights(model: LayersModel): StepWeights {
  const lstms = model.layers.filter((l) => l.getClassName() === 'LSTM');
  const dense = model.layers[model.layers.length - 1];
  if (lstms.length === 0 || dense === undefined || dense.getClassName() !== 'Dense') {
    throw new Error('expected LSTM layers followed by one Dense layer');
  }
  // getWeights hands out the variables themselves: copy out of them, never dispose them.
  const [denseKernel, denseBias] = dense.getWeights() as [tf.Tensor2D, tf.Tensor1D];
  const layers = lstms.map((layer): StepLayer => {
    const [kernel, recurrent, bias] = layer.getWeights() as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const units = recurrent.shape[0];
    const inputSize = kernel.shape[0];
    // Intermediate tensors are freed by hand: tidy's typing wants tensor containers, not records.
    {
      const stacked = tf.concat([kernel, recurrent], 0);
      const kernels = tf.split(stacked, 4, 1) as tf.Tensor2D[];
      const biases = tf.split(bias, 4, 0) as tf.Tensor1D[];
      const gate = (k: number, scale = 1): GateWeights => ({
        kernel: tf.tidy(() => tf.mul(kernels[k]!, scale)),
        bias: tf.tidy(() => tf.mul(biases[k]!, scale)),
      });
      // Keras column order: i, f, c, o.
      const input = gate(0);
      const forget = gate(1);
      const cellDoubled = gate(2, 2);
      const output = gate(3);
      const allGates: GateWeights = {
        kernel: tf.concat([input.kernel, forget.kernel, output.kernel, cellDoubled.kernel], 1),
        bias: tf.concat([input.bias, forget.bias, output.bias, cellDoubled.bias], 0),
      };
      const result = { units, inputSize, input, forget, cellDoubled, output, allGates };
      tf.dispose([stacked, ...kernels, ...biases]);
      return result;
    }
  });
  return {
    vocabSize: denseKernel.shape[1],
    one: tf.scalar(1),
    two: tf.scalar(2),
    layers,
    denseKernel: tf.clone(denseKernel),
    denseBias: tf.clone(denseBias),
  };
}

export function disposeStepWeights(weights: StepWeights): void {
  for (const layer of weights.layers) {
    for (const gate of [layer.input, layer.forget, layer.output, layer.cellDoubled, layer.allGates]) {
      tf.dispose([gate.kernel, gate.bias]);
    }
  }
  tf.dispose([weights.denseKernel, weights.denseBias, weights.one, weights.two]);
}

/**
 * Floating-point operations of the matrix products of one step for one row, as executed
 * (layer 0's one-hot rows included), and the part that is not a one-hot product.
 */
export function stepFlopsPerRow(weights: StepWeights): { executed: number; useful: number } {
  let executed = 0;
  let oneHot = 0;
  weights.layers.forEach((layer, l) => {
    executed += 2 * (layer.inputSize + layer.units) * 4 * layer.units;
    if (l === 0) oneHot = 2 * layer.inputSize * 4 * layer.units;
  });
  executed += 2 * weights.denseKernel.shape[0] * weights.denseKernel.shape[1];
  return { executed, useful: executed - oneHot };
}
