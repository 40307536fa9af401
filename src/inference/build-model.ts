import * as tf from '@tensorflow/tfjs-layers';
import './chained-ops.js';

export interface BuildOptions {
  /**
   * 'random' (Keras' defaults, orthogonal recurrent kernels) gives a network ready to train.
   * 'zeros' is for a network whose every weight is about to be overwritten by setWeights: tfjs's
   * orthogonal initializer runs a QR decomposition that takes minutes on an 800-unit recurrent
   * kernel, only for its result to be thrown away.
   */
  readonly initialWeights?: 'random' | 'zeros';
}

/**
 * The one network shape this project trains and serves. Shared by the trainer (which fills the
 * weights) and the tests (which need a small real model without training one).
 */
export function buildCharLstm(vocabSize: number, units: readonly number[], options: BuildOptions = {}): tf.Sequential {
  const zeros = options.initialWeights === 'zeros';
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
        ...(zeros ? { kernelInitializer: 'zeros', recurrentInitializer: 'zeros', biasInitializer: 'zeros' } : {}),
        ...(i === 0 ? { inputShape: [null, vocabSize] } : {}),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      units: vocabSize,
      activation: 'softmax',
      name: 'output',
      ...(zeros ? { kernelInitializer: 'zeros', biasInitializer: 'zeros' } : {}),
    }),
  );
  return model;
}
