import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UserError } from '../core/errors.js';
import type { GenerationRequest, InferenceEngine, Logger, ModelInfo, PreparedSeed } from '../core/ports.js';
import { CharChannel } from './char-channel.js';
import { disposeStepWeights, extractStepWeights, type StepWeights } from './lstm-weights.js';
import type { ModelMeta } from './model-meta.js';
import { ModelLoop, type ModelLoopOptions } from './model-loop.js';
import { prepareSeed } from './prepare-seed.js';
import { STEP_CHECK_TOLERANCE, stepDisagreement } from './step-check.js';
import { checkLength, checkTemperature, freshSeed, mulberry32 } from './sampling.js';

export interface EngineModel {
  readonly meta: ModelMeta;
  readonly model: LayersModel;
}

export interface BatchEngineOptions extends Partial<ModelLoopOptions> {
  readonly backend: string;
  readonly logger: Logger;
}

export const DEFAULT_MAX_BATCH = 64;
export const DEFAULT_TURN_MS = 8;

interface Served {
  readonly meta: ModelMeta;
  readonly index: ReadonlyMap<string, number>;
  readonly weights: StepWeights;
  readonly loop: ModelLoop;
}

/**
 * The in-process inference engine: one batch loop per model, shared by every concurrent
 * `generate` call. It takes ownership of the layers models: their weights are copied out for the
 * stateful step and the layers models disposed. Runs tfjs on the calling thread; the worker engine
 * wraps it so the bot's event loop never waits on a step.
 */
export class BatchEngine implements InferenceEngine {
  private readonly served = new Map<string, Served>();
  private readonly order: ModelInfo[] = [];

  constructor(models: readonly EngineModel[], private readonly options: BatchEngineOptions) {
    if (models.length === 0) throw new Error('BatchEngine needs at least one model');
    const loopOptions: ModelLoopOptions = {
      maxBatch: options.maxBatch ?? DEFAULT_MAX_BATCH,
      turnMs: options.turnMs ?? DEFAULT_TURN_MS,
    };
    for (const { meta, model } of models) {
      const weights = extractStepWeights(model);
      const disagreement = stepDisagreement(model, weights);
      model.dispose();
      if (!(disagreement <= STEP_CHECK_TOLERANCE)) {
        disposeStepWeights(weights);
        throw new Error(
          `model ${meta.id}: the stateful step disagrees with the layers model on backend ${options.backend} ` +
            `(max probability difference ${disagreement}); try another backend`,
        );
      }
      options.logger.debug({ model: meta.id, disagreement }, 'stateful step agrees with the layers model');
      const loop = new ModelLoop(meta.id, meta.vocab, weights, options.logger, loopOptions);
      this.served.set(meta.id, { meta, weights, loop, index: new Map(meta.vocab.map((ch, i) => [ch, i])) });
      this.order.push({ id: meta.id, description: meta.description });
    }
  }

  models(): readonly ModelInfo[] {
    return this.order;
  }

  prepareSeed(model: string, seed: string): PreparedSeed {
    return prepareSeed(seed, this.model(model).meta);
  }

  /** Bad requests (unknown model, temperature or length out of range) fail the stream. */
  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<string> {
    try {
      return this.start(request, signal);
    } catch (error) {
      const failed = new CharChannel();
      failed.fail(error);
      return failed;
    }
  }

  private start(request: GenerationRequest, signal: AbortSignal | undefined): CharChannel {
    const served = this.model(request.model);
    const temperature = checkTemperature(request.temperature);
    const length = checkLength(request.length);
    const random = mulberry32(request.randomSeed ?? freshSeed());
    // Callers normally pass a prepared seed; preparing again is a no-op then, and makes any other
    // seed safe. An empty one gets its opener from the job's own PRNG, so it stays reproducible.
    const seed = prepareSeed(request.seed, served.meta, random).text;
    const seedIds = [...seed].map((ch) => served.index.get(ch)!);
    const channel = new CharChannel();
    if (signal?.aborted) {
      channel.end();
      return channel;
    }
    if (signal !== undefined) {
      const onAbort = (): void => channel.end();
      signal.addEventListener('abort', onAbort, { once: true });
      // A long-lived signal (one per user or per shutdown) must not keep finished streams alive.
      channel.onClose(() => signal.removeEventListener('abort', onAbort));
    }
    served.loop.add({ seedIds, length, temperature, random, channel });
    return channel;
  }

  backend(): string {
    return this.options.backend;
  }

  /** Rows currently in each model's batch (for metrics and tests). */
  activeRows(model: string): number {
    return this.model(model).loop.activeRows;
  }

  async close(): Promise<void> {
    for (const served of this.served.values()) {
      await served.loop.close();
      disposeStepWeights(served.weights);
    }
    this.served.clear();
  }

  private model(id: string): Served {
    const served = this.served.get(id);
    if (served === undefined) {
      const known = this.order.map((m) => m.id).join(', ');
      throw new UserError(`There is no model called "${id}". Available: ${known}.`, 'unknown-model');
    }
    return served;
  }
}
