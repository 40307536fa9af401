import * as tf from '@tensorflow/tfjs-core';
import { buildCharLstm } from '../inference/build-model.js';
import { loadModelDir, saveModelDir, type SaveOptions } from '../inference/model-files.js';
import type { ModelMeta } from '../inference/model-meta.js';
import { paramsToArrays, paramShapes, type CharLstmParams } from './lstm/params.js';

/**
 * The trainer's weights into the shared tfjs-layers network (same shapes, same order, gate order
 * i, f, c, o), saved with meta.json through the engine's own saveModelDir, at float32 unless
 * options.weightPrecision asks for float16 (half the file; refused if a weight exceeds ±65504).
 */
export async function exportModel(
  params: CharLstmParams,
  meta: ModelMeta,
  dir: string,
  options: SaveOptions = {},
): Promise<void> {
  const arrays = await paramsToArrays(params);
  if (arrays.some((a) => !a.every(Number.isFinite))) throw new Error('refusing to export: the weights hold NaN or Inf');
  const model = buildCharLstm(params.vocabSize, params.units, { initialWeights: 'zeros' });
  const shapes = paramShapes(params.vocabSize, params.units);
  const tensors = arrays.map((a, i) => tf.tensor(a, shapes[i]));
  try {
    model.setWeights(tensors);
    await saveModelDir(model, meta, dir, options);
  } finally {
    tensors.forEach((t) => t.dispose());
    model.dispose();
  }
}

/** Weights (flat order, widened to float32 if stored as float16) and meta of an exported model, for a warm start. */
export async function readExportedWeights(dir: string): Promise<{ meta: ModelMeta; arrays: Float32Array[] }> {
  const { model, meta } = await loadModelDir(dir);
  try {
    const arrays = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
    return { meta, arrays };
  } finally {
    model.dispose();
  }
}
