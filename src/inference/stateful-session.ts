import * as tf from '@tensorflow/tfjs-core';
import { requireLstmCellKernel } from './lstm-cell-kernel.js';
import { defaultCellMode, disposeState, lstmStep, zeroState, type CellMode, type LstmState } from './lstm-step.js';
import type { StepWeights } from './lstm-weights.js';

/**
 * The LSTM state of a changing set of rows. Rows are appended with zero state and removed by
 * keeping the others; each step feeds one character per row and returns the probabilities of the
 * next. Owns its state tensors: every replaced tensor is disposed, so the tensor count stays flat
 * however long it runs.
 */
export class StatefulBatch {
  private state: LstmState | undefined;
  private rows = 0;

  /** `mode`: how the cell update runs; by default what suits the active backend (lstm-step.ts). */
  constructor(
    private readonly weights: StepWeights,
    private readonly mode: CellMode = defaultCellMode(),
  ) {
    if (mode === 'kernel') requireLstmCellKernel();
  }

  get size(): number {
    return this.rows;
  }

  get vocabSize(): number {
    return this.weights.vocabSize;
  }

  /** Appends n rows with zero state (the model's initial state); they take the last indices. */
  addRows(n: number): void {
    if (n <= 0) return;
    const fresh = zeroState(this.weights, n);
    if (this.state === undefined) {
      this.state = fresh;
    } else {
      const old = this.state;
      this.state = {
        h: old.h.map((t, l) => tf.concat([t, fresh.h[l]!], 0)),
        c: old.c.map((t, l) => tf.concat([t, fresh.c[l]!], 0)),
      };
      disposeState(old);
      disposeState(fresh);
    }
    this.rows += n;
  }

  /** Keeps only the given rows, in the given order; the others' state is dropped. */
  keepRows(indices: readonly number[]): void {
    if (this.state === undefined || indices.length === this.rows && indices.every((r, i) => r === i)) return;
    const old = this.state;
    if (indices.length === 0) {
      this.state = undefined;
    } else {
      const keep = tf.tensor1d(Array.from(indices), 'int32');
      this.state = {
        h: old.h.map((t) => tf.gather(t, keep) as tf.Tensor2D),
        c: old.c.map((t) => tf.gather(t, keep) as tf.Tensor2D),
      };
      keep.dispose();
    }
    disposeState(old);
    this.rows = indices.length;
  }

  /**
   * Feeds inputIds[r] (a vocabulary index) to row r and returns the next-character probabilities,
   * row-major [rows × vocab].
   */
  step(inputIds: Int32Array): Float32Array {
    if (this.state === undefined || inputIds.length !== this.rows) {
      throw new Error(`step needs one input per row: ${inputIds.length} inputs for ${this.rows} rows`);
    }
    // The one-hot input is built here rather than by tf.oneHot/tf.gather, which are slow on wasm.
    const vocab = this.weights.vocabSize;
    const hot = new Float32Array(this.rows * vocab);
    inputIds.forEach((id, row) => {
      if (id < 0 || id >= vocab) throw new Error(`input id ${id} is outside the vocabulary`);
      hot[row * vocab + id] = 1;
    });
    const oneHot = tf.tensor2d(hot, [this.rows, vocab]);
    let result: ReturnType<typeof lstmStep>;
    try {
      result = lstmStep(this.weights, oneHot, this.state, this.mode);
    } finally {
      oneHot.dispose();
    }
    const { probabilities, state } = result;
    disposeState(this.state);
    this.state = state;
    const values = probabilities.dataSync() as Float32Array;
    probabilities.dispose();
    return values;
  }

  dispose(): void {
    if (this.state !== undefined) disposeState(this.state);
    this.state = undefined;
    this.rows = 0;
  }
}
