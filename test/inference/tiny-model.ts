import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { buildCharLstm } from '../../src/inference/build-model.js';
import type { ModelMeta } from '../../src/inference/model-meta.js';
import { saveModelDir } from '../../src/inference/model-files.js';

/** A vocabulary of 30 characters: enough for short English test seeds. */
export const TINY_VOCAB = [...' abcdefghijklmnopqrstuvwxyz.,\n'];

export function tinyMeta(id = 'tiny', units: number[] = [16, 24]): ModelMeta {
  return {
    format: 1,
    id,
    description: 'A random test model',
    vocab: TINY_VOCAB,
    units,
    sequenceLength: 40,
    training: { note: 'random weights for tests' },
  };
}

/**
 * A real, untrained model saved with saveModelDir into root/<id>. Weights are random but seeded by
 * tfjs' own initialisers; biases are nudged away from zero so every gate path matters in tests.
 */
export async function saveTinyModel(root: string, id = 'tiny', units: number[] = [16, 24]): Promise<string> {
  await tf.ready();
  const model = buildCharLstm(TINY_VOCAB.length, units);
  for (const layer of model.layers) {
    // getWeights hands out the variables' own tensors: read them, never dispose them.
    const weights = layer.getWeights();
    layer.setWeights(weights.map((w, i) => tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, i === 0 ? 0.3 : 0.2, 'float32', 17 + i)))));
  }
  const dir = join(root, id);
  await saveModelDir(model, tinyMeta(id, units), dir);
  model.dispose();
  return dir;
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'scifi-inference-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
