import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/inference/backend.js';
import { loadModelDir } from '../../src/inference/model-files.js';
import { exportModel } from '../../src/training/export.js';
import { chunkLoss, disposeState, forwardChunk, zeroState } from '../../src/training/lstm/forward.js';
import { runChunk } from '../../src/training/lstm/manual-step.js';
import { disposeParams, flatParams, initParams } from '../../src/training/lstm/params.js';
import { Rng } from '../../src/training/rng.js';
import { MemoryLogger } from '../fakes/silent-logger.js';
import { tempDir } from './synthetic-books.js';

let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await chooseBackend('wasm', new MemoryLogger());
  dir = await tempDir();
});
afterAll(() => dir.remove());

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('hand-written forward/backward (runChunk)', () => {
  it('gives the same loss, gradients and final state as tfjs autograd on the plain ops', () => {
    const vocab = 7;
    const units = [5, 4];
    const batch = 3;
    const steps = 6;
    const rng = new Rng(3);
    const params = initParams(vocab, units, rng);
    const ids = tf.tensor1d(Array.from({ length: batch * steps }, () => rng.int(vocab)), 'int32');
    const targets = tf.tensor1d(Array.from({ length: batch * steps }, () => rng.int(vocab)), 'int32');
    // A non-zero carried state, as in the middle of an epoch.
    const state = {
      h: units.map((u) => tf.randomNormal([batch, u], 0, 0.5, 'float32', 11) as tf.Tensor2D),
      c: units.map((u) => tf.randomNormal([batch, u], 0, 0.5, 'float32', 12) as tf.Tensor2D),
    };
    const vars = flatParams(params);
    const ref = tf.variableGrads(() => chunkLoss(forwardChunk(params, ids, batch, state).logits, targets, vocab), vars);
    const manual = runChunk(params, { inputs: ids.dataSync() as Int32Array, targets: targets.dataSync() as Int32Array, batch }, state, true);
    expect(manual.loss.dataSync()[0]).toBeCloseTo(ref.value.dataSync()[0] as number, 5);
    vars.forEach((v, k) => {
      const diff = maxAbsDiff(manual.grads![k]!.dataSync(), ref.grads[v.name]!.dataSync());
      expect(diff).toBeLessThan(1e-5);
    });
    // The gradients are not all zero (the comparison would then prove nothing).
    expect(Math.max(...manual.grads!.map((g) => Math.max(...Array.from(g.dataSync(), Math.abs))))).toBeGreaterThan(1e-3);
    // The state after the chunk is the reference's too.
    const refOut = forwardChunk(params, ids, batch, state);
    expect(maxAbsDiff(manual.state.h[1]!.dataSync(), refOut.state.h[1]!.dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(manual.state.c[0]!.dataSync(), refOut.state.c[0]!.dataSync())).toBeLessThan(1e-6);
    disposeState(state);
    disposeParams(params);
  });
});

describe('exportModel', () => {
  it('writes a layers model whose predictions match the trainer network', async () => {
    const vocab = ['\n', ' ', 'a', 'b', 'c', 'd', 'e'];
    const units = [8, 6];
    const params = initParams(vocab.length, units, new Rng(5));
    const modelDir = join(dir.path, 'models', 'm1');
    await exportModel(
      params,
      { format: 1, id: 'm1', description: '', vocab, units, sequenceLength: 10, training: {} },
      modelDir,
    );
    const { model, meta } = await loadModelDir(modelDir);
    expect(meta.units).toEqual(units);
    const seq = [2, 3, 4, 1, 5, 6, 0, 2, 2, 3];
    const oneHot = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(seq, 'int32'), vocab.length), 'float32'), [1, seq.length, vocab.length]);
    const predicted = (model.predict(oneHot) as tf.Tensor).dataSync();
    const state = zeroState(units, 1);
    const ours = tf.softmax(forwardChunk(params, tf.tensor1d(seq, 'int32'), 1, state).logits).dataSync();
    expect(maxAbsDiff(predicted, ours)).toBeLessThan(1e-5);
    disposeState(state);
    disposeParams(params);
    model.dispose();
  });
});
