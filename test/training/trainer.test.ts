import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchEngine } from '../../src/inference/batch-engine.js';
import { chooseBackend } from '../../src/inference/backend.js';
import { loadModelDir } from '../../src/inference/model-files.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/training/checkpoint.js';
import { prepareCorpus } from '../../src/training/corpus/prepare.js';
import { scoreText } from '../../src/training/evaluate.js';
import { disposeState, forwardChunk, zeroState } from '../../src/training/lstm/forward.js';
import { disposeParams, paramsFromArrays, paramShapes } from '../../src/training/lstm/params.js';
import { annealFactor, train, type TrainOptions } from '../../src/training/trainer.js';
import { MemoryLogger } from '../fakes/silent-logger.js';
import { gutenbergBook, prose, tempDir } from './synthetic-books.js';

let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await chooseBackend('wasm', new MemoryLogger());
  dir = await tempDir();
});
afterAll(() => dir.remove());

/** A prepared corpus written directly: train text sized so that an epoch is 7 steps of 4×10. */
async function writePrepared(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
  const train = prose(40, 1).slice(0, 4 * 75 + 1);
  const valid = prose(12, 2);
  const test = prose(12, 3);
  const vocab = [...new Set(train + valid + test)].sort();
  await writeFile(join(path, 'train.txt'), train);
  await writeFile(join(path, 'valid.txt'), valid);
  await writeFile(join(path, 'test.txt'), test);
  await writeFile(join(path, 'vocab.json'), JSON.stringify(vocab));
  await writeFile(join(path, 'report.json'), JSON.stringify({ corpusDir: 'synthetic', splits: {} }));
}

function options(name: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    modelId: name,
    preparedDir: join(dir.path, 'prepared'),
    checkpointDir: join(dir.path, 'checkpoints', name),
    modelDir: join(dir.path, 'models', name),
    units: [16],
    sequenceLength: 10,
    batch: 4,
    epochs: 100,
    learningRate: 0.01,
    warmupSteps: 2,
    evalEvery: 1000,
    resume: false,
    skipFinal: true,
    logger: new MemoryLogger(),
    ...extra,
  };
}

async function losses(opts: TrainOptions): Promise<number[]> {
  const seen: number[] = [];
  await train({ ...opts, onStep: ({ loss }) => seen.push(loss) });
  return seen;
}

describe('train', () => {
  beforeAll(() => writePrepared(join(dir.path, 'prepared')));

  it('resumes from a checkpoint with exactly the steps an uninterrupted run takes', async () => {
    // Uninterrupted: 12 steps, crossing the epoch boundary at step 7 (new rotation from the RNG).
    const straight = await losses(options('straight', { maxSteps: 12 }));
    expect(straight).toHaveLength(12);

    const first = await losses(options('split', { maxSteps: 5 }));
    expect(first).toEqual(straight.slice(0, 5));
    const saved = join(dir.path, 'saved-last');
    await cp(join(dir.path, 'checkpoints', 'split', 'last'), saved, { recursive: true });

    const resumed = await losses(options('split', { maxSteps: 7, resume: true }));
    expect(resumed).toEqual(straight.slice(5));

    // Again from the same checkpoint: the same next loss.
    await rm(join(dir.path, 'checkpoints', 'split', 'last'), { recursive: true });
    await cp(saved, join(dir.path, 'checkpoints', 'split', 'last'), { recursive: true });
    const again = await losses(options('split', { maxSteps: 1, resume: true }));
    expect(again).toEqual([straight[5]]);
  });

  it('rolls back to the last checkpoint and lowers the learning rate when a step goes NaN', async () => {
    const logger = new MemoryLogger();
    const rates: number[] = [];
    const result = await train({
      ...options('nan', { maxSteps: 10, checkpointEverySteps: 4, injectNaNAtSteps: [6], logger, skipFinal: false }),
      onStep: ({ step, learningRate }) => rates.push(step === 5 ? learningRate : NaN),
    });
    const rollback = result.events.find((e) => e.kind === 'nan-rollback');
    expect(rollback?.detail).toMatch(/at step 6: rolled back to step 4, learning rate → 0.005/);
    expect(logger.lines.some((l) => /NaN\/Inf at step 6/.test(l.msg))).toBe(true);
    // Step 5 ran twice: before the NaN at lr 0.01, after the rollback at 0.005.
    expect(rates.filter((r) => !Number.isNaN(r))).toEqual([0.01, 0.005]);
    // 10 applied steps in this run, 2 of them (steps 5 and 6) repeated after the rollback.
    expect(result.steps).toBe(8);
    expect(result.exported).toBe(true);
    const { model } = await loadModelDir(join(dir.path, 'models', 'nan'));
    for (const w of model.getWeights()) expect(Array.from(w.dataSync()).every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  it('anneals the learning rate over the last part of a time-boxed run', () => {
    expect(annealFactor(500, 0, 1000, 0.25)).toBe(1);
    expect(annealFactor(750, 0, 1000, 0.25)).toBe(1);
    expect(annealFactor(875, 0, 1000, 0.25)).toBeCloseTo(0.55, 6);
    expect(annealFactor(1000, 0, 1000, 0.25)).toBeCloseTo(0.1, 6);
    expect(annealFactor(900, 0, Infinity, 0.25)).toBe(1);
    expect(annealFactor(900, 0, 1000, 0)).toBe(1);
  });

  it('refuses to checkpoint NaN weights', async () => {
    const bad = new Map([['w0', new Float32Array([1, NaN])]]);
    await expect(saveCheckpoint(join(dir.path, 'bad'), {} as never, bad)).rejects.toThrow(/NaN/);
  });

  it('exports the best weights: the reloaded layers model predicts what the trained network does', async () => {
    const result = await train(options('export', { maxSteps: 14, evalEvery: 5, skipFinal: false }));
    expect(result.exported).toBe(true);
    const best = await loadCheckpoint(join(dir.path, 'checkpoints', 'export', 'best'));
    expect(best).toBeDefined();
    const vocab = best!.state.vocab;
    const params = paramsFromArrays(
      vocab.length,
      best!.state.units,
      paramShapes(vocab.length, best!.state.units).map((_, i) => best!.tensors.get(`w${i}`)!),
    );
    const { model, meta } = await loadModelDir(join(dir.path, 'models', 'export'));
    expect(meta.vocab).toEqual(vocab);
    expect(meta.training['test']).toMatchObject({ chars: expect.any(Number) });
    const seq = [3, 5, 7, 1, 2, 9, 4, 4, 0, 6];
    const input = tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(seq, 'int32'), vocab.length), 'float32'), [1, seq.length, vocab.length]);
    const predicted = (model.predict(input) as tf.Tensor).dataSync();
    const state = zeroState(best!.state.units, 1);
    const ours = tf.softmax(forwardChunk(params, tf.tensor1d(seq, 'int32'), 1, state).logits).dataSync();
    let diff = 0;
    for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs((ours[i] as number) - (predicted[i] as number)));
    expect(diff).toBeLessThan(1e-5);
    disposeState(state);
    disposeParams(params);
    model.dispose();
    const log = JSON.parse(await readFile(join(dir.path, 'checkpoints', 'export', 'log.json'), 'utf8')) as { history: unknown[] };
    expect(log.history.length).toBeGreaterThanOrEqual(2);
    expect(await readFile(join(dir.path, 'models', 'export', 'training.svg'), 'utf8')).toMatch(/^<svg[\s\S]*polyline/);
  });
  it('exports at each new best validation, so a killed run still leaves a usable model', async () => {
    await train(options('interim', { maxSteps: 6, evalEvery: 3, skipFinal: true }));
    const { model, meta } = await loadModelDir(join(dir.path, 'models', 'interim'));
    expect(meta.training).toMatchObject({ interim: true, validSubset: { bpc: expect.any(Number) } });
    expect(meta.training['test']).toBeUndefined();
    model.dispose();
  });

  it('warm-starts from models/<id> when there is no checkpoint to resume', async () => {
    const fresh = await losses(options('cold', { maxSteps: 1 }));
    const warm: number[] = [];
    const result = await train({
      ...options('warm', { maxSteps: 1, resume: true, modelDir: join(dir.path, 'models', 'export'), skipFinal: true }),
      onStep: ({ loss }) => warm.push(loss),
    });
    expect(result.events.map((e) => e.kind)).toContain('warm-start');
    // The exported weights already know the text: their first loss is well below a fresh start's.
    expect(warm[0]!).toBeLessThan(fresh[0]! - 0.3);
  });
});

