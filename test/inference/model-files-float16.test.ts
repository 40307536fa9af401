import { readFile, stat, truncate, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCharLstm } from '../../src/inference/build-model.js';
import { roundToFloat16 } from '../../src/inference/float16.js';
import { loadModelDir, saveModelDir } from '../../src/inference/model-files.js';
import { ModelLoadError } from '../../src/inference/model-load-error.js';
import { tempDir, tinyMeta, TINY_VOCAB } from './tiny-model.js';

let root: { path: string; remove: () => Promise<void> };
let model: LayersModel;
let original: Float32Array[];
let float32Dir: string;
let float16Dir: string;

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; original_dtype?: string };
}
async function manifestOf(dir: string): Promise<ManifestEntry[]> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { weights: ManifestEntry[] }[] };
  return json.weightsManifest.flatMap((g) => g.weights);
}

async function weightsOf(m: LayersModel): Promise<Float32Array[]> {
  return Promise.all(m.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

/** Probabilities for one fixed input sequence, flattened. */
function predict(m: LayersModel): Float32Array {
  return tf.tidy(() => {
    const ids = [...'the ship fell towards the red star.'].map((ch) => TINY_VOCAB.indexOf(ch));
    const x = tf.expandDims(tf.oneHot(tf.tensor1d(ids, 'int32'), TINY_VOCAB.length), 0);
    return (m.predict(x) as tf.Tensor).dataSync() as Float32Array;
  });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await tempDir();
  // Weights at the scale of a trained model, not values that happen to be exact halves.
  model = buildCharLstm(TINY_VOCAB.length, [16, 24]);
  model.setWeights(model.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.6, 'float32', 40 + i)));
  original = await weightsOf(model);
  float32Dir = join(root.path, 'f32');
  float16Dir = join(root.path, 'f16');
  await saveModelDir(model, tinyMeta('f32'), float32Dir);
  await saveModelDir(model, tinyMeta('f16'), float16Dir, { weightPrecision: 'float16' });
});
afterAll(async () => {
  model.dispose();
  await root.remove();
});

