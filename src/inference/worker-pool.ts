import type { GenerationRequest, InferenceEngine, Logger, ModelInfo, PreparedSeed } from '../core/ports.js';
import { WorkerEngine } from './worker-engine.js';
import type { WorkerMemory, WorkerOptions } from './worker-protocol.js';

interface Member {
  readonly engine: WorkerEngine;
  inFlight: number;
}

/**
 * Several inference workers behind one InferenceEngine, for machines with more cores than one
 * wasm thread can use (tfjs-backend-wasm runs single-threaded under Node). Each worker batches
 * its own share of the jobs; a new job goes to the worker with the fewest jobs in flight. Every
 * row is computed the same way in any worker, so a job's text does not depend on where it ran.
 */
export class WorkerPool implements InferenceEngine {
  private constructor(private readonly members: readonly Member[]) {}

  /**
   * Starts workers until there are `workers` of them, counting any already `running` (which the
   * pool then owns). If one fails to start, every worker is closed and the failure thrown.
   */
  static async start(
    options: WorkerOptions,
    workers: number,
    logger: Logger,
    running: readonly WorkerEngine[] = [],
  ): Promise<WorkerPool> {
    const count = Math.max(1, Math.floor(workers)) - running.length;
    const started = await Promise.allSettled(Array.from({ length: count }, () => WorkerEngine.start(options, logger)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all([
        ...running.map((engine) => engine.close()),
        ...started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)),
      ]);
      throw failed.reason;
    }
    const engines = [...running, ...started.map((s) => (s as PromiseFulfilledResult<WorkerEngine>).value)];
    return new WorkerPool(engines.map((engine) => ({ engine, inFlight: 0 })));
  }

  /** Workers in the pool. */
  get size(): number {
    return this.members.length;
  }

  models(): readonly ModelInfo[] {
    return this.first().models();
  }

  prepareSeed(model: string, seed: string): PreparedSeed {
    return this.first().prepareSeed(model, seed);
  }

  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<string> {
    const member = this.members.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    member.inFlight += 1;
    const stream = member.engine.generate(request, signal);
    return (async function* counted() {
      try {
        yield* stream;
      } finally {
        member.inFlight -= 1;
      }
    })();
  }

  backend(): string {
    const name = this.first().backend();
    return this.members.length > 1 ? `${name}×${this.members.length}` : name;
  }

  /** Each worker's memory, in pool order. */
  memory(): Promise<WorkerMemory[]> {
    return Promise.all(this.members.map((m) => m.engine.memory()));
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.engine.close()));
  }

  private first(): WorkerEngine {
    return this.members[0]!.engine;
  }
}
