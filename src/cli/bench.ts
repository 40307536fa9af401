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
import { startInferenceEngine, type WorkerCount } from '../inference/start-engine.js';
import { WorkerPool } from '../inference/worker-pool.js';
import { createLogger } from '../logger.js';
import { engineMemory, exposeGc, rssMb, soak, type SoakResult } from './bench-memory.js';
import { runCli } from './run-cli.js';

/**
 * npm run bench -- [--model scifi] [--models-dir models] [--backend auto|tensorflow|wasm|cpu] [--workers auto|N] [--rounds 3] [--soak 600]
 *
 * Measures the inference engine against the original method and against the backend itself, and
 * prints a summary, then (last line) one JSON object. All figures are taken in each of a few rounds
 * (ratios within a round, close together in time) and the medians reported: the machine may be shared.
 * With no trained model at models/<id>, a random 2×256 model of the same shape stands in.
 * Then memory (bench-memory.ts): the process's resident size with the engine loaded, and a soak of
 * --soak short stories through the same engine that shows whether a long-running bot leaks.
 */
const WINDOW = 100;
/**
 * Leak targets, per 1000 stories once warm: an idle engine holds exactly the tensors it held
 * before; the JS heaps (exact after gc) stay within warm-up drift (~0.7 in a 600-story soak; the job
 * queue's listeners left on the shutdown signal by every finished job showed as 3.7); RSS stays flat within its noise.
 */
const HEAP_GROWTH_TARGET_MB_PER_1000 = 2;
const RSS_GROWTH_TARGET_MB_PER_1000 = 10;

