import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchCursor } from './batches.js';
import type { HistoryPoint } from './plot.js';

/**
 * A checkpoint folder: state.json (everything small: sizes, vocabulary, cursor, RNG state, learning
 * rate, history) and tensors.bin (float32 arrays back to back, described in state.json): weights,
 * Adam moments and the LSTM state carried between chunks — all a resumed run needs to take exactly
 * the step the interrupted one would have taken next.
 */
export interface CheckpointState {
  readonly version: 1;
  readonly modelId: string;
  readonly vocab: readonly string[];
  readonly units: readonly number[];
  readonly sequenceLength: number;
  readonly batch: number;
  /** Updates applied so far. */
  readonly step: number;
  readonly cursor: BatchCursor;
  readonly rngState: number;
  readonly learningRate: number;
  readonly adamStep: number;
  readonly bestValidLoss: number | null;
  /** Validations in a row without improvement (for the plateau schedule). */
  readonly staleValidations: number;
  readonly charsSeen: number;
  readonly trainSeconds: number;
  readonly savedAt: string;
  readonly history: readonly TrainingRecord[];
  readonly events: readonly TrainingEvent[];
  readonly tensors: readonly TensorEntry[];
}

/** One point of the training log (also what the plot draws). */
export interface TrainingRecord extends HistoryPoint {
  readonly epoch: number;
  readonly learningRate: number;
  readonly validBpc?: number;
  readonly charsPerSecond?: number;
  readonly at: string;
}

/** Something worth a line in the log: a NaN rollback, a learning-rate cut, a resume. */
export interface TrainingEvent {
  readonly step: number;
  readonly kind: 'nan-rollback' | 'lr-plateau' | 'resume' | 'warm-start' | 'start' | 'best' | 'stop';
  readonly detail: string;
  readonly at: string;
}

export interface TensorEntry {
  readonly name: string;
  readonly length: number;
}

export interface CheckpointData {
  readonly state: CheckpointState;
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

const STATE = 'state.json';
const TENSORS = 'tensors.bin';

export async function saveCheckpoint(
  dir: string,
  state: Omit<CheckpointState, 'tensors' | 'version' | 'savedAt'>,
  tensors: ReadonlyMap<string, Float32Array>,
): Promise<void> {
  const entries: TensorEntry[] = [...tensors.entries()].map(([name, data]) => ({ name, length: data.length }));
  for (const [name, data] of tensors) {
    if (!data.every(Number.isFinite)) throw new Error(`refusing to checkpoint: ${name} holds NaN or Inf`);
  }
  const full: CheckpointState = { ...state, version: 1, savedAt: new Date().toISOString(), tensors: entries };
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const total = entries.reduce((s, e) => s + e.length, 0);
  const buffer = new Float32Array(total);
  let at = 0;
  for (const data of tensors.values()) {
    buffer.set(data, at);
    at += data.length;
  }
  await writeFile(join(tmp, TENSORS), new Uint8Array(buffer.buffer));
  await writeFile(join(tmp, STATE), JSON.stringify(full, null, 1));
  // Swap folders: the old checkpoint stays whole until the new one is complete.
  const old = `${dir}.old-${process.pid}`;
  const hadOld = await exists(dir);
  if (hadOld) await rename(dir, old);
  await rename(tmp, dir);
  if (hadOld) await rm(old, { recursive: true, force: true });
}

export async function loadCheckpoint(dir: string): Promise<CheckpointData | undefined> {
  if (!(await exists(join(dir, STATE)))) return undefined;
  const state = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as CheckpointState;
  if (state.version !== 1) throw new Error(`${dir}: unknown checkpoint version ${String(state.version)}`);
  const bytes = await readFile(join(dir, TENSORS));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const tensors = new Map<string, Float32Array>();
  let at = 0;
  for (const entry of state.tensors) {
    tensors.set(entry.name, all.slice(at, at + entry.length));
    at += entry.length;
  }
  if (at !== all.length) throw new Error(`${dir}: tensors.bin holds ${all.length} values, state.json describes ${at}`);
  return { state, tensors };
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