describe('prepare → train → export → load → generate', () => {
  it('learns a small synthetic corpus and the engine writes with it', async () => {
    const corpus = join(dir.path, 'e2e-corpus');
    await mkdir(corpus, { recursive: true });
    const authors = ['Ann Able', 'Bob Baker', 'Cy Cole'];
    for (const [i, author] of authors.entries()) {
      for (const n of [1, 2]) {
        const body = prose(70, 10 * i + n);
        await writeFile(join(corpus, `${author.split(' ')[1]!.toLowerCase()}_${n}.txt`), gutenbergBook({ title: `Book ${n}`, author, language: 'English', style: n === 1 ? 'old' : 'new', body, credits: true }));
      }
    }
    const prepared = join(dir.path, 'e2e-prepared');
    const report = await prepareCorpus({ corpusDir: corpus, outDir: prepared, testAuthors: ['cole'] });
    expect(report.splits.test.files).toEqual(['cole_1.txt', 'cole_2.txt']);

    const result = await train({
      ...options('e2e', { preparedDir: prepared, units: [32], batch: 8, sequenceLength: 20, learningRate: 0.01, evalEvery: 40, maxSteps: 160, skipFinal: false }),
    });
    expect(result.exported).toBe(true);
    // Uniform guessing over this vocabulary costs log2(|vocab|) ≈ 5 bits; the model must do far better
    // on the held-out author (same phrase book, different sentences).
    expect(result.test!.bpc).toBeLessThan(2);
    expect(result.test!.accuracy).toBeGreaterThan(0.5);

    const { model, meta } = await loadModelDir(join(dir.path, 'models', 'e2e'));
    // The stateful engine's score of the test text agrees with the trainer's.
    const testText = await readFile(join(prepared, 'test.txt'), 'utf8');
    const score = scoreText(model, meta, testText, 8);
    expect(Math.abs(score.bpc - result.test!.bpc)).toBeLessThan(0.25);

    const engine = new BatchEngine([{ meta, model }], { backend: 'wasm', logger: new MemoryLogger() });
    const generate = async () => {
      let out = '';
      for await (const piece of engine.generate({ seed: 'The captain', model: 'e2e', temperature: 0.4, length: 120, randomSeed: 3 })) out += piece;
      return out;
    };
    const text = await generate();
    expect(text).toHaveLength(120);
    expect([...text].every((ch) => meta.vocab.includes(ch))).toBe(true);
    // It learned words of the corpus, not noise.
    expect(text).toMatch(/\b(the|and|said|nothing|for|while)\b/);
    expect(await generate()).toBe(text);
    await engine.close();
  });
});