interface Round {
  readonly matmul: number;
  readonly windowed: number;
  readonly step1: number;
  readonly step32: number;
  readonly stepGflops32: number;
  readonly stateful: number;
  readonly batch32: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'scifi' },
      'models-dir': { type: 'string', default: 'models' },
      backend: { type: 'string', default: 'auto' },
      'log-level': { type: 'string', default: 'warn' },
      workers: { type: 'string', default: 'auto' },
      rounds: { type: 'string', default: '3' },
      // Shape of the random model (--model random): what a wider model would cost before training it.
      units: { type: 'string', default: '256,256' },
      // Short stories in the leak check (0: none); a few thousand for a longer soak.
      soak: { type: 'string', default: '600' },
    },
  });
  const soakStories = Number(values.soak);
  if (!(Number.isInteger(soakStories) && soakStories >= 0)) throw new Error('--soak must be a whole number ≥ 0 (stories)');
  const randomUnits = values.units.split(',').map(Number);
  if (!randomUnits.every((u) => Number.isInteger(u) && u >= 1 && u <= 4096)) throw new Error('--units must be whole numbers from 1 to 4096, e.g. 800,800');
  const logger = createLogger(values['log-level']);
  const preference = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(preference)) throw new Error(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}`);
  const backend = await chooseBackend(preference, logger);

  const scratch = await mkdtemp(join(tmpdir(), 'scifi-bench-'));
  try {
    const { loaded, modelsDir, label } = await benchModel(values['models-dir'], values.model, scratch, randomUnits);
    const { meta, model } = loaded;
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    say(`model ${label}: LSTM ${meta.units.join('×')}, vocabulary ${meta.vocab.length}; backend ${backend}`);

    const weights = extractStepWeights(model);
    const flops = stepFlopsPerRow(weights);
    // The bot's own default (INFERENCE_WORKERS=auto) unless told otherwise: the figures describe
    // the engine as it is deployed on this machine.
    const workerCount: WorkerCount = values.workers === 'auto' ? 'auto' : Number(values.workers);
    if (workerCount !== 'auto' && !(Number.isInteger(workerCount) && workerCount >= 1)) throw new Error('--workers must be auto or a whole number ≥ 1');
    const collectGarbage = exposeGc();
    collectGarbage();
    const rssBeforeEngine = rssMb();
    const engine = await startInferenceEngine({ modelsDir, backend: preference, workers: workerCount }, logger);
    const engineStartRss = rssMb() - rssBeforeEngine;
    const workers = engine instanceof WorkerPool ? engine.size : 1;
    const request: GenerationRequest = { seed: 'It all began with', model: meta.id, temperature: 0.8, length: 1000 };
    const roundCount = Math.max(1, Math.floor(Number(values.rounds)) || 1);
    const rounds: Round[] = [];
    let rssWarm: number;
    let leak: SoakResult | undefined;
    try {
      // Every figure is taken in each round, close together in time, and the ratios are formed
      // within a round; the summary keeps each figure's median over the rounds.
      for (let r = 0; r < roundCount; r++) {
        const step1 = stepSeconds(new StatefulBatch(weights), 1, 0.5);
        const step32 = stepSeconds(new StatefulBatch(weights), 32, 1);
        const round: Round = {
          matmul: matmulGflopsOnce(1024),
          windowed: windowedCharsPerSecond(loaded, 1.5),
          step1,
          step32,
          stepGflops32: (flops.executed * 32) / step32 / 1e9,
          stateful: await charsPerSecondThroughQueue(engine, request, 1),
          batch32: await charsPerSecondThroughQueue(engine, { ...request, length: 300 }, 32),
        };
        rounds.push(round);
        say(`round ${r + 1}: matMul ${round.matmul.toFixed(1)} GFLOP/s, windowed ${round.windowed.toFixed(1)} chars/s, ` +
          `step B=1 ${(1e3 * step1).toFixed(2)} ms / B=32 ${(1e3 * step32).toFixed(2)} ms, ` +
          `engine 1 job ${round.stateful.toFixed(0)} chars/s, 32 jobs ${round.batch32.toFixed(0)} chars/s`);
      }
      // After the speed rounds the engine has served 32 rows at once: its memory is at working size.
      collectGarbage();
      rssWarm = rssMb();
      const idle = await engineMemory(engine);
      say(`memory: process RSS ${rssWarm.toFixed(0)} MB with the engine loaded and warm (starting it added ` +
        `${engineStartRss.toFixed(0)} MB); per worker: ${idle.map((m) => `${m.tensors} tensors, ` +
        `wasm heap ${(m.wasmHeapBytes / 1024 / 1024).toFixed(0)} MB`).join('; ')}`);
      if (soakStories > 0) {
        const started = performance.now();
        leak = await soak(engine, { model: meta.id, temperature: 0.8 }, soakStories, collectGarbage);
        say(`soak: ${leak.stories} short stories in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
          `per 1000 stories (second half against the first): RSS ${signed(leak.rssGrowthMbPer1000)} MB, ` +
          `JS heaps ${signed(leak.heapGrowthMbPer1000)} MB, wasm heap ${signed(leak.wasmHeapGrowthMbPer1000)} MB; ` +
          `tensors ${leak.tensorsBefore} before, ${leak.tensorsAfter} after`);
      }
    } finally {
      await engine.close();
    }
    const median = (f: (r: Round) => number): number => {
      const sorted = rounds.map(f).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)]!;
    };
    const stateful = median((r) => r.stateful);
    const windowed = median((r) => r.windowed);
    const batch32 = median((r) => r.batch32);
    const matmulGflops = median((r) => r.matmul);
    const stepGflops32 = median((r) => r.stepGflops32);
    say(`matMul 1024³: ${matmulGflops.toFixed(1)} GFLOP/s; step at B=32: ${stepGflops32.toFixed(1)} GFLOP/s ` +
      `(${((flops.useful / flops.executed) * stepGflops32).toFixed(1)} counting no one-hot rows)`);
    say(`windowed (whole ${WINDOW}-char window through model.predict per char): ${windowed.toFixed(1)} chars/s`);
    say(`stateful engine, 1 job: ${stateful.toFixed(0)} chars/s; 32 concurrent jobs through the job queue ` +
      `(${workers} worker${workers > 1 ? 's' : ''}): ${batch32.toFixed(0)} chars/s`);
    const result = {
      model: label,
      backend,
      workers,
      units: meta.units,
      vocab: meta.vocab.length,
      stateful_chars_per_s: round(stateful),
      windowed_chars_per_s: round(windowed),
      stateful_vs_windowed: round(median((r) => r.stateful / r.windowed)),
      batch32_chars_per_s: round(batch32),
      batch32_vs_1: round(median((r) => r.batch32 / r.stateful)),
      // What batching could give at most here: every worker's core at the backend's matMul peak,
      // against one job. batch32_vs_1 cannot exceed this however well rows are batched.
      batch_ceiling_vs_1: round(median((r) => (workers * r.matmul * 1e9) / flops.executed / r.stateful)),
      matmul_gflops: round(matmulGflops),
      step_gflops_b32: round(stepGflops32),
      step_vs_matmul: round(median((r) => r.stepGflops32 / r.matmul)),
      step_ms_b1: round(1e3 * median((r) => r.step1)),
      step_ms_b32: round(1e3 * median((r) => r.step32)),
      rounds: roundCount,
      // Memory. rss_mb: the whole process's resident memory (this thread's tfjs and model copy
      // included) once the engine has served the speed rounds; engine_start_rss_mb: what starting
      // the engine (its workers, each holding every model) added to it.
      rss_mb: round(rssWarm),
      engine_start_rss_mb: round(engineStartRss),
      ...(leak === undefined ? {} : {
        // The leak check: soak_stories short stories in two halves; growth per 1000 stories of the
        // second half (a warm engine); tensors summed over the workers, idle before and after.
        soak_stories: leak.stories,
        soak_rss_growth_mb_per_1000: round(leak.rssGrowthMbPer1000),
        soak_heap_growth_mb_per_1000: round(leak.heapGrowthMbPer1000),
        soak_wasm_heap_growth_mb_per_1000: round(leak.wasmHeapGrowthMbPer1000),
        worker_tensors_before: leak.tensorsBefore,
        worker_tensors_after: leak.tensorsAfter,
      }),
    };
    say(`stateful/windowed ${result.stateful_vs_windowed} (target ≥ 100), batch32/1 ${result.batch32_vs_1} (≥ 8; ` +
      `at most ${result.batch_ceiling_vs_1} on ${workers} core${workers > 1 ? 's' : ''} at matMul peak), ` +
      `step/matMul ${result.step_vs_matmul} (≥ 0.6)`);
    if (leak !== undefined) {
      say(`soak tensor growth ${leak.tensorsAfter - leak.tensorsBefore} (target 0), per 1000 stories: JS heap growth ` +
        `${round(leak.heapGrowthMbPer1000)} MB (< ${HEAP_GROWTH_TARGET_MB_PER_1000}), RSS growth ` +
        `${round(leak.rssGrowthMbPer1000)} MB (< ${RSS_GROWTH_TARGET_MB_PER_1000})`);
    }
    say(JSON.stringify(result));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The trained model when there is one; otherwise a random model of the given shape. */
