import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { JobQueue } from '../core/job-queue.js';
import type { GenerationRequest, InferenceEngine } from '../core/ports.js';
import { BACKEND_PREFERENCES, chooseBackend, type BackendPreference } from '../inference/backend.js';
import { buildCharLstm } from '../inference/build-model.js';
import { extractStepWeights, stepFlopsPerRow } from '../inference/lstm-weights.js';
import { loadModelDir, saveModelDir, type LoadedModel } from '../inference/model-files.js';
import { mulberry32, sampleIndex } from '../inference/sampling.js';
import { StatefulBatch } from '../inference/stateful-session.js';
import { WorkerPool } from '../inference/worker-pool.js';
import { createLogger } from '../logger.js';

/**
 * npm run bench -- [--model scifi] [--models-dir models] [--backend auto|tensorflow|wasm|cpu] [--workers 1]
 *
 * Measures the inference engine against the original method and against the backend itself, and
 * prints a summary, then (last line) one JSON object. Each figure is the best of a few repeats:
 * the machine may be shared, and the best run is the closest to the cost of the work itself.
 * With no trained model at models/<id>, a random 2×256 model of the same shape stands in.
 */
const WINDOW = 100;
const REPEATS = 3;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'scifi' },
      'models-dir': { type: 'string', default: 'models' },
      backend: { type: 'string', default: 'auto' },
      'log-level': { type: 'string', default: 'warn' },
      workers: { type: 'string', default: '1' },
    },
  });
  const logger = createLogger(values['log-level']);
  const preference = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(preference)) throw new Error(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}`);
  const backend = await chooseBackend(preference, logger);

  const scratch = await mkdtemp(join(tmpdir(), 'scifi-bench-'));
  try {
    const { loaded, modelsDir, label } = await benchModel(values['models-dir'], values.model, scratch);
    const { meta, model } = loaded;
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    say(`model ${label}: LSTM ${meta.units.join('×')}, vocabulary ${meta.vocab.length}; backend ${backend}`);

    const matmulGflops = best(() => matmulGflopsOnce(1024));
    say(`matMul 1024³: ${matmulGflops.toFixed(1)} GFLOP/s`);

    const windowed = best(() => windowedCharsPerSecond(loaded, 12));
    say(`windowed (whole ${WINDOW}-char window through model.predict per char): ${windowed.toFixed(1)} chars/s`);

    const weights = extractStepWeights(model);
    const flops = stepFlopsPerRow(weights);
    const step1 = best(() => stepSeconds(new StatefulBatch(weights), 1, 300));
    const step32 = best(() => stepSeconds(new StatefulBatch(weights), 32, 60));
    const stepGflops32 = (flops.executed * 32) / step32 / 1e9;
    say(`raw step: B=1 ${(1e3 * step1).toFixed(2)} ms, B=32 ${(1e3 * step32).toFixed(2)} ms = ${stepGflops32.toFixed(1)} GFLOP/s` +
      ` (${((flops.useful * 32) / step32 / 1e9).toFixed(1)} without layer 0's one-hot rows)`);

    const workers = Number(values.workers);
    const engine = await WorkerPool.start({ modelsDir, backend: preference }, workers, logger);
    let stateful: number;
    let batch32: number;
    try {
      const request: GenerationRequest = { seed: 'It all began with', model: meta.id, temperature: 0.8, length: 1500 };
      stateful = await bestAsync(() => charsPerSecondThroughQueue(engine, request, 1));
      say(`stateful engine, 1 job: ${stateful.toFixed(0)} chars/s`);
      batch32 = await bestAsync(() => charsPerSecondThroughQueue(engine, { ...request, length: 600 }, 32));
      say(`stateful engine, 32 concurrent jobs through the job queue (${workers} worker${workers > 1 ? 's' : ''}): ${batch32.toFixed(0)} chars/s`);
    } finally {
      await engine.close();
    }
    const result = {
      model: label,
      backend,
      workers,
      units: meta.units,
      vocab: meta.vocab.length,
      stateful_chars_per_s: round(stateful),
      windowed_chars_per_s: round(windowed),
      stateful_vs_windowed: round(stateful / windowed),
      batch32_chars_per_s: round(batch32),
      batch32_vs_1: round(batch32 / stateful),
      matmul_gflops: round(matmulGflops),
      step_gflops_b32: round(stepGflops32),
      step_vs_matmul: round(stepGflops32 / matmulGflops),
      step_ms_b1: round(1e3 * step1),
      step_ms_b32: round(1e3 * step32),
    };
    say(`stateful/windowed ${result.stateful_vs_windowed} (target ≥ 100), batch32/1 ${result.batch32_vs_1} (≥ 8), ` +
      `step/matMul ${result.step_vs_matmul} (≥ 0.6)`);
    say(JSON.stringify(result));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The trained model when there is one; otherwise a random model of the shipped shape. */
async function benchModel(
  modelsDir: string,
  id: string,
  scratch: string,
): Promise<{ loaded: LoadedModel; modelsDir: string; label: string }> {
  const dir = join(modelsDir, id);
  if (await stat(join(dir, 'meta.json')).then(() => true, () => false)) {
    // The worker serves only this model: copy nothing, point it at a folder holding just it.
    const loaded = await loadModelDir(dir);
    const single = join(scratch, 'models');
    await saveModelDir(loaded.model, loaded.meta, join(single, id));
    return { loaded, modelsDir: single, label: id };
  }
  const vocab = [...' !"\'(),-.0123456789:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n'];
  const units = [256, 256];
  const model = buildCharLstm(vocab.length, units);
  const meta = { format: 1 as const, id: 'random', description: 'random weights', vocab, units, sequenceLength: WINDOW, training: {} };
  const single = join(scratch, 'models');
  await saveModelDir(model, meta, join(single, 'random'));
  return { loaded: { model, meta, dir: join(single, 'random') }, modelsDir: single, label: 'random-2x256 (no trained model found)' };
}

function matmulGflopsOnce(n: number): number {
  const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
  tf.matMul(a, b).dispose();
  const runs = 4;
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  tf.dispose([a, b]);
  return (2 * n ** 3 * runs) / seconds / 1e9;
}

/** The original method: for each new character, the last WINDOW characters through predict. */
function windowedCharsPerSecond({ model, meta }: LoadedModel, chars: number): number {
  const random = mulberry32(1);
  const text = Array.from({ length: WINDOW }, (_, i) => i % meta.vocab.length);
  const started = performance.now();
  for (let i = 0; i < chars; i++) {
    const window = text.slice(-WINDOW);
    const probabilities = tf.tidy(() => {
      const x = tf.cast(tf.oneHot(tf.tensor2d([window], [1, WINDOW], 'int32'), meta.vocab.length), 'float32');
      const y = model.predict(x) as tf.Tensor3D;
      return tf.slice(y, [0, WINDOW - 1, 0], [1, 1, meta.vocab.length]);
    });
    text.push(sampleIndex(probabilities.dataSync(), 0.8, random));
    probabilities.dispose();
  }
  return chars / ((performance.now() - started) / 1000);
}

function stepSeconds(batch: StatefulBatch, rows: number, steps: number): number {
  batch.addRows(rows);
  const inputs = Int32Array.from({ length: rows }, (_, r) => r % batch.vocabSize);
  for (let i = 0; i < 10; i++) batch.step(inputs);
  const started = performance.now();
  for (let i = 0; i < steps; i++) batch.step(inputs);
  const seconds = (performance.now() - started) / 1000 / steps;
  batch.dispose();
  return seconds;
}

/** n jobs at once through the real job queue into the engine; total characters per second. */
async function charsPerSecondThroughQueue(engine: InferenceEngine, request: GenerationRequest, n: number): Promise<number> {
  const queue = new JobQueue({ concurrency: n, maxWaiting: n, maxWaitingPerUser: n });
  const started = performance.now();
  const jobs = Array.from({ length: n }, (_, i) =>
    queue.enqueue({
      id: `bench-${i}`,
      userId: `bench:user:${i}`,
      channelId: `bench:channel:${i}`,
      run: async (signal) => {
        let chars = 0;
        for await (const chunk of engine.generate({ ...request, randomSeed: i }, signal)) chars += chunk.length;
        return chars;
      },
    }).done,
  );
  const total = (await Promise.all(jobs)).reduce((a, b) => a + b, 0);
  queue.close();
  return total / ((performance.now() - started) / 1000);
}

function best(measure: () => number): number {
  return Math.max(...Array.from({ length: REPEATS }, measure));
}

async function bestAsync(measure: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < REPEATS; i++) top = Math.max(top, await measure());
  return top;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
