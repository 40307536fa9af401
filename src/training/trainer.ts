import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Logger } from '../core/ports.js';
import { UserError } from '../core/errors.js';
import type { ModelMeta, WeightPrecision } from '../inference/model-meta.js';
import { encodeText, StreamBatcher, type BatchCursor } from './batches.js';
import {
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointData,
  type CheckpointState,
  type TrainingEvent,
  type TrainingRecord,
} from './checkpoint.js';
import { exportModel, readExportedWeights } from './export.js';
import { Adam } from './lstm/adam.js';
import { disposeState, zeroState, type LstmState } from './lstm/forward.js';
import { disposeParams, initParams, paramsFromArrays, paramsToArrays, paramShapes, type CharLstmParams } from './lstm/params.js';
import { trainStep } from './lstm/train-step.js';
import { renderTrainingSvg } from './plot.js';
import { ProgressLine } from './progress.js';
import { Rng } from './rng.js';
import { evaluateIds, type EvalResult } from './validation.js';

export interface TrainOptions {
  readonly modelId: string;
  /** data/prepared/<id>: train.txt, valid.txt, test.txt, vocab.json, report.json. */
  readonly preparedDir: string;
  /** data/checkpoints/<id>: last/, best/, log.json, training.svg. */
  readonly checkpointDir: string;
  /** models/<id>: the exported model. */
  readonly modelDir: string;
  readonly units: readonly number[];
  readonly sequenceLength: number;
  readonly batch: number;
  /** Stop after this many epochs (fractional epochs count by chunks). */
  readonly epochs: number;
  readonly learningRate: number;
  readonly clipNorm?: number;
  readonly warmupSteps?: number;
  readonly maxMinutes?: number;
  /**
   * With maxMinutes: the last fraction of the run's time anneals the learning rate (cosine) down to
   * a tenth, so a time-boxed run ends on settled weights; default 0.25, 0 = off.
   */
  readonly annealFraction?: number;
  /** Continue from data/checkpoints/<id>/last, or warm-start from models/<id>. */
  readonly resume: boolean;
  /** Validate every N steps (and at each epoch's end). */
  readonly evalEvery?: number;
  /** Characters of the validation split read at each periodic validation. */
  readonly validChars?: number;
  readonly checkpointMinutes?: number;
  /** Also checkpoint every N steps (tests use it; 0 = off). */
  readonly checkpointEverySteps?: number;
  /** Stop after this many steps in this run (tests). */
  readonly maxSteps?: number;
  readonly seed?: number;
  readonly description?: string;
  /** Storage precision of the exported weights.bin (default float32; float16 halves it). */
  readonly weightPrecision?: WeightPrecision;
  /** Export to modelDir at every new best validation (default true); the final export replaces it. */
  readonly exportOnBest?: boolean;
  /** Skip the final test-set evaluation and export (tests that only look at steps). */
  readonly skipFinal?: boolean;
  readonly logger: Logger;
  /** Where the progress bar goes (stderr in the CLI). */
  readonly progress?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly signal?: AbortSignal;
  /** Test hook: these steps' gradients are poisoned with NaN, once each. */
  readonly injectNaNAtSteps?: readonly number[];
  /** Called after every applied step (tests record the losses). */
  readonly onStep?: (info: { step: number; loss: number; learningRate: number }) => void;
}

export interface TrainSummary {
  readonly steps: number;
  readonly charsSeen: number;
  readonly epochs: number;
  readonly bestValidLoss: number | null;
  readonly valid?: EvalResult;
  readonly test?: EvalResult;
  readonly exported: boolean;
  readonly events: readonly TrainingEvent[];
  readonly stoppedBy: 'epochs' | 'time' | 'signal' | 'steps';
}

/** Give up after this many NaN rollbacks without a good validation in between. */
const MAX_NAN_ROLLBACKS = 8;
const MIN_LEARNING_RATE = 1e-5;
/** Validations in a row without improvement before the learning rate is halved. */
const PLATEAU_PATIENCE = 2;

interface Prepared {
  readonly vocab: string[];
  readonly train: Int32Array;
  readonly valid: Int32Array;
  readonly test: Int32Array;
  readonly report: unknown;
}

