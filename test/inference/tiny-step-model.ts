import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll } from 'vitest';
import { chooseBackend } from '../../src/inference/backend.js';
import { disposeStepWeights, extractStepWeights, type StepWeights } from '../../src/inference/lstm-weights.js';
import { loadModelDir, type LoadedModel } from '../../src/inference/model-files.js';
import { saveTinyModel, tempDir, TINY_VOCAB } from './tiny-model.js';

export interface TinyStepModel {
  readonly loaded: LoadedModel;
  readonly weights: StepWeights;
  /** The layers model's own probabilities after each character of the prefix, [T][vocab]. */
  predictAll(prefix: readonly number[]): number[][];
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A small random model on the given backend for a test file, loaded from disk as the engine does,
 * with its stateful-step weights; returns a getter valid once beforeAll has run.
 */
export function useTinyStepModel(backend: 'wasm' | 'cpu', id: string, units: number[]): () => TinyStepModel {
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  let model: TinyStepModel | undefined;
  beforeAll(async () => {
    await chooseBackend(backend, silent);
    dir = await tempDir();
    const loaded = await loadModelDir(await saveTinyModel(dir.path, id, units));
    model = { loaded, weights: extractStepWeights(loaded.model), predictAll: (prefix) => predictAll(loaded, prefix) };
  });
  afterAll(async () => {
    if (model) {
      disposeStepWeights(model.weights);
      model.loaded.model.dispose();
    }
    await dir?.remove();
  });
  return () => {
    if (!model) throw new Error('the tiny step model exists only inside tests');
    return model;
  };
}

function predictAll(loaded: LoadedModel, prefix: readonly number[]): number[][] {
  return tf.tidy(() => {
    const x = tf.cast(tf.oneHot(tf.tensor2d([[...prefix]], [1, prefix.length], 'int32'), TINY_VOCAB.length), 'float32');
    return (loaded.model.predict(x) as tf.Tensor3D).arraySync()[0]!;
  });
}
