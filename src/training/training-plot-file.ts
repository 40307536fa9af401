import { join } from 'node:path';
import { writeAtomically } from '../files/write-atomically.js';
import type { ModelMeta } from '../inference/model-meta.js';
import { renderTrainingSvg } from './plot.js';
import { historyFromTraining } from './training-history.js';

export const TRAINING_SVG = 'training.svg';

/**
 * Writes <dir>/training.svg from the history in meta.training; returns its path, or undefined
 * when the meta holds no history to draw.
 */
export async function writeTrainingPlot(meta: ModelMeta, dir: string): Promise<string | undefined> {
  const history = historyFromTraining(meta.training);
  if (history.length === 0) return undefined;
  const file = join(dir, TRAINING_SVG);
  await writeAtomically(file, renderTrainingSvg(`${meta.id}: training`, history));
  return file;
}