async function readPrepared(dir: string): Promise<Prepared> {
  const read = (name: string) =>
    readFile(join(dir, name), 'utf8').catch(() => {
      throw new UserError(`Prepared corpus missing ${join(dir, name)}: run the preparation first (--corpus)`, 'not-found');
    });
  const vocab = JSON.parse(await read('vocab.json')) as string[];
  const report = JSON.parse(await read('report.json')) as unknown;
  return {
    vocab,
    train: encodeText(await read('train.txt'), vocab),
    valid: encodeText(await read('valid.txt'), vocab),
    test: encodeText(await read('test.txt'), vocab),
    report,
  };
}

/** Everything that changes as training goes; saved whole in a checkpoint. */
interface RunState {
  params: CharLstmParams;
  adam: Adam;
  carried: LstmState;
  cursor: BatchCursor;
  rng: Rng;
  step: number;
  learningRate: number;
  bestValidLoss: number | null;
  staleValidations: number;
  charsSeen: number;
  trainSeconds: number;
  history: TrainingRecord[];
  events: TrainingEvent[];
}

export async function train(options: TrainOptions): Promise<TrainSummary> {
  const log = options.logger;
  const data = await readPrepared(options.preparedDir);
  const lastDir = join(options.checkpointDir, 'last');
  const bestDir = join(options.checkpointDir, 'best');
  await mkdir(options.checkpointDir, { recursive: true });

  const batcher = new StreamBatcher(data.train, options.batch, options.sequenceLength);
  const clipNorm = options.clipNorm ?? 5;
  const warmupSteps = options.warmupSteps ?? 100;
  const evalEvery = options.evalEvery ?? Math.min(batcher.chunksPerEpoch, 300);
  const validChars = options.validChars ?? 150_000;
  const checkpointMs = (options.checkpointMinutes ?? 5) * 60_000;
  const nanSteps = new Set(options.injectNaNAtSteps ?? []);
  const annealFraction = options.annealFraction ?? 0.25;

  const run = await startState(options, data, lastDir, batcher);
  const { units, sequenceLength: steps, batch } = checkpointShape(run, options);
  const event = (kind: TrainingEvent['kind'], detail: string) => {
    const e: TrainingEvent = { step: run.step, kind, detail, at: new Date().toISOString() };
    run.events.push(e);
    log.info({ step: run.step, event: kind }, detail);
  };
  event(run.step === 0 && run.events.length === 0 ? 'start' : 'resume', `training ${options.modelId}: units ${units.join('×')}, batch ${batch}, sequence ${steps}, ${batcher.chunksPerEpoch} steps per epoch, lr ${run.learningRate}`);

  const save = async (dir: string) => {
    const tensors = await snapshotTensors(run);
    await saveCheckpoint(dir, checkpointFields(run, options.modelId, data.vocab, units, steps, batch), tensors);
  };
  // A rollback target exists from the first step on.
  if (!(await loadCheckpoint(lastDir))) await save(lastDir);

  const progress = new ProgressLine(options.progress);
  const started = Date.now();
  const deadline = options.maxMinutes !== undefined ? started + options.maxMinutes * 60_000 : Infinity;
  let lastCheckpointAt = Date.now();
  let stepsThisRun = 0;
  let nanRollbacks = 0;
  let windowLoss = 0;
  let windowCorrect = 0;
  let windowChars = 0;
  let stoppedBy: TrainSummary['stoppedBy'] = 'epochs';
  const totalSteps = Math.ceil(options.epochs * batcher.chunksPerEpoch);

  const validate = async (): Promise<void> => {
    const v = evaluateIds(run.params, data.valid, { batch, steps, maxChars: validChars });
    const record: TrainingRecord = {
      step: run.step,
      epoch: run.cursor.epoch + run.cursor.chunk / batcher.chunksPerEpoch,
      charsSeen: run.charsSeen,
      trainLoss: windowChars > 0 ? windowLoss / windowChars : undefined,
      trainAccuracy: windowChars > 0 ? windowCorrect / windowChars : undefined,
      validLoss: v.loss,
      validAccuracy: v.accuracy,
      validBpc: v.bpc,
      learningRate: run.learningRate,
      charsPerSecond: progress.charsPerSecond(),
      at: new Date().toISOString(),
    };
    windowLoss = windowCorrect = windowChars = 0;
    run.history.push(record);
    progress.clear();
    log.info(record, `validation: loss ${v.loss.toFixed(4)}, bpc ${v.bpc.toFixed(3)}, accuracy ${(100 * v.accuracy).toFixed(1)}%`);
    if (run.bestValidLoss === null || v.loss < run.bestValidLoss - 1e-4) {
      run.bestValidLoss = v.loss;
      run.staleValidations = 0;
      nanRollbacks = 0;
      event('best', `best validation loss ${v.loss.toFixed(4)} (bpc ${v.bpc.toFixed(3)})`);
      await save(bestDir);
      await save(lastDir);
      lastCheckpointAt = Date.now();
      if (options.exportOnBest !== false) {
        // A usable model exists from the first validation on, even if the run is killed later.
        await exportModel(run.params, modelMeta(options, data, units, batcher, run, { valid: v, interim: true }), options.modelDir, {
          weightPrecision: options.weightPrecision,
        });
      }
    } else {
      run.staleValidations++;
      if (run.staleValidations >= PLATEAU_PATIENCE && run.learningRate > MIN_LEARNING_RATE) {
        run.learningRate = Math.max(MIN_LEARNING_RATE, run.learningRate / 2);
        run.staleValidations = 0;
        event('lr-plateau', `validation loss stalled: learning rate → ${run.learningRate}`);
      }
    }
    await writeLog(options, run);
  };

  try {
    for (;;) {
      if (run.cursor.chunk >= batcher.chunksPerEpoch) {
        await validate();
        run.cursor = batcher.startEpoch(run.cursor.epoch + 1, run.rng);
        disposeState(run.carried);
        run.carried = zeroState(units, batch);
      }
      if (run.step >= totalSteps) break;
      if (options.signal?.aborted) {
        stoppedBy = 'signal';
        break;
      }
      if (Date.now() >= deadline) {
        stoppedBy = 'time';
        break;
      }
      if (options.maxSteps !== undefined && stepsThisRun >= options.maxSteps) {
        stoppedBy = 'steps';
        break;
      }

      const learningRate =
        run.learningRate * Math.min(1, (run.step + 1) / warmupSteps) * annealFactor(Date.now(), started, deadline, annealFraction);
      const chunk = batcher.chunkAt(run.cursor);
      const injectNaN = nanSteps.delete(run.step);
      const t0 = Date.now();
      const result = trainStep(run.params, run.adam, chunk, run.carried, { learningRate, clipNorm, injectNaN });
      if (!result.applied) {
        disposeState(result.state);
        nanRollbacks++;
        if (nanRollbacks > MAX_NAN_ROLLBACKS) {
          throw new Error(`training diverged: ${nanRollbacks} NaN/Inf rollbacks without recovering; try a lower --lr`);
        }
        const badStep = run.step;
        await restore(run, lastDir, data.vocab, units);
        run.learningRate = Math.max(MIN_LEARNING_RATE, run.learningRate / 2);
        progress.clear();
        event('nan-rollback', `loss or gradient was NaN/Inf at step ${badStep}: rolled back to step ${run.step}, learning rate → ${run.learningRate}`);
        await writeLog(options, run);
        continue;
      }
      disposeState(run.carried);
      run.carried = result.state;
      run.step++;
      stepsThisRun++;
      run.cursor = { ...run.cursor, chunk: run.cursor.chunk + 1 };
      const chars = chunk.targets.length;
      run.charsSeen += chars;
      run.trainSeconds += (Date.now() - t0) / 1000;
      windowLoss += result.loss * chars;
      windowCorrect += result.correct;
      windowChars += chars;
      options.onStep?.({ step: run.step, loss: result.loss, learningRate });
      progress.update({
        epoch: run.cursor.epoch,
        chunk: run.cursor.chunk,
        chunksPerEpoch: batcher.chunksPerEpoch,
        step: run.step,
        chars,
        loss: result.loss,
        accuracy: result.correct / chars,
        learningRate,
        stepsLeft: totalSteps - run.step,
        msLeftByClock: deadline === Infinity ? Infinity : deadline - Date.now(),
      });

      if (run.step % evalEvery === 0 && run.cursor.chunk < batcher.chunksPerEpoch) await validate();
      const everySteps = options.checkpointEverySteps ?? 0;
      if (Date.now() - lastCheckpointAt >= checkpointMs || (everySteps > 0 && run.step % everySteps === 0)) {
        await save(lastDir);
        lastCheckpointAt = Date.now();
      }
    }
    progress.clear();
    event('stop', `stopped by ${stoppedBy} at step ${run.step} (${run.charsSeen} characters seen)`);
    await save(lastDir);
    await writeLog(options, run);
    if (options.skipFinal) {
      return summary(run, stoppedBy, false, batcher);
    }
    return await finish(options, run, data, bestDir, stoppedBy, batcher);
  } finally {
    disposeState(run.carried);
    disposeParams(run.params);
    run.adam.dispose();
  }
}

