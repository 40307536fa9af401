import { getEventListeners } from 'node:events';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import type { GenerationRequest } from '../../src/core/ports.js';
import { chooseBackend } from '../../src/inference/backend.js';
import * as tfl from '@tensorflow/tfjs-layers';
import { BatchEngine } from '../../src/inference/batch-engine.js';
import { loadModelsDir } from '../../src/inference/model-files.js';
import { saveTinyModel, tempDir, tinyMeta, TINY_VOCAB } from './tiny-model.js';
import { pollUntil } from '../fakes/poll.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
let dir: { path: string; remove: () => Promise<void> };
let engine: BatchEngine;

beforeAll(async () => {
  const backend = await chooseBackend('wasm', silent);
  dir = await tempDir();
  await saveTinyModel(dir.path, 'tiny', [24, 32]);
  await saveTinyModel(dir.path, 'other', [16]);
  engine = new BatchEngine(await loadModelsDir(dir.path), { backend, logger: silent, turnMs: 2 });
});

afterAll(async () => {
  await engine.close();
  await dir.remove();
});

const base: GenerationRequest = { seed: 'it all began with', model: 'tiny', temperature: 1, length: 120, randomSeed: 7 };

async function collect(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

async function failure(stream: AsyncIterable<string>): Promise<unknown> {
  return collect(stream).then(() => undefined, (error: unknown) => error);
}

describe('BatchEngine', () => {
  it('lists its models and backend', () => {
    expect(engine.models().map((m) => m.id)).toEqual(['other', 'tiny']);
    expect(engine.backend()).toBe('wasm');
  });

  it('streams exactly the requested length, in the model\'s vocabulary', async () => {
    const text = await collect(engine.generate(base));
    expect(text).toHaveLength(120);
    expect([...text].every((ch) => TINY_VOCAB.includes(ch))).toBe(true);
  });

  it('is reproducible with a random seed, and varies without one', async () => {
    const a = await collect(engine.generate(base));
    const b = await collect(engine.generate(base));
    const c = await collect(engine.generate({ ...base, randomSeed: 8 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const unseeded = await Promise.all([1, 2].map(() => collect(engine.generate({ ...base, randomSeed: undefined }))));
    expect(unseeded[0]).not.toBe(unseeded[1]);
  });

  it('gives a job batched with others the same text as alone', async () => {
    const alone = await collect(engine.generate(base));
    const others = Array.from({ length: 12 }, (_, i) =>
      collect(engine.generate({ ...base, seed: `other seed ${'x'.repeat(i)}`, randomSeed: 100 + i, length: 40 + 13 * i })),
    );
    const batched = collect(engine.generate(base));
    expect(await batched).toBe(alone);
    await Promise.all(others);
  });

  it('lets rows join and leave mid-batch without changing anyone\'s text', async () => {
    const long = { ...base, length: 300 };
    const alone = await collect(engine.generate(long));
    const stream = engine.generate(long);
    let text = '';
    let joined: Promise<string>[] = [];
    for await (const chunk of stream) {
      text += chunk;
      // Once the long job is under way, short jobs join (and finish, and leave) while it runs.
      if (joined.length === 0 && text.length > 30) {
        joined = [5, 20, 60].map((length, i) => collect(engine.generate({ ...base, length, randomSeed: i })));
        expect(engine.activeRows('tiny')).toBeGreaterThanOrEqual(1);
      }
    }
    expect(joined).toHaveLength(3);
    const short = await Promise.all(joined);
    expect(short.map((s) => s.length)).toEqual([5, 20, 60]);
    expect(text).toBe(alone);
    // And each short job equals itself alone.
    expect(await collect(engine.generate({ ...base, length: 20, randomSeed: 1 }))).toBe(short[1]);
  });

  it('ends a stream early when its signal aborts, and frees the row', async () => {
    const controller = new AbortController();
    let text = '';
    for await (const chunk of engine.generate({ ...base, length: 4000 }, controller.signal)) {
      text += chunk;
      if (text.length >= 10) controller.abort();
    }
    expect(text.length).toBeGreaterThanOrEqual(10);
    expect(text.length).toBeLessThan(4000);
    // The loop retires the row at its next turn: wait for that, however slow the machine.
    await pollUntil(() => engine.activeRows('tiny') === 0, 'the row to be freed', 5_000);
  });

  it('frees the row when the reader stops reading', async () => {
    for await (const chunk of engine.generate({ ...base, length: 4000 })) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    // The loop retires the row at its next turn: wait for that, however slow the machine.
    await pollUntil(() => engine.activeRows('tiny') === 0, 'the row to be freed', 5_000);
  });

  it('lets go of a long-lived signal once each stream is over', async () => {
    const shutdown = new AbortController();
    await Promise.all([1, 2, 3].map((i) => collect(engine.generate({ ...base, length: 10, randomSeed: i }, shutdown.signal))));
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('yields nothing for an already aborted signal', async () => {
    expect(await collect(engine.generate(base, AbortSignal.abort()))).toBe('');
  });

  it('serves several models at once, each in its own batch', async () => {
    const [a, b] = await Promise.all([
      collect(engine.generate(base)),
      collect(engine.generate({ ...base, model: 'other' })),
    ]);
    expect(a).toBe(await collect(engine.generate(base)));
    expect(b).toHaveLength(120);
    expect(b).not.toBe(a);
  });

  it('fails the stream with a UserError for an unknown model or bad limits', async () => {
    for (const bad of [{ model: 'nope' }, { temperature: 9 }, { length: 0 }]) {
      const error = await failure(engine.generate({ ...base, ...bad }));
      expect(isUserError(error)).toBe(true);
    }
    expect(() => engine.prepareSeed('nope', 'x')).toThrow(/no model called "nope". Available: other, tiny/);
  });

  it('prepares an empty seed with an opener and reproduces from it', async () => {
    const a = await collect(engine.generate({ ...base, seed: '' }));
    expect(a).toBe(await collect(engine.generate({ ...base, seed: '' })));
    expect(engine.prepareSeed('tiny', '').usedDefaultOpener).toBe(true);
  });

  it('leaks no tensors across jobs', async () => {
    await collect(engine.generate(base));
    const before = tf.memory().numTensors;
    await Promise.all([1, 2, 3].map((i) => collect(engine.generate({ ...base, randomSeed: i }))));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses at start a model whose layers compute something else than the step', () => {
    // hardSigmoid gates: the layers model and the sigmoid step disagree, and that is caught.
    const model = tfl.sequential({
      layers: [
        tfl.layers.lstm({ units: 8, returnSequences: true, recurrentActivation: 'hardSigmoid', inputShape: [null, TINY_VOCAB.length] }),
        tfl.layers.dense({ units: TINY_VOCAB.length, activation: 'softmax' }),
      ],
    });
    // Large weights push the gates out of the range where hardSigmoid and sigmoid nearly agree.
    for (const layer of model.layers) {
      const scaled = layer.getWeights().map((w) => tf.tidy(() => tf.mul(w, 6)));
      layer.setWeights(scaled);
      tf.dispose(scaled);
    }
    expect(() => new BatchEngine([{ meta: tinyMeta('hard', [8]), model }], { backend: 'wasm', logger: silent }))
      .toThrow(/model hard: the stateful step disagrees with the layers model on backend wasm/);
  });
});
