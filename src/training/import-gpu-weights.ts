import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { buildCharLstm } from '../inference/build-model.js';
import { saveModelDir } from '../inference/model-files.js';
import type { ModelMeta } from '../inference/model-meta.js';

/**
 * Turns the output of tools/gpu-train/train_lstm.py (weights.f32 + weights.json, already in
 * tfjs' weight order and layout) into a models/<id>/ folder the engine loads.
 */
const manifestSchema = z
  .object({
    format: z.literal(1),
    vocab: z.array(z.string().length(1)).min(2),
    units: z.array(z.number().int().positive()).min(1),
    weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
    hyper: z.object({ seq: z.number().int().positive() }).passthrough(),
    check: z.object({ ids: z.array(z.number().int()), last_probs: z.array(z.number()) }),
  })
  .passthrough();

export type GpuManifest = z.infer<typeof manifestSchema>;

export interface ImportOptions {
  /** Folder holding weights.f32 and weights.json. */
  readonly from: string;
  readonly id: string;
  readonly description: string;
  /** Destination, normally models/<id>. */
  readonly to: string;
  /** Facts to keep in meta.training besides the trainer's own (corpus, splits…). */
  readonly extraTraining?: Record<string, unknown>;
}

export async function importGpuWeights(options: ImportOptions): Promise<ModelMeta> {
  const manifestPath = join(options.from, 'weights.json');
  const manifest = manifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  const raw = await readFile(join(options.from, 'weights.f32'));
  const floats = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);

  const model = buildCharLstm(manifest.vocab.length, manifest.units);
  const expected = model.getWeights().map((w) => w.shape);
  if (expected.length !== manifest.weights.length) {
    throw new Error(`${manifestPath}: ${manifest.weights.length} arrays, the network has ${expected.length}`);
  }
  let offset = 0;
  const tensors = manifest.weights.map((spec, i) => {
    const want = expected[i] ?? [];
    if (want.join('x') !== spec.shape.join('x')) {
      throw new Error(`${manifestPath}: ${spec.name} is ${spec.shape.join('x')}, the network wants ${want.join('x')}`);
    }
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const values = floats.subarray(offset, offset + size);
    if (values.length !== size) throw new Error(`${manifestPath}: weights.f32 ends inside ${spec.name}`);
    if (!values.every(Number.isFinite)) throw new Error(`${manifestPath}: ${spec.name} holds NaN or Inf`);
    offset += size;
    return tf.tensor(values, spec.shape);
  });
  if (offset !== floats.length) throw new Error(`${manifestPath}: weights.f32 has ${floats.length - offset} values too many`);
  model.setWeights(tensors);
  tf.dispose(tensors);
  const difference = referenceDifference(model, manifest);
  // A transposed kernel or swapped gates moves probabilities by far more than 1e-2; 1e-3 leaves
  // room for runs whose reference was computed with TF32 tensor cores (about 1e-4 off fp32).
  if (!(difference <= 1e-3)) {
    throw new Error(`${manifestPath}: the imported model disagrees with the trainer (max probability difference ${difference})`);
  }

  const { format: _f, vocab, units, weights: _w, check: _c, ...trainerFacts } = manifest;
  const meta: ModelMeta = {
    format: 1,
    id: options.id,
    description: options.description,
    vocab,
    units,
    sequenceLength: manifest.hyper.seq,
    training: { ...trainerFacts, ...options.extraTraining },
  };
  await saveModelDir(model, meta, options.to);
  model.dispose();
  return meta;
}

/**
 * Largest difference between the trainer's probabilities after its check prefix and ours: a
 * transposed kernel or a different gate order shows up here, not as subtly worse stories.
 */
function referenceDifference(model: ReturnType<typeof buildCharLstm>, manifest: GpuManifest): number {
  return tf.tidy(() => {
    const input = tf.expandDims(tf.oneHot(tf.tensor1d(manifest.check.ids, 'int32'), manifest.vocab.length), 0);
    const probs = model.predict(input) as tf.Tensor3D;
    const steps = manifest.check.ids.length;
    const last = tf.reshape(tf.slice(probs, [0, steps - 1, 0], [1, 1, manifest.vocab.length]), [-1]);
    return tf.max(tf.abs(tf.sub(last, tf.tensor1d(manifest.check.last_probs)))).dataSync()[0] ?? Infinity;
  });
}
