import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '../core/ports.js';
import type { CharChannel } from './char-channel.js';
import type { StepWeights } from './lstm-weights.js';
import { applyTemperature, drawIndex, type Random } from './sampling.js';
import { StatefulBatch } from './stateful-session.js';

/** One job in a model's batch: its seed to feed, then its own sampling. */
export interface RowJob {
  /** Vocabulary indices of the prepared seed (at least one). */
  readonly seedIds: readonly number[];
  readonly length: number;
  readonly temperature: number;
  readonly random: Random;
  readonly channel: CharChannel;
}

interface Row extends RowJob {
  fed: number;
  generated: number;
  lastId: number;
}

export interface ModelLoopOptions {
  /** Most rows in one step; later jobs wait for a free row. */
  readonly maxBatch: number;
  /**
   * How long the loop may step before yielding to the event loop (ms). Between turns new jobs
   * join and readers take their text, in chunks of however many characters were sampled.
   */
  readonly turnMs: number;
}

/**
 * The batch loop of one model. Rows join and leave between steps; every row feeds its seed one
 * character per step (seeds are batched like everything else), then samples one character per
 * step with its own PRNG and temperature. Runs while it has rows and stops when they are done.
 */
export class ModelLoop {
  private readonly batch: StatefulBatch;
  private rows: Row[] = [];
  private waiting: Row[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly scratch: Float64Array;

  constructor(
    private readonly modelId: string,
    private readonly vocab: readonly string[],
    weights: StepWeights,
    private readonly logger: Logger,
    private readonly options: ModelLoopOptions,
  ) {
    this.batch = new StatefulBatch(weights);
    this.scratch = new Float64Array(weights.vocabSize);
  }

  get activeRows(): number {
    return this.rows.length;
  }

  add(job: RowJob): void {
    if (this.closed) {
      job.channel.fail(new Error('the inference engine is shutting down'));
      return;
    }
    this.waiting.push({ ...job, fed: 0, generated: 0, lastId: job.seedIds[job.seedIds.length - 1] ?? 0 });
    this.kick();
  }

  /**
   * Starts the loop unless it runs. A job added after the loop's last look but before its promise
   * settled would otherwise wait for ever: the loop looks again once it has settled.
   */
  private kick(): void {
    if (this.running !== undefined) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.waiting.length > 0 && !this.closed) this.kick();
    });
  }

  /** Ends every row with an error and waits for the loop to stop. */
  async close(): Promise<void> {
    this.closed = true;
    for (const row of [...this.rows, ...this.waiting]) row.channel.fail(new Error('the inference engine is shutting down'));
    await this.running;
    this.batch.dispose();
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const turnStart = performance.now();
      this.admitAndRetire();
      if (this.rows.length === 0) return;
      try {
        while (this.rows.length > 0 && performance.now() - turnStart < this.options.turnMs) {
          this.step();
          if (this.rows.some((r) => r.channel.closed) || this.waiting.length > 0) this.admitAndRetire();
        }
      } catch (error) {
        this.logger.error({ err: error, model: this.modelId, rows: this.rows.length }, 'inference step failed');
        for (const row of this.rows) row.channel.fail(error);
        this.rows = [];
        this.batch.keepRows([]);
      }
      await nextTurn();
    }
  }

  /** Drops rows that are done or cancelled, then lets waiting rows in up to maxBatch. */
  private admitAndRetire(): void {
    const keep: number[] = [];
    const kept: Row[] = [];
    this.rows.forEach((row, index) => {
      if (!row.channel.closed) {
        keep.push(index);
        kept.push(row);
      }
    });
    this.batch.keepRows(keep);
    this.rows = kept;
    this.waiting = this.waiting.filter((row) => !row.channel.closed);
    const room = Math.max(0, this.options.maxBatch - this.rows.length);
    const joining = this.waiting.splice(0, room);
    this.batch.addRows(joining.length);
    this.rows.push(...joining);
  }

  private step(): void {
    const inputs = new Int32Array(this.rows.length);
    this.rows.forEach((row, r) => {
      inputs[r] = row.fed < row.seedIds.length ? row.seedIds[row.fed]! : row.lastId;
    });
    const probabilities = this.batch.step(inputs);
    const vocabSize = this.batch.vocabSize;
    this.rows.forEach((row, r) => {
      row.fed += 1;
      // While the seed is being fed, the outputs are not needed (but the state is).
      if (row.fed < row.seedIds.length || row.channel.closed) return;
      const p = probabilities.subarray(r * vocabSize, (r + 1) * vocabSize);
      const id = drawIndex(applyTemperature(p, row.temperature, this.scratch), row.random);
      row.lastId = id;
      row.generated += 1;
      row.channel.push(this.vocab[id]!);
      if (row.generated >= row.length) row.channel.end();
    });
  }
}
