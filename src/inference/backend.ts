import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { Logger } from '../core/ports.js';

/** Which tfjs backend to run: `auto` tries the fastest first; the others insist on one. */
export type BackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

/**
 * Picks and initialises the tfjs backend once, at start: tfjs-node-gpu → tfjs-node → wasm → cpu.
 * The native packages are optional dependencies (their install downloads libtensorflow, which not
 * every machine can), so they are imported dynamically and a failure just moves down the list.
 * Returns the name tfjs knows the backend by ('tensorflow', 'wasm', 'cpu').
 */
export async function chooseBackend(preference: BackendPreference, logger: Logger): Promise<string> {
  const candidates: Candidate[] =
    preference === 'auto' ? [nodeGpu, node, wasm, cpu]
    : preference === 'tensorflow' ? [nodeGpu, node]
    : preference === 'wasm' ? [wasm]
    : [cpu];
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      const detail = await candidate.start();
      logger.info({ backend: tf.getBackend(), preference, ...detail }, `tfjs backend: ${candidate.label}`);
      return tf.getBackend();
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      failures.push(`${candidate.label}: ${reason}`);
      logger.debug({ backend: candidate.label, reason }, 'tfjs backend unavailable, trying the next');
    }
  }
  throw new Error(`No tfjs backend could start for preference "${preference}" (${failures.join('; ')})`);
}

interface Candidate {
  readonly label: string;
  /** Registers and activates the backend; returns details worth logging. Throws if unavailable. */
  start(): Promise<Record<string, unknown>>;
}

/** A specifier in a variable, so TypeScript does not look for a package that may not be there. */
async function importOptional(specifier: string): Promise<unknown> {
  return import(specifier);
}

async function activate(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/** A tfjs-node package: importing it registers the 'tensorflow' backend over libtensorflow. */
function nativeCandidate(pkg: string, build: string): Candidate {
  return {
    label: pkg.replace('@tensorflow/', ''),
    async start() {
      await importOptional(pkg);
      await activate('tensorflow');
      return { native: `libtensorflow (${build})` };
    },
  };
}

const nodeGpu = nativeCandidate('@tensorflow/tfjs-node-gpu', 'GPU build');
const node = nativeCandidate('@tensorflow/tfjs-node', 'CPU build');

const wasm: Candidate = {
  label: 'wasm',
  async start() {
    const backend = await import('@tensorflow/tfjs-backend-wasm');
    // Point Emscripten at the package's own .wasm files, wherever npm placed the package.
    const require = createRequire(import.meta.url);
    const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    backend.setWasmPaths(`${join(dist)}/`);
    const [simd, threads] = await Promise.all([
      tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
      tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    ]);
    // tfjs-backend-wasm reports no thread support under Node (tfjs#3830): SIMD is what we get.
    await activate('wasm');
    return { simd: Boolean(simd), threads: threads ? backend.getThreadsCount() : 1 };
  },
};

const cpu: Candidate = {
  label: 'cpu',
  async start() {
    await import('@tensorflow/tfjs-backend-cpu');
    await activate('cpu');
    return {};
  },
};