/** 1 until the last `fraction` of [start, deadline], then a cosine from 1 down to 0.1. */
export function annealFactor(now: number, start: number, deadline: number, fraction: number): number {
  if (!Number.isFinite(deadline) || fraction <= 0) return 1;
  const annealStart = deadline - fraction * (deadline - start);
  if (now <= annealStart) return 1;
  const progress = Math.min(1, (now - annealStart) / (deadline - annealStart));
  return 0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress));
}

function checkpointShape(run: RunState, options: TrainOptions) {
  return { units: run.params.units, sequenceLength: options.sequenceLength, batch: options.batch };
}

/** A fresh start, a resume from the last checkpoint, or a warm start from the exported model. */
async function startState(options: TrainOptions, data: Prepared, lastDir: string, batcher: StreamBatcher): Promise<RunState> {
  const shapes = paramShapes(data.vocab.length, options.units);
  if (options.resume) {
    const cp = await loadCheckpoint(lastDir);
    if (cp) {
      checkCompatible(cp, data.vocab, options);
      return fromCheckpoint(cp, data.vocab);
    }
    const hasModel = await stat(join(options.modelDir, 'meta.json')).catch(() => undefined);
    if (hasModel) {
      const { meta, arrays } = await readExportedWeights(options.modelDir);
      if (meta.vocab.join('') !== data.vocab.join('')) {
        throw new UserError(
          `models/${options.modelId} was trained on a different vocabulary than the prepared corpus; prepare with the model's vocabulary (the train CLI does this on --resume)`,
          'bad-option',
        );
      }
      const rng = new Rng(options.seed ?? 1);
      const params = paramsFromArrays(data.vocab.length, meta.units, arrays);
      options.logger.info({ units: meta.units }, `warm start from ${options.modelDir}`);
      const state = freshRun(params, paramShapes(data.vocab.length, meta.units), rng, batcher, options);
      state.events.push({ step: 0, kind: 'warm-start', detail: `weights from ${options.modelDir}`, at: new Date().toISOString() });
      return state;
    }
    options.logger.warn({}, 'nothing to resume from (no checkpoint, no exported model): starting fresh');
  }
  const rng = new Rng(options.seed ?? 1);
  const params = initParams(data.vocab.length, options.units, rng);
  return freshRun(params, shapes, rng, batcher, options);
}

