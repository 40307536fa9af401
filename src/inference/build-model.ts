import * as tf from '@tensorflow/tfjs-layers';
import './chained-ops.js';

/**
 * The one network shape this project trains and serves. Shared by the trainer (which fills the
 * weights) and the tests (which need a small real model without training one).
 */
export function buildCharLstm(vocabSize: number, units: readonly number[]): tf.Sequential {
  const model = tf.sequential();
  units.forEach((u, i) => {
    model.add(
      tf.layers.lstm({
        units: u,
        returnSequences: true,
        // tfjs has defaulted to hardSigmoid in places; the stateful engine assumes sigmoid.
        recurrentActivation: 'sigmoid',
        activation: 'tanh',
        unitForgetBias: true,
        name: `lstm_${i}`,
        ...(i === 0 ? { inputShape: [null, vocabSize] } : {}),
      }),
    );
  });
  model.add(tf.layers.dense({ units: vocabSize, activation: 'softmax', name: 'output' }));
  return model;
}
