import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../src/inference/backend.js';
import { loadModelDir } from '../../src/inference/model-files.js';
import { scoreText } from '../../src/training/evaluate.js';
import { saveTinyModel, tempDir } from '../inference/tiny-model.js';
import { MemoryLogger } from '../fakes/silent-logger.js';

let dir: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  await chooseBackend('wasm', new MemoryLogger());
  dir = await tempDir();
});
afterAll(() => dir.remove());

describe('scoreText', () => {
  it('scores every character of a short text but the first, and a long one nearly whole', async () => {
    const { model, meta } = await loadModelDir(await saveTinyModel(dir.path, 'score'));
    const sentence = 'the crew slept while the ship fell toward the red world.\n';
    expect(scoreText(model, meta, sentence).chars).toBe([...sentence].length - 1);
    const long = sentence.repeat(200);
    const score = scoreText(model, meta, long, 8);
    // Eight streams lose one character each, plus what does not divide evenly.
    expect(score.chars).toBeGreaterThan(long.length - 8 - 8);
    model.dispose();
  });
});
