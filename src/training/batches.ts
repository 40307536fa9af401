import type { Rng } from './rng.js';

/**
 * Training batches as B parallel streams through the text: stream b reads the b-th of B equal
 * contiguous segments, T characters per chunk, so consecutive chunks of a row continue the same
 * passage and the LSTM state can be carried from one chunk to the next (truncated BPTT over
 * unbounded context). Each epoch rotates the segment boundaries by a random offset so chunk edges
 * fall elsewhere. Everything that decides the next batch is in `BatchCursor`, saved in checkpoints.
 */
export interface BatchCursor {
  readonly epoch: number;
  /** Next chunk index within the epoch. */
  readonly chunk: number;
  /** Rotation of the stream starts for this epoch. */
  readonly offset: number;
}

export interface Chunk {
  /** Time-major ids [T·B]: row t*batch + b. */
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly batch: number;
}

export class StreamBatcher {
  /** Characters per stream segment. */
  readonly segment: number;
  readonly chunksPerEpoch: number;

  constructor(
    private readonly ids: Int32Array,
    readonly batch: number,
    readonly steps: number,
  ) {
    this.segment = Math.floor((ids.length - 1) / batch);
    this.chunksPerEpoch = Math.floor(this.segment / steps);
    if (this.chunksPerEpoch < 1) {
      throw new Error(
        `text of ${ids.length} characters is too short for batch ${batch} × sequence ${steps}; use a smaller batch or sequence`,
      );
    }
  }

  /** Cursor at the start of an epoch, its rotation drawn from `rng`. */
  startEpoch(epoch: number, rng: Rng): BatchCursor {
    return { epoch, chunk: 0, offset: rng.int(this.segment) };
  }

  chunkAt(cursor: BatchCursor): Chunk {
    const { batch, steps } = this;
    const n = this.ids.length - 1;
    const inputs = new Int32Array(batch * steps);
    const targets = new Int32Array(batch * steps);
    for (let b = 0; b < batch; b++) {
      const start = cursor.offset + b * this.segment + cursor.chunk * steps;
      for (let t = 0; t < steps; t++) {
        const pos = (start + t) % n;
        inputs[t * batch + b] = this.ids[pos] as number;
        targets[t * batch + b] = this.ids[pos + 1] as number;
      }
    }
    return { inputs, targets, batch };
  }
}

/** Text to ids; every character must be in the vocabulary (prepared text guarantees it). */
export function encodeText(text: string, vocab: readonly string[]): Int32Array {
  const index = new Map(vocab.map((ch, i) => [ch, i]));
  const chars = [...text];
  const ids = new Int32Array(chars.length);
  chars.forEach((ch, i) => {
    const id = index.get(ch);
    if (id === undefined) throw new Error(`character ${JSON.stringify(ch)} is not in the vocabulary`);
    ids[i] = id;
  });
  return ids;
}
