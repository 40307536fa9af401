import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { buildCharLstm } from '../inference/build-model.js';
import { FLOAT16_MAX, roundToFloat16 } from '../inference/float16.js';
import { saveModelDir } from '../inference/model-files.js';
import type { ModelMeta, WeightPrecision } from '../inference/model-meta.js';
import { writeTrainingPlot } from './training-plot-file.js';

/**
 * Turns the output of tools/gpu-train/train_lstm.py (weights.json + weights.f32 or its parts,
 * already in tfjs' weight order and layout) into a models/<id>/ folder the engine loads.
 */
const manifestSchema = z
  .object({
    format: z.literal(1),
    vocab: z.array(z.string().length(1)).min(2),
    units: z.array(z.number().int().positive()).min(1),
    weights: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()) })),
    hyper: z.object({ seq: z.number().int().positive() }).passthrough(),
    check: z.object({ ids: z.array(z.number().int()), last_probs: z.array(z.number()) }),
    /** The float32 data in reading order: weights.f32, or its parts when it was split. */
    files: z.array(z.string().min(1)).min(1).optional(),
  })
  .passthrough();

export type GpuManifest = z.infer<typeof manifestSchema>;

export interface ImportOptions {
  /** Folder holding weights.json and weights.f32 (or the parts weights.json lists). */
  readonly from: string;
  readonly id: string;
  readonly description: string;
  /** Destination, normally models/<id>. */
  readonly to: string;
  /** Facts to keep in meta.training besides the trainer's own (corpus, splits…). */
  readonly extraTraining?: Record<string, unknown>;
  /** Storage precision of the written weights.bin (default float32). */
  readonly weightPrecision?: WeightPrecision;
}

/**
 * Largest probability difference from the trainer's reference that still passes. A transposed
 * kernel or swapped gates moves probabilities by far more than 1e-2; 1e-3 leaves room for runs
 * whose reference was computed with TF32 tensor cores (about 1e-4 off fp32).
 *
 * float16 storage rounds every weight by up to 2⁻¹¹ of its size. Measured on the three GPU runs
 * in data/gpu-runs (2×512 and 2×560, 48-character check prefix), the float16-rounded model sat at
 * most 1.3e-4 from the reference (float32: at most 2.6e-4; the two overlap, so TF32 noise
 * dominates), while swapping gates i↔f, c↔o or f↔c in one or both layers, or transposing the gate
 * blocks of either recurrent kernel, moved it by 0.26 to 0.98. 5e-3 is over 15× the largest honest
 * difference (room for wider models, whose rounding error grows with the fan-in) and 50× below
 * the smallest layout mistake.
 */
const TOLERANCE: Readonly<Record<WeightPrecision, number>> = { float32: 1e-3, float16: 5e-3 };

export async function importGpuWeights(options: ImportOptions): Promise<ModelMeta> {
  const manifestPath = join(options.from, 'weights.json');
  const manifest = manifestSchema.parse(JSON.parse(await readFile(manifestPath, 'utf8')));
  const floats = await readFloats(options.from, manifest.files ?? ['weights.f32']);

  const precision = options.weightPrecision ?? 'float32';
  const model = buildCharLstm(manifest.vocab.length, manifest.units, { initialWeights: 'zeros' });
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
    if (precision === 'float16' && values.some((v) => Math.abs(v) > FLOAT16_MAX)) {
      throw new Error(`${manifestPath}: ${spec.name} holds values beyond float16's ±${FLOAT16_MAX}; import it as float32`);
    }
    offset += size;
    // Checked as stored: a float16 model is compared with the reference after its own rounding.
    return tf.tensor(precision === 'float16' ? roundToFloat16(values) : values, spec.shape);
  });
  if (offset !== floats.length) throw new Error(`${manifestPath}: weights.f32 has ${floats.length - offset} values too many`);
  model.setWeights(tensors);
  tf.dispose(tensors);
  const difference = referenceDifference(model, manifest);
  if (!(difference <= TOLERANCE[precision])) {
    model.dispose();
    throw new Error(
      `${manifestPath}: the imported ${precision} model disagrees with the trainer ` +
        `(max probability difference ${difference}, tolerance ${TOLERANCE[precision]})`,
    );
  }

  const { format: _f, vocab, units, weights: _w, check: _c, files: _files, ...trainerFacts } = manifest;
  const meta: ModelMeta = {
    format: 1,
    id: options.id,
    description: options.description,
    vocab,
    units,
    sequenceLength: manifest.hyper.seq,
    training: { ...trainerFacts, ...options.extraTraining },
  };
  try {
    await saveModelDir(model, meta, options.to, { weightPrecision: precision });
  } finally {
    model.dispose();
  }
  // The same plot `npm run train` leaves beside its models, from the GPU trainer's history.
  await writeTrainingPlot(meta, options.to);
  return meta;
}

/**
 * The trainer's float32 data, joined from its files in order (it splits weights.f32 into parts
 * when the machine it ran on hands back files of limited size). Names are taken as file names
 * inside the run folder, never paths elsewhere.
 */
async function readFloats(from: string, files: readonly string[]): Promise<Float32Array> {
  const parts = await Promise.all(files.map((name) => readFile(join(from, basename(name)))));
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  if (total % 4 !== 0) throw new Error(`${join(from, files[0] ?? '')}: ${total} bytes is not a whole number of float32 values`);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return new Float32Array(bytes.buffer);
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
