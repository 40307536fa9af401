import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import type { GenerationRequest, Logger } from '../../src/core/ports.js';
import { chooseBackend } from '../../src/inference/backend.js';
import { BatchEngine } from '../../src/inference/batch-engine.js';
import { loadModelsDir } from '../../src/inference/model-files.js';
import { ModelLoadError } from '../../src/inference/model-load-error.js';
import { WorkerEngine } from '../../src/inference/worker-engine.js';
import { saveTinyModel, tempDir } from './tiny-model.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await chooseBackend('wasm', silent);
  dir = await tempDir();
  await saveTinyModel(join(dir.path, 'models'), 'tiny', [24, 32]);
});
afterAll(() => dir.remove());

const base: GenerationRequest = { seed: 'it all began with', model: 'tiny', temperature: 0.8, length: 150, randomSeed: 3 };

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: object | string, msg?: string) => lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe('WorkerEngine', () => {
  it('generates in a worker thread the same text as the in-process engine', async () => {
    const logger = recordingLogger();
    const worker = await WorkerEngine.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, logger);
    try {
      expect(worker.backend()).toBe('wasm');
      expect(worker.models()).toEqual([{ id: 'tiny', description: 'A random test model' }]);
      expect(logger.lines.some((l) => l.includes('tfjs backend: wasm'))).toBe(true);
      expect(worker.prepareSeed('tiny', '\u201Chi\u201D 🚀').dropped).toEqual(['"', '🚀']);

      const local = new BatchEngine(await loadModelsDir(join(dir.path, 'models')), { backend: 'wasm', logger: silent });
      const expected = await collect(local.generate(base));
      await local.close();
      const [a, b] = await Promise.all([collect(worker.generate(base)), collect(worker.generate(base))]);
      expect(a).toBe(expected);
      expect(b).toBe(expected);
    } finally {
      await worker.close();
    }
  });

  it('ends a stream on abort and keeps serving others', async () => {
    const worker = await WorkerEngine.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, silent);
    try {
      const controller = new AbortController();
      let text = '';
      for await (const chunk of worker.generate({ ...base, length: 4000 }, controller.signal)) {
        text += chunk;
        if (text.length >= 5) controller.abort();
      }
      expect(text.length).toBeLessThan(4000);
      expect(await collect(worker.generate({ ...base, length: 10 }))).toHaveLength(10);
    } finally {
      await worker.close();
    }
  });

  it('answers memory questions: an idle worker holds the same tensors after finished, cancelled and failed stories', async () => {
    const worker = await WorkerEngine.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, silent);
    try {
      const idle = await worker.memory();
      // The weights at least; a 2-layer model has kernels, recurrent kernels, biases and the dense layer.
      expect(idle.tensors).toBeGreaterThanOrEqual(8);
      expect(idle.tensorBytes).toBeGreaterThan(0);
      expect(idle.heapUsedBytes).toBeGreaterThan(0);
      expect(idle.wasmHeapBytes).toBeGreaterThan(0);

      const cancelled = new AbortController();
      const stories = [
        collect(worker.generate({ ...base, length: 60 })),
        collect(worker.generate({ ...base, seed: 'the ship', length: 90, randomSeed: 4 })),
        (async () => {
          for await (const _chunk of worker.generate({ ...base, length: 4000 }, cancelled.signal)) cancelled.abort();
        })(),
        collect(worker.generate({ ...base, temperature: 50 })).catch(() => 'failed'),
      ];
      // Asked while rows are in the batch, the answer counts their state too.
      const busy = await worker.memory();
      expect(busy.tensors).toBeGreaterThan(idle.tensors);
      await Promise.all(stories);
      // The cancelled row leaves the batch once the worker has had the abort: ask until it has (a
      // leak never settles, and the last answer fails the check).
      let after = await worker.memory();
      for (let tries = 0; after.tensors !== idle.tensors && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        after = await worker.memory();
      }
      expect(after.tensors).toBe(idle.tensors);
    } finally {
      await worker.close();
    }
    await expect(worker.memory()).rejects.toThrow(/shut down/);
  });

  it('turns errors in the worker into rejected streams (UserError kept as such)', async () => {
    const worker = await WorkerEngine.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, silent);
    try {
      const error = await collect(worker.generate({ ...base, temperature: 50 })).catch((e: unknown) => e);
      expect(isUserError(error)).toBe(true);
      expect((error as Error).message).toMatch(/Temperature must be/);
      expect(() => worker.prepareSeed('missing', 'x')).toThrow(/no model called "missing"/);
    } finally {
      await worker.close();
    }
  });

  it('reports a crashed worker on every open stream and on later calls', async () => {
    const logger = recordingLogger();
    const worker = await WorkerEngine.start({ modelsDir: join(dir.path, 'models'), backend: 'wasm' }, logger);
    const stream = worker.generate({ ...base, length: 4000 });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    // Kill the thread from outside, as a native crash or an OOM would.
    await (worker as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const error = await (async () => { for (;;) { const r = await iterator.next(); if (r.done) return undefined; } })().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/inference worker exited unexpectedly/);
    const later = await collect(worker.generate(base)).catch((e: unknown) => e);
    expect((later as Error).message).toMatch(/inference worker exited unexpectedly/);
    expect(logger.lines.some((l) => l.includes('exited unexpectedly'))).toBe(true);
    await worker.close();
  });

  it('rejects start with the model error when a model folder is broken', async () => {
    const broken = join(dir.path, 'broken');
    await saveTinyModel(broken, 'bad', [8]);
    await writeFile(join(broken, 'bad', 'model.json'), 'not json');
    const error = await WorkerEngine.start({ modelsDir: broken, backend: 'wasm' }, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as ModelLoadError).file).toBe(join(broken, 'bad', 'model.json'));
    expect((error as Error).message).toMatch(/not valid JSON/);
  });

  it('lists the default model first', async () => {
    const two = join(dir.path, 'two');
    await saveTinyModel(two, 'alpha', [8]);
    await saveTinyModel(two, 'zeta', [8]);
    const worker = await WorkerEngine.start({ modelsDir: two, backend: 'wasm', defaultModel: 'zeta' }, silent);
    try {
      expect(worker.models().map((m) => m.id)).toEqual(['zeta', 'alpha']);
    } finally {
      await worker.close();
    }
  });

  it('without a default model set, puts scifi first where it is served, and else starts with the first model', async () => {
    const withScifi = join(dir.path, 'with-scifi');
    await saveTinyModel(withScifi, 'alpha', [8]);
    await saveTinyModel(withScifi, 'scifi', [8]);
    const own = join(dir.path, 'own-models');
    await saveTinyModel(own, 'alpha', [8]);
    await saveTinyModel(own, 'zeta', [8]);
    for (const [modelsDir, order] of [[withScifi, ['scifi', 'alpha']], [own, ['alpha', 'zeta']]] as const) {
      const worker = await WorkerEngine.start({ modelsDir, backend: 'wasm' }, silent);
      try {
        expect(worker.models().map((m) => m.id)).toEqual(order);
      } finally {
        await worker.close();
      }
    }
  });

  it('rejects start when the default model is not among the models, naming the setting and what is there', async () => {
    const two = join(dir.path, 'two-for-default');
    await saveTinyModel(two, 'alpha', [8]);
    await saveTinyModel(two, 'zeta', [8]);
    const error = await WorkerEngine.start({ modelsDir: two, backend: 'wasm', defaultModel: 'scifi' }, silent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelLoadError);
    expect((error as Error).message).toBe(`${two}: has no model "scifi" to use as the default; set DEFAULT_MODEL to one of: alpha, zeta`);
  });

  it('does not keep a process alive once its generations are done, even without close()', async () => {
    const script = join(dir.path, 'forgetful.mts');
    const engineUrl = new URL('../../src/inference/worker-engine.ts', import.meta.url).href;
    await writeFile(script, [
      `import { WorkerEngine } from ${JSON.stringify(engineUrl)};`,
      'const quiet = { debug() {}, info() {}, warn() {}, error() {} };',
      `const engine = await WorkerEngine.start({ modelsDir: ${JSON.stringify(join(dir.path, 'models'))}, backend: 'wasm' }, quiet);`,
      "let text = '';",
      "for await (const chunk of engine.generate({ seed: 'the', model: 'tiny', temperature: 1, length: 30, randomSeed: 1 })) text += chunk;",
      'process.stdout.write(String(text.length));',
    ].join('\n'));
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const { stdout } = await promisify(execFile)(process.execPath, [tsx, script], { timeout: 30_000 });
    expect(stdout).toBe('30');
  });
});
