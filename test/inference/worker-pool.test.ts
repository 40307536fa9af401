import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../src/core/ports.js';
import { chooseBackend } from '../../src/inference/backend.js';
import { BatchEngine } from '../../src/inference/batch-engine.js';
import { loadModelsDir } from '../../src/inference/model-files.js';
import { autoWorkerCount, startInferenceEngine } from '../../src/inference/start-engine.js';
import { WorkerPool } from '../../src/inference/worker-pool.js';
import { saveTinyModel, tempDir } from './tiny-model.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await chooseBackend('wasm', silent);
  dir = await tempDir();
  await saveTinyModel(join(dir.path, 'models'), 'tiny', [16, 16]);
});
afterAll(() => dir.remove());

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

describe('WorkerPool', () => {
  it('spreads concurrent jobs over its workers and each job still gets its own text', async () => {
    const requests: GenerationRequest[] = [1, 2, 3, 4].map((i) => ({
      seed: 'the stars', model: 'tiny', temperature: 1, length: 80, randomSeed: i,
    }));
    const local = new BatchEngine(await loadModelsDir(join(dir.path, 'models')), { backend: 'wasm', logger: silent });
    const expected = await Promise.all(requests.map((r) => collect(local.generate(r))));
    await local.close();

    const pool = await WorkerPool.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, 2, silent);
    try {
      expect(pool.backend()).toBe('wasm×2');
      expect(pool.models().map((m) => m.id)).toEqual(['tiny']);
      const members = (pool as unknown as { members: { inFlight: number }[] }).members;
      const streams = requests.map((r) => pool.generate(r));
      // Two jobs per worker: the least-loaded worker takes each new job.
      expect(members.map((m) => m.inFlight)).toEqual([2, 2]);
      expect(await Promise.all(streams.map(collect))).toEqual(expected);
      expect(members.map((m) => m.inFlight)).toEqual([0, 0]);
      // One answer per worker, each holding its own copy of the weights.
      const memory = await pool.memory();
      expect(memory).toHaveLength(2);
      expect(memory[0]!.tensors).toBeGreaterThan(0);
      expect(memory[1]!.tensors).toBe(memory[0]!.tensors);
    } finally {
      await pool.close();
    }
  });

  it('startInferenceEngine gives one worker or a pool, as configured', async () => {
    const modelsDir = join(dir.path, 'models');
    const single = await startInferenceEngine({ modelsDir, backend: 'wasm' }, silent);
    const pool = await startInferenceEngine({ modelsDir, backend: 'wasm', workers: 2 }, silent);
    try {
      expect(single.backend()).toBe('wasm');
      expect(pool.backend()).toBe('wasm×2');
    } finally {
      await Promise.all([single.close(), pool.close()]);
    }
  });

  it('auto starts one worker per core on wasm and cpu (up to 4), one on a native backend', async () => {
    expect([1, 2, 3, 8].map((cores) => autoWorkerCount('wasm', cores))).toEqual([1, 2, 3, 4]);
    expect(autoWorkerCount('cpu', 2)).toBe(2);
    expect(autoWorkerCount('tensorflow', 16)).toBe(1);

    const modelsDir = join(dir.path, 'models');
    const twoCores = await startInferenceEngine({ modelsDir, backend: 'wasm', workers: 'auto', cores: 2 }, silent);
    const oneCore = await startInferenceEngine({ modelsDir, backend: 'wasm', workers: 'auto', cores: 1 }, silent);
    // With TF_BACKEND=auto the first worker finds out which backend runs (here wasm).
    const probed = await startInferenceEngine({ modelsDir, backend: 'auto', workers: 'auto', cores: 2 }, silent);
    try {
      expect(twoCores.backend()).toBe('wasm×2');
      expect(oneCore.backend()).toBe('wasm');
      expect(probed.backend()).toBe('wasm×2');
      const text = await collect(twoCores.generate({ seed: 'the stars', model: 'tiny', temperature: 1, length: 40, randomSeed: 3 }));
      expect(text).toHaveLength(40);
    } finally {
      await Promise.all([twoCores.close(), oneCore.close(), probed.close()]);
    }
  });
});