function freshRun(params: CharLstmParams, shapes: number[][], rng: Rng, batcher: StreamBatcher, options: TrainOptions): RunState {
  return {
    params,
    adam: new Adam(shapes),
    carried: zeroState(params.units, options.batch),
    cursor: batcher.startEpoch(0, rng),
    rng,
    step: 0,
    learningRate: options.learningRate,
    bestValidLoss: null,
    staleValidations: 0,
    charsSeen: 0,
    trainSeconds: 0,
    history: [],
    events: [],
  };
}

function checkCompatible(cp: CheckpointData, vocab: readonly string[], options: TrainOptions): void {
  const s = cp.state;
  if (s.vocab.join('') !== vocab.join('')) {
    throw new UserError(`The checkpoint in ${options.checkpointDir} was made with a different vocabulary; delete it or prepare the same corpus`, 'bad-option');
  }
  if (s.batch !== options.batch || s.sequenceLength !== options.sequenceLength) {
    throw new UserError(
      `The checkpoint was made with --batch ${s.batch} --seq ${s.sequenceLength}; resume with the same values (got ${options.batch}, ${options.sequenceLength})`,
      'bad-option',
    );
  }
  if (s.units.join(',') !== options.units.join(',')) {
    throw new UserError(`The checkpoint has units ${s.units.join(',')}; resume with --units ${s.units.join(',')}`, 'bad-option');
  }
}

