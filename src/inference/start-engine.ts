import type { InferenceEngine, Logger } from '../core/ports.js';
import { WorkerEngine } from './worker-engine.js';
import { WorkerPool } from './worker-pool.js';
import { usableCores } from './usable-cores.js';
import type { WorkerOptions } from './worker-protocol.js';

/** `auto`: one worker per core on a CPU backend, up to this many; one worker on a native backend. */
export const AUTO_MAX_WORKERS = 4;

export type WorkerCount = number | 'auto';

/**
 * How many workers `auto` means once the first worker has told which backend runs. wasm and cpu
 * run one thread per worker, so a pool is what puts more cores to work on concurrent stories.
 * libtensorflow (tfjs-node, tfjs-node-gpu) already spreads one step over every core or runs it on
 * the GPU, where more workers would only hold more copies of the weights and contend.
 */
export function autoWorkerCount(backend: string, cores: number): number {
  if (backend !== 'wasm' && backend !== 'cpu') return 1;
  return Math.max(1, Math.min(AUTO_MAX_WORKERS, Math.floor(cores)));
}

/**
 * What main.ts calls: the inference engine off the main thread, with one worker or a pool of them.
 * Rejects with a ModelLoadError naming the file when a model cannot be served, or with why no
 * backend started.
 */
export async function startInferenceEngine(
  options: WorkerOptions & { readonly workers?: WorkerCount; readonly cores?: number },
  logger: Logger,
): Promise<InferenceEngine> {
  const { workers = 1, cores = usableCores(), ...workerOptions } = options;
  if (workers !== 'auto') {
    return workers > 1 ? WorkerPool.start(workerOptions, workers, logger) : WorkerEngine.start(workerOptions, logger);
  }
  // A backend the configuration names is known now; otherwise it is chosen inside a worker, so
  // the first one decides how many join it.
  const named = workerOptions.backend === 'wasm' || workerOptions.backend === 'cpu' ? workerOptions.backend : undefined;
  const first = named === undefined ? await WorkerEngine.start(workerOptions, logger) : undefined;
  const backend = named ?? first!.backend();
  const count = autoWorkerCount(backend, cores);
  logger.info({ backend, cores, workers: count }, 'inference workers: auto');
  if (count > 1) return WorkerPool.start(workerOptions, count, logger, first ? [first] : []);
  return first ?? WorkerEngine.start(workerOptions, logger);
}
