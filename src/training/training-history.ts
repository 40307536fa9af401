import type { HistoryPoint } from './plot.js';

/**
 * The training curve recorded in a model's meta.training.history, in whichever of the two forms
 * wrote it: `npm run train` (HistoryPoint fields: charsSeen, trainLoss, validLoss…) or
 * tools/gpu-train/train_lstm.py (chars, train_loss, val_loss, val_accuracy). Rows that carry no
 * step or character count are skipped; a missing or malformed history gives no points.
 */
export function historyFromTraining(training: Readonly<Record<string, unknown>>): HistoryPoint[] {
  const rows = training['history'];
  if (!Array.isArray(rows)) return [];
  return rows.flatMap((row: unknown): HistoryPoint[] => {
    if (typeof row !== 'object' || row === null) return [];
    const r = row as Record<string, unknown>;
    const step = num(r['step']);
    const charsSeen = num(r['charsSeen']) ?? num(r['chars']);
    if (step === undefined || charsSeen === undefined) return [];
    const point: { -readonly [K in keyof HistoryPoint]: HistoryPoint[K] } = { step, charsSeen };
    const trainLoss = num(r['trainLoss']) ?? num(r['train_loss']);
    const trainAccuracy = num(r['trainAccuracy']) ?? num(r['train_accuracy']);
    const validLoss = num(r['validLoss']) ?? num(r['val_loss']);
    const validAccuracy = num(r['validAccuracy']) ?? num(r['val_accuracy']);
    if (trainLoss !== undefined) point.trainLoss = trainLoss;
    if (trainAccuracy !== undefined) point.trainAccuracy = trainAccuracy;
    if (validLoss !== undefined) point.validLoss = validLoss;
    if (validAccuracy !== undefined) point.validAccuracy = validAccuracy;
    return [point];
  });
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
