import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/inference/backend.js';
import { defaultCellMode } from '../../src/inference/lstm-step.js';
import { disposeStepWeights, extractStepWeights, type StepWeights } from '../../src/inference/lstm-weights.js';
import { loadModelDir, type LoadedModel } from '../../src/inference/model-files.js';
import { StatefulBatch } from '../../src/inference/stateful-session.js';
import { saveTinyModel, tempDir, TINY_VOCAB } from './tiny-model.js';

// The cpu backend is the last fallback; the cell kernel reads and writes its typed arrays there.
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let dir: { path: string; remove: () => Promise<void> };
let loaded: LoadedModel;
let weights: StepWeights;

beforeAll(async () => {
  await chooseBackend('cpu', silent);
  dir = await tempDir();
  loaded = await loadModelDir(await saveTinyModel(dir.path, 'cpu-step', [16, 24]));
  weights = extractStepWeights(loaded.model);
});

afterAll(async () => {
  disposeStepWeights(weights);
  loaded.model.dispose();
  await dir.remove();
});

describe('LSTM cell kernel on the cpu backend', () => {
  it('is chosen there and gives the layers model probabilities (≤ 1e-4), few rows and many', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(defaultCellMode()).toBe('kernel');
    const prefix = [...'it all began with a signal'].map((ch) => TINY_VOCAB.indexOf(ch));
    const expected = tf.tidy(() => {
      const x = tf.cast(tf.oneHot(tf.tensor2d([prefix], [1, prefix.length], 'int32'), TINY_VOCAB.length), 'float32');
      return (loaded.model.predict(x) as tf.Tensor3D).arraySync()[0]!;
    });
    for (const rows of [1, 7]) {
      const batch = new StatefulBatch(weights);
      batch.addRows(rows);
      let maxDiff = 0;
      prefix.forEach((id, t) => {
        const p = batch.step(new Int32Array(rows).fill(id));
        for (let r = 0; r < rows; r++) {
          expected[t]!.forEach((q, j) => (maxDiff = Math.max(maxDiff, Math.abs(q - p[r * TINY_VOCAB.length + j]!))));
        }
      });
      batch.dispose();
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
    }
  });
});
