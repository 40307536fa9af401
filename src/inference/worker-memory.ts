import { getHeapStatistics } from 'node:v8';
import * as tf from '@tensorflow/tfjs-core';
import type { WorkerMemory } from './worker-protocol.js';

/**
 * The calling thread's tfjs and JS heap figures (run inside the inference worker). Where the
 * process exposes gc (the bench turns it on; the bot never does), garbage is collected first, so
 * the heap figure is what is still live rather than what the collector has not yet reached.
 */
export function readWorkerMemory(): WorkerMemory {
  const gc: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof gc === 'function') gc();
  const { numTensors, numBytes } = tf.memory();
  return {
    tensors: numTensors,
    tensorBytes: numBytes,
    heapUsedBytes: getHeapStatistics().used_heap_size,
    wasmHeapBytes: wasmHeapBytes(tf.backend()),
  };
}

/** The wasm backend keeps its Emscripten module as `wasm`; other backends have no such heap. */
function wasmHeapBytes(backend: object): number {
  const module: unknown = (backend as { wasm?: unknown }).wasm;
  if (typeof module !== 'object' || module === null) return 0;
  const heap: unknown = (module as { HEAPU8?: unknown }).HEAPU8;
  return heap instanceof Uint8Array ? heap.byteLength : 0;
}
