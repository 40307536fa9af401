import type { InferenceEngine, Logger } from '../core/ports.js';
import { WorkerEngine } from './worker-engine.js';
import { WorkerPool } from './worker-pool.js';
import type { WorkerOptions } from './worker-protocol.js';

/**
 * What main.ts calls: the inference engine off the main thread, with one worker (the usual case,
 * and the only sensible one on a GPU) or a pool of them on a many-core CPU machine. Rejects with
 * a ModelLoadError naming the file when a model cannot be served, or with why no backend started.
 */
export async function startInferenceEngine(
  options: WorkerOptions & { readonly workers?: number },
  logger: Logger,
): Promise<InferenceEngine> {
  const { workers = 1, ...workerOptions } = options;
  return workers > 1 ? WorkerPool.start(workerOptions, workers, logger) : WorkerEngine.start(workerOptions, logger);
}