function fromCheckpoint(cp: CheckpointData, vocab: readonly string[]): RunState {
  const s = cp.state;
  const shapes = paramShapes(vocab.length, s.units);
  const get = (name: string): Float32Array => {
    const t = cp.tensors.get(name);
    if (!t) throw new Error(`checkpoint lacks tensor ${name}`);
    return t;
  };
  const params = paramsFromArrays(
    vocab.length,
    s.units,
    shapes.map((_, i) => get(`w${i}`)),
  );
  const adam = new Adam(shapes, undefined, {
    m: shapes.map((_, i) => get(`m${i}`)),
    v: shapes.map((_, i) => get(`v${i}`)),
    t: s.adamStep,
  });
  const carried: LstmState = {
    h: s.units.map((u, l) => tf.tensor2d(get(`h${l}`), [s.batch, u])),
    c: s.units.map((u, l) => tf.tensor2d(get(`c${l}`), [s.batch, u])),
  };
  return {
    params,
    adam,
    carried,
    cursor: s.cursor,
    rng: new Rng(s.rngState),
    step: s.step,
    learningRate: s.learningRate,
    bestValidLoss: s.bestValidLoss,
    staleValidations: s.staleValidations,
    charsSeen: s.charsSeen,
    trainSeconds: s.trainSeconds,
    history: [...s.history],
    events: [...s.events],
  };
}

/** Roll `run` back to the checkpoint in `dir` (keeps the run's event log, which records why). */
async function restore(run: RunState, dir: string, vocab: readonly string[], units: readonly number[]): Promise<void> {
  const cp = await loadCheckpoint(dir);
  if (!cp) throw new Error(`no checkpoint in ${dir} to roll back to`);
  const back = fromCheckpoint(cp, vocab);
  if (back.params.units.join(',') !== units.join(',')) throw new Error('checkpoint shape changed during training');
  disposeParams(run.params);
  run.adam.dispose();
  disposeState(run.carried);
  const events = run.events;
  Object.assign(run, back);
  run.events = events;
}

async function snapshotTensors(run: RunState): Promise<Map<string, Float32Array>> {
  const tensors = new Map<string, Float32Array>();
  (await paramsToArrays(run.params)).forEach((a, i) => tensors.set(`w${i}`, a));
  const adam = await run.adam.snapshot();
  adam.m.forEach((a, i) => tensors.set(`m${i}`, a));
  adam.v.forEach((a, i) => tensors.set(`v${i}`, a));
  for (let l = 0; l < run.carried.h.length; l++) {
    tensors.set(`h${l}`, (await (run.carried.h[l] as tf.Tensor).data()) as Float32Array);
    tensors.set(`c${l}`, (await (run.carried.c[l] as tf.Tensor).data()) as Float32Array);
  }
  return tensors;
}

function checkpointFields(
  run: RunState,
  modelId: string,
  vocab: readonly string[],
  units: readonly number[],
  sequenceLength: number,
  batch: number,
): Omit<CheckpointState, 'tensors' | 'version' | 'savedAt'> {
  return {
    modelId,
    vocab,
    units,
    sequenceLength,
    batch,
    step: run.step,
    cursor: run.cursor,
    rngState: run.rng.snapshot(),
    learningRate: run.learningRate,
    adamStep: run.adam.t,
    bestValidLoss: run.bestValidLoss,
    staleValidations: run.staleValidations,
    charsSeen: run.charsSeen,
    trainSeconds: run.trainSeconds,
    history: run.history,
    events: run.events,
  };
}

