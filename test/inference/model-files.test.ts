import { readFile, truncate, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharLstm } from '../../src/inference/build-model.js';
import { loadModelDir, loadModelsDir, saveModelDir } from '../../src/inference/model-files.js';
import { ModelLoadError } from '../../src/inference/model-load-error.js';
import { saveTinyModel, tempDir, tinyMeta, TINY_VOCAB } from './tiny-model.js';

let root: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempDir();
});
afterAll(() => root.remove());

async function expectLoadError(dir: string, file: string, problem: RegExp): Promise<void> {
  const error: unknown = await loadModelDir(dir).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ModelLoadError);
  const loadError = error as ModelLoadError;
  expect(loadError.file).toBe(file);
  expect(loadError.message).toMatch(problem);
}

describe('saveModelDir / loadModelDir', () => {
  it('round-trips topology, weights and meta', async () => {
    const dir = await saveTinyModel(root.path, 'roundtrip');
    const { model, meta } = await loadModelDir(dir);
    expect(meta.vocab).toEqual(TINY_VOCAB);
    expect(meta.units).toEqual([16, 24]);
    const original = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    expect(original.weightsManifest[0]?.paths).toEqual(['weights.bin']);
    // Same weights → same predictions as a second load.
    const again = await loadModelDir(dir);
    const x = tf.cast(tf.oneHot(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32'), TINY_VOCAB.length), 'float32');
    const a = model.predict(x) as tf.Tensor;
    const b = again.model.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBe(0);
    expect(Math.abs(tf.sum(a, -1).dataSync()[0]! - 1)).toBeLessThan(1e-5);
    tf.dispose([x, a, b]);
    model.dispose();
    again.model.dispose();
  });

  it('refuses to save a meta that does not match the model', async () => {
    const model = buildCharLstm(TINY_VOCAB.length, [8]);
    await expect(saveModelDir(model, tinyMeta('bad', [9]), join(root.path, 'bad'))).rejects.toThrow(/8/);
    model.dispose();
  });

  it('names a missing folder', async () => {
    await expectLoadError(join(root.path, 'nope'), join(root.path, 'nope'), /model folder not found/);
  });

  it('names a missing meta.json and a missing model.json', async () => {
    const dir = await saveTinyModel(root.path, 'missing');
    await writeFile(join(dir, 'meta.json.keep'), await readFile(join(dir, 'meta.json')));
    await import('node:fs/promises').then((fs) => fs.rm(join(dir, 'meta.json')));
    await expectLoadError(dir, join(dir, 'meta.json'), /file not found/);
    await writeFile(join(dir, 'meta.json'), await readFile(join(dir, 'meta.json.keep')));
    await import('node:fs/promises').then((fs) => fs.rm(join(dir, 'model.json')));
    await expectLoadError(dir, join(dir, 'model.json'), /file not found/);
  });

  it('names corrupt JSON', async () => {
    const dir = await saveTinyModel(root.path, 'corrupt');
    await writeFile(join(dir, 'model.json'), '{"modelTopology": {');
    await expectLoadError(dir, join(dir, 'model.json'), /not valid JSON/);
    await writeFile(join(dir, 'meta.json'), '{"format": 1, "id": "corrupt"}');
    await expectLoadError(dir, join(dir, 'meta.json'), /not a valid model meta: vocab/);
  });

  it('names truncated weights', async () => {
    const dir = await saveTinyModel(root.path, 'truncated');
    await truncate(join(dir, 'weights.bin'), 100);
    await expectLoadError(dir, join(dir, 'weights.bin'), /truncated: 100 bytes/);
  });

  it('names weights of the right size that hold NaN or infinity as a corrupt file', async () => {
    const dir = await saveTinyModel(root.path, 'garbled');
    const bytes = await readFile(join(dir, 'weights.bin'));
    const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    floats[0] = Number.NaN;
    floats[floats.length - 1] = Number.POSITIVE_INFINITY;
    await writeFile(join(dir, 'weights.bin'), bytes);
    await expectLoadError(dir, join(dir, 'weights.bin'), /is corrupt: 2 weights are not finite numbers \(NaN or infinity\), the first in /);
  });

  it('names a meta whose vocabulary or units disagree with the weights', async () => {
    const dir = await saveTinyModel(root.path, 'mismatch');
    const meta = tinyMeta('mismatch');
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ ...meta, vocab: [...meta.vocab, '!'] }));
    await expectLoadError(dir, join(dir, 'meta.json'), /31 vocabulary characters but the first LSTM takes 30 inputs/);
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ ...meta, units: [16, 32] }));
    await expectLoadError(dir, join(dir, 'meta.json'), /LSTM layer 1 has 32 units, the weights have 24/);
  });
});

describe('loadModelsDir', () => {
  it('loads every folder with a meta.json, sorted by id', async () => {
    const models = await tempDir();
    await saveTinyModel(models.path, 'zeta', [8]);
    await saveTinyModel(models.path, 'alpha', [8]);
    await mkdir(join(models.path, 'not-a-model'));
    const loaded = await loadModelsDir(models.path);
    expect(loaded.map((m) => m.meta.id)).toEqual(['alpha', 'zeta']);
    loaded.forEach((m) => m.model.dispose());
    await models.remove();
  });

  it('names an empty or missing models folder', async () => {
    const empty = await tempDir();
    await expect(loadModelsDir(empty.path)).rejects.toThrow(/no models found/);
    await expect(loadModelsDir(join(empty.path, 'none'))).rejects.toThrow(/models folder not found/);
    await empty.remove();
  });
});
