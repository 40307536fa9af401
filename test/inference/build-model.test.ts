import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCharLstm } from '../../src/inference/build-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function weightValues(model: ReturnType<typeof buildCharLstm>): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
}

describe('buildCharLstm', () => {
  it("builds the same shapes with initialWeights 'zeros', every kernel zero, ready for setWeights", async () => {
    const random = buildCharLstm(7, [6, 5]);
    const zeros = buildCharLstm(7, [6, 5], { initialWeights: 'zeros' });
    expect(zeros.getWeights().map((w) => w.shape)).toEqual(random.getWeights().map((w) => w.shape));
    const kernels = zeros.getWeights().filter((w) => w.shape.length === 2);
    expect(kernels).toHaveLength(5);
    const values = await Promise.all(kernels.map((k) => k.data()));
    expect(values.every((a) => a.every((v) => v === 0))).toBe(true);
    // The trainable default keeps Keras' initialisation: random kernels, forget-gate bias 1.
    const [kernel, , bias] = await weightValues(random);
    expect(kernel?.some((v) => v !== 0)).toBe(true);
    expect(Array.from(bias ?? []).slice(6, 12)).toEqual([1, 1, 1, 1, 1, 1]);
    random.dispose();
    zeros.dispose();
  });
});