describe('saveModelDir with weightPrecision float16', () => {
  it('writes half the weight bytes, in the manifest form tfjs decodes, and records it in meta.json', async () => {
    const size32 = (await stat(join(float32Dir, 'weights.bin'))).size;
    const size16 = (await stat(join(float16Dir, 'weights.bin'))).size;
    const params = original.reduce((sum, a) => sum + a.length, 0);
    expect(size32).toBe(params * 4);
    expect(size16).toBe(params * 2);

    const specs = await manifestOf(float16Dir);
    expect(specs.map((s) => s.name)).toEqual((await manifestOf(float32Dir)).map((s) => s.name));
    for (const spec of specs) {
      expect(spec).toMatchObject({ dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } });
    }
    const meta = JSON.parse(await readFile(join(float16Dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta['weightPrecision']).toBe('float16');
  });

  it('reloads as float32 weights equal to the float16-rounded originals', async () => {
    const loaded = await loadModelDir(float16Dir);
    expect(loaded.meta.weightPrecision).toBe('float16');
    const weights = await weightsOf(loaded.model);
    expect(weights.length).toBe(original.length);
    let changed = 0;
    weights.forEach((w, i) => {
      const source = original[i] as Float32Array;
      expect(Array.from(w)).toEqual(Array.from(roundToFloat16(source)));
      changed += source.filter((v, k) => v !== w[k]).length;
    });
    // The rounding really happened (else this test would not tell float16 from float32).
    expect(changed).toBeGreaterThan(0);
    loaded.model.dispose();
  });

  it('predicts within 2e-3 of the float32 model (and not identically)', async () => {
    const full = await loadModelDir(float32Dir);
    const half = await loadModelDir(float16Dir);
    const a = predict(full.model);
    const b = predict(half.model);
    expect(maxAbsDiff(a, predict(model))).toBe(0);
    const difference = maxAbsDiff(a, b);
    expect(difference).toBeLessThan(2e-3);
    expect(difference).toBeGreaterThan(0);
    full.model.dispose();
    half.model.dispose();
  });

  it('gives a ModelLoadError for a truncated or overlong float16 weights.bin', async () => {
    const dir = join(root.path, 'f16-truncated');
    await saveModelDir(model, tinyMeta('f16-truncated'), dir, { weightPrecision: 'float16' });
    const size = (await stat(join(dir, 'weights.bin'))).size;
    await truncate(join(dir, 'weights.bin'), size - 2);
    const error: unknown = await loadModelDir(dir).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).file).toBe(join(dir, 'weights.bin'));
    expect((error as Error).message).toMatch(new RegExp(`truncated: ${size - 2} bytes, model.json describes ${size}`));

    // A float32-sized file behind a float16 manifest is caught too.
    await writeFile(join(dir, 'weights.bin'), await readFile(join(float32Dir, 'weights.bin')));
    await expect(loadModelDir(dir)).rejects.toThrow(/longer than its manifest/);
  });

  it('refuses a weight beyond ±65504, naming it, and leaves no files behind', async () => {
    const big = buildCharLstm(TINY_VOCAB.length, [8]);
    const weights = big.getWeights().map((w) => w.clone());
    const bias = await (weights[2] as tf.Tensor).data();
    const values = Float32Array.from(bias);
    values[5] = 70000;
    weights[2] = tf.tensor(values, (weights[2] as tf.Tensor).shape);
    big.setWeights(weights);
    const dir = join(root.path, 'too-big');
    const error: unknown = await saveModelDir(big, tinyMeta('too-big', [8]), dir, { weightPrecision: 'float16' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toMatch(/cannot store lstm_0\/bias as float16: it holds 70000 \(index 5\), beyond ±65504/);
    expect(await readdir(dir)).toEqual([]);
    // The same model saves at float32.
    await saveModelDir(big, tinyMeta('too-big', [8]), dir);
    const loaded = await loadModelDir(dir);
    expect((await weightsOf(loaded.model))[2]?.[5]).toBe(70000);
    loaded.model.dispose();
    tf.dispose(weights);
    big.dispose();
  });
});

describe('float32 model folders', () => {
  it('are written exactly as before: no quantization in the manifest, no weightPrecision in meta.json', async () => {
    for (const spec of await manifestOf(float32Dir)) {
      expect(spec.dtype).toBe('float32');
      expect(spec.quantization).toBeUndefined();
    }
    const meta = JSON.parse(await readFile(join(float32Dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect('weightPrecision' in meta).toBe(false);
  });

  it('still load, with the weights as saved', async () => {
    const loaded = await loadModelDir(float32Dir);
    expect(loaded.meta.weightPrecision).toBeUndefined();
    const weights = await weightsOf(loaded.model);
    weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(original[i] as Float32Array)));
    loaded.model.dispose();
  });

  it('re-saving a float16 model at float32 records float32 in meta.json', async () => {
    const half = await loadModelDir(float16Dir);
    const dir = join(root.path, 'back-to-f32');
    await saveModelDir(half.model, half.meta, dir);
    const again = await loadModelDir(dir);
    expect(again.meta.weightPrecision).toBe('float32');
    expect((await manifestOf(dir)).every((s) => s.quantization === undefined)).toBe(true);
    expect((await stat(join(dir, 'weights.bin'))).size).toBe(2 * (await stat(join(float16Dir, 'weights.bin'))).size);
    half.model.dispose();
    again.model.dispose();
  });

  it('reject an unknown weightPrecision in meta.json', async () => {
    const dir = join(root.path, 'bad-precision');
    await saveModelDir(model, tinyMeta('bad-precision'), dir);
    const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'meta.json'), JSON.stringify({ ...meta, weightPrecision: 'float8' }));
    await expect(loadModelDir(dir)).rejects.toThrow(/meta.json: is not a valid model meta: weightPrecision/);
  });
});
