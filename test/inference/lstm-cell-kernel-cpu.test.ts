import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defaultCellMode } from '../../src/inference/lstm-step.js';
import { StatefulBatch } from '../../src/inference/stateful-session.js';
import { TINY_VOCAB } from './tiny-model.js';
import { useTinyStepModel } from './tiny-step-model.js';

// The cpu backend is the last fallback; the cell kernel reads and writes its typed arrays there.
const tiny = useTinyStepModel('cpu', 'cpu-step', [16, 24]);

describe('LSTM cell kernel on the cpu backend', () => {
  it('is chosen there and gives the layers model probabilities (≤ 1e-4), few rows and many', () => {
    expect(tf.getBackend()).toBe('cpu');
    expect(defaultCellMode()).toBe('kernel');
    const prefix = [...'it all began with a signal'].map((ch) => TINY_VOCAB.indexOf(ch));
    const expected = tiny().predictAll(prefix);
    for (const rows of [1, 7]) {
      const batch = new StatefulBatch(tiny().weights);
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