async function benchModel(
  modelsDir: string,
  id: string,
  scratch: string,
  randomUnits: readonly number[],
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
  const units = [...randomUnits];
  // Small random weights, drawn directly: tfjs's orthogonal initializer takes minutes on wide
  // recurrent kernels, and speed does not depend on how the values were drawn.
  const model = buildCharLstm(vocab.length, units, { initialWeights: 'zeros' });
  model.setWeights(model.getWeights().map((w) => tf.mul(tf.randomNormal(w.shape), 0.1)));
  const meta = { format: 1 as const, id: 'random', description: 'random weights', vocab, units, sequenceLength: WINDOW, training: {} };
  const single = join(scratch, 'models');
  await saveModelDir(model, meta, join(single, 'random'));
  const shape = `random-${units.join('x')}`;
  const label = id === 'random' ? shape : `${shape} (no trained model at ${dir})`;
  return { loaded: { model, meta, dir: join(single, 'random') }, modelsDir: single, label };
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
function windowedCharsPerSecond({ model, meta }: LoadedModel, seconds: number): number {
  const random = mulberry32(1);
  const text = Array.from({ length: WINDOW }, (_, i) => i % meta.vocab.length);
  const started = performance.now();
  let chars = 0;
  // At least three characters, then until the time is up.
  while (chars < 3 || performance.now() - started < seconds * 1000) {
    chars += 1;
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

/** Seconds per raw step of B rows (no sampling, no engine), stepping for about `seconds`. */
function stepSeconds(batch: StatefulBatch, rows: number, seconds: number): number {
  batch.addRows(rows);
  const inputs = Int32Array.from({ length: rows }, (_, r) => r % batch.vocabSize);
  for (let i = 0; i < 5; i++) batch.step(inputs);
  const started = performance.now();
  let steps = 0;
  while (steps < 3 || performance.now() - started < seconds * 1000) {
    batch.step(inputs);
    steps += 1;
  }
  const perStep = (performance.now() - started) / 1000 / steps;
  batch.dispose();
  return perStep;
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

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

runCli(main);