async function writeLog(options: TrainOptions, run: RunState): Promise<void> {
  const log = { model: options.modelId, step: run.step, charsSeen: run.charsSeen, history: run.history, events: run.events };
  await writeFile(join(options.checkpointDir, 'log.json'), JSON.stringify(log, null, 1));
  await writeFile(join(options.checkpointDir, 'training.svg'), renderTrainingSvg(`${options.modelId}: training`, run.history));
}

function summary(run: RunState, stoppedBy: TrainSummary['stoppedBy'], exported: boolean, batcher: StreamBatcher, valid?: EvalResult, test?: EvalResult): TrainSummary {
  return {
    steps: run.step,
    charsSeen: run.charsSeen,
    epochs: run.step / batcher.chunksPerEpoch,
    bestValidLoss: run.bestValidLoss,
    valid,
    test,
    exported,
    events: run.events,
    stoppedBy,
  };
}

/** meta.json for an export: the contract fields plus how the weights came to be. */
function modelMeta(
  options: TrainOptions,
  data: Prepared,
  units: readonly number[],
  batcher: StreamBatcher,
  at: { step: number; charsSeen: number; trainSeconds: number },
  scores: { valid: EvalResult; test?: EvalResult; interim?: boolean },
): ModelMeta {
  const score = (r: EvalResult) => ({ bpc: r.bpc, accuracy: r.accuracy, chars: r.chars });
  return {
    format: 1,
    id: options.modelId,
    description: options.description ?? '',
    vocab: data.vocab,
    units: [...units],
    sequenceLength: options.sequenceLength,
    training: {
      trainer: 'src/training (hand-written LSTM forward/backward, tfjs)',
      corpus: (data.report as { corpusDir?: unknown }).corpusDir,
      splits: (data.report as { splits?: unknown }).splits,
      batch: options.batch,
      steps: at.step,
      epochs: at.step / batcher.chunksPerEpoch,
      charsSeen: at.charsSeen,
      trainSeconds: Math.round(at.trainSeconds),
      // An interim export (at a new best validation, mid-run) is scored on the validation subset only.
      ...(scores.interim ? { interim: true, validSubset: score(scores.valid) } : { valid: score(scores.valid) }),
      ...(scores.test ? { test: score(scores.test) } : {}),
      date: new Date().toISOString(),
    },
  };
}

/** Best weights → full validation and test scores → models/<id>/ with meta and the plot. */
async function finish(
  options: TrainOptions,
  run: RunState,
  data: Prepared,
  bestDir: string,
  stoppedBy: TrainSummary['stoppedBy'],
  batcher: StreamBatcher,
): Promise<TrainSummary> {
  const best = await loadCheckpoint(bestDir);
  const chosen = best ? fromCheckpoint(best, data.vocab) : undefined;
  const params = chosen?.params ?? run.params;
  try {
    const evalOptions = { batch: options.batch, steps: options.sequenceLength };
    const valid = evaluateIds(params, data.valid, evalOptions);
    const test = evaluateIds(params, data.test, evalOptions);
    options.logger.info({ valid, test }, `final: validation bpc ${valid.bpc.toFixed(3)}, test bpc ${test.bpc.toFixed(3)}, test accuracy ${(100 * test.accuracy).toFixed(1)}%`);
    const at = best ? best.state : { step: run.step, charsSeen: run.charsSeen, trainSeconds: run.trainSeconds };
    const meta = modelMeta(options, data, params.units, batcher, at, { valid, test });
    await exportModel(params, meta, options.modelDir, { weightPrecision: options.weightPrecision });
    await copyFile(join(options.checkpointDir, 'training.svg'), join(options.modelDir, 'training.svg')).catch(() => undefined);
    options.logger.info({ dir: options.modelDir }, `exported ${options.modelId}`);
    return summary(run, stoppedBy, true, batcher, valid, test);
  } finally {
    if (chosen) {
      disposeParams(chosen.params);
      chosen.adam.dispose();
      disposeState(chosen.carried);
    }
  }
}

