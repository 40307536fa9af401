import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { defaultCellMode, FUSED_GATES_MAX_ROWS } from '../../src/inference/lstm-step.js';
import { StatefulBatch } from '../../src/inference/stateful-session.js';
import { TINY_VOCAB } from './tiny-model.js';
import { useTinyStepModel } from './tiny-step-model.js';

const tiny = useTinyStepModel('wasm', 'step', [24, 32]);
// Models of more than two layers (a wider search for the 20 MB budget) go through the same step.
const deep = useTinyStepModel('wasm', 'deep', [12, 16, 10]);

function ids(text: string): number[] {
  return [...text].map((ch) => TINY_VOCAB.indexOf(ch));
}

describe('stateful step', () => {
  it.each(['kernel', 'ops'] as const)('gives the layers model probabilities after every character (max abs diff ≤ 1e-4), %s cell', (mode) => {
    const prefix = ids('the ship, at last.\nit all began with a signal');
    const expected = tiny().predictAll(prefix);
    const batch = new StatefulBatch(tiny().weights, mode);
    batch.addRows(1);
    let maxDiff = 0;
    prefix.forEach((id, t) => {
      const p = batch.step(Int32Array.of(id));
      expected[t]!.forEach((q, j) => (maxDiff = Math.max(maxDiff, Math.abs(q - p[j]!))));
    });
    batch.dispose();
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it('follows the layers model through three stacked LSTMs as well', () => {
    const prefix = ids('three layers, one step at a time.');
    const expected = deep().predictAll(prefix);
    const batch = new StatefulBatch(deep().weights, 'kernel');
    batch.addRows(2);
    let maxDiff = 0;
    prefix.forEach((id, t) => {
      const p = batch.step(Int32Array.of(id, id));
      expected[t]!.forEach((q, j) => {
        maxDiff = Math.max(maxDiff, Math.abs(q - p[j]!), Math.abs(q - p[TINY_VOCAB.length + j]!));
      });
    });
    batch.dispose();
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it('runs the cell as one kernel on wasm', () => {
    expect(defaultCellMode()).toBe('kernel');
  });

  it('keeps rows independent: each row of a batch matches its own prefix', () => {
    const prefixes = ['abc def ghi', 'zzzz yyyy x', 'the end. no', 'qqq,,,...qq'].map(ids);
    const expected = prefixes.map((p) => tiny().predictAll(p));
    const batch = new StatefulBatch(tiny().weights);
    batch.addRows(prefixes.length);
    let maxDiff = 0;
    for (let t = 0; t < prefixes[0]!.length; t++) {
      const p = batch.step(Int32Array.from(prefixes.map((pre) => pre[t]!)));
      expected.forEach((rows, r) =>
        rows[t]!.forEach((q, j) => (maxDiff = Math.max(maxDiff, Math.abs(q - p[r * TINY_VOCAB.length + j]!)))),
      );
    }
    batch.dispose();
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it('carries each row\'s state when other rows join and leave', () => {
    const long = ids('a long journey home across the dark');
    const expected = tiny().predictAll(long);
    const batch = new StatefulBatch(tiny().weights);
    batch.addRows(1);
    let maxDiff = 0;
    let row = 0;
    long.forEach((id, t) => {
      if (t === 5) batch.addRows(2); // two rows join: ours stays row 0
      if (t === 12) { batch.keepRows([1, 0]); row = 1; } // one leaves, order changes
      if (t === 20) { batch.keepRows([1]); row = 0; }
      const inputs = new Int32Array(batch.size).fill(ids('x')[0]!);
      inputs[row] = id;
      const p = batch.step(inputs);
      expected[t]!.forEach((q, j) => (maxDiff = Math.max(maxDiff, Math.abs(q - p[row * TINY_VOCAB.length + j]!))));
    });
    batch.dispose();
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it(`gives a row the very same numbers on the few-row path (≤ ${FUSED_GATES_MAX_ROWS} rows) and the many-row path`, () => {
    const prefix = ids('it all began with a signal');
    const run = (rows: number): Float32Array[] => {
      const batch = new StatefulBatch(tiny().weights);
      batch.addRows(rows);
      const out: Float32Array[] = [];
      for (const [t, id] of prefix.entries()) {
        // Row 0 reads the prefix; the others read something else, so they cannot hide a mix-up.
        const inputs = Int32Array.from({ length: rows }, (_, r) => (r === 0 ? id : (id + r + t) % TINY_VOCAB.length));
        out.push(Float32Array.from(batch.step(inputs).subarray(0, TINY_VOCAB.length)));
      }
      batch.dispose();
      return out;
    };
    const few = run(1);
    const many = run(FUSED_GATES_MAX_ROWS + 3);
    expect(many).toEqual(few);
    expect(few[0]!.some((p) => p > 0)).toBe(true);
  });

  it('leaks no tensors: the count stays flat over many steps, joins and leaves', () => {
    const batch = new StatefulBatch(tiny().weights);
    batch.addRows(3);
    batch.step(new Int32Array([1, 2, 3]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      if (i % 50 === 10) batch.addRows(1);
      if (i % 50 === 30) batch.keepRows([0, 1, 2]);
      batch.step(new Int32Array(batch.size).fill(i % TINY_VOCAB.length));
    }
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
    // Only the state remains to free: h and c of two layers.
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('refuses an input id outside the vocabulary', () => {
    const batch = new StatefulBatch(tiny().weights);
    batch.addRows(1);
    expect(() => batch.step(Int32Array.of(TINY_VOCAB.length))).toThrow(/outside the vocabulary/);
    batch.dispose();
  });
});
