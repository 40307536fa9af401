import type { GenerationRequest } from '../core/ports.js';
import type { BackendPreference } from './backend.js';

/**
 * Messages between the bot's thread and the inference worker. Every request carries a nonce that
 * its replies repeat (as in @discordjs/ws), so many generations share one channel. The same
 * protocol can later run over a socket to a worker process on a GPU machine.
 */

export interface WorkerOptions {
  readonly modelsDir: string;
  readonly backend: BackendPreference;
  /** Listed first by models(), so it is the default; the others follow by id. */
  readonly defaultModel?: string;
  readonly maxBatch?: number;
  readonly turnMs?: number;
}

export interface ServedModel {
  readonly id: string;
  readonly description: string;
  readonly vocab: readonly string[];
  readonly sequenceLength: number;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** UserError's code, when it is one. */
  readonly code?: string;
  /** ModelLoadError's file, when it is one. */
  readonly file?: string;
  readonly problem?: string;
}

/**
 * What one worker holds, for leak checks (npm run bench): a long-running bot must end every
 * story with these where they were.
 */
export interface WorkerMemory {
  /** Live tfjs tensors (tf.memory().numTensors): weights plus the state of rows in flight. */
  readonly tensors: number;
  /** Bytes those tensors hold. */
  readonly tensorBytes: number;
  /** The worker's own JS heap in use (its V8 isolate's, not the process's), after gc where exposed. */
  readonly heapUsedBytes: number;
  /** Size of the wasm backend's linear memory, which grows and never shrinks; 0 on other backends. */
  readonly wasmHeapBytes: number;
}

export type ToWorker =
  | { readonly op: 'generate'; readonly nonce: number; readonly request: GenerationRequest }
  | { readonly op: 'abort'; readonly nonce: number }
  | { readonly op: 'memory'; readonly nonce: number }
  | { readonly op: 'close'; readonly nonce: number };

export type FromWorker =
  | { readonly op: 'ready'; readonly backend: string; readonly models: readonly ServedModel[] }
  | { readonly op: 'start-failed'; readonly error: SerializedError }
  | { readonly op: 'chars'; readonly nonce: number; readonly text: string }
  | { readonly op: 'done'; readonly nonce: number }
  | { readonly op: 'error'; readonly nonce: number; readonly error: SerializedError }
  | { readonly op: 'closed'; readonly nonce: number }
  | { readonly op: 'memory'; readonly nonce: number; readonly memory: WorkerMemory }
  | { readonly op: 'log'; readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly obj: object | string; readonly msg?: string };
