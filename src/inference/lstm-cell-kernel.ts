import * as tf from '@tensorflow/tfjs-core';

/**
 * The LSTM cell update as one tfjs kernel, for the backends whose tensors live in JavaScript
 * memory (wasm: the module's heap; cpu: typed arrays):
 *
 *   c' = f ⊙ c + i ⊙ (2·s − 1)      (s = σ(2·z_c), so 2s − 1 = tanh(z_c))
 *   h' = o ⊙ tanh(c')
 *
 * with i, f, o, s the gates already through their sigmoid. Written with tfjs ops this is ten
 * element-wise kernels per layer (tfjs has no fused multiply-add, and wasm's tanh is not
 * vectorised), each with a fixed dispatch cost of a few microseconds that dwarfs the arithmetic
 * on one row of 560 units: one loop here takes a lone job's step from ~0.70 to ~0.53 ms on the
 * shipped 2×560 model. The gates may be four tensors or column blocks of one [B, 4·units] product
 * (offsets and stride say where), so the caller never has to slice them apart.
 *
 * The arithmetic is the same whatever the number of rows or the gates' layout, so a row's numbers
 * never depend on the batch it is in.
 */
export const LSTM_CELL_KERNEL = 'ScifiLstmCell';

/** Backends this kernel is written for. Others (tfjs-node) keep the op-by-op cell. */
const JS_MEMORY_BACKENDS = ['wasm', 'cpu'] as const;

export interface LstmCellInputs {
  readonly input: tf.Tensor2D;
  readonly forget: tf.Tensor2D;
  readonly output: tf.Tensor2D;
  readonly cellHalf: tf.Tensor2D;
  /** Previous cell state, [B, units]. */
  readonly c: tf.Tensor2D;
  /** Column where each gate starts in its tensor (input, forget, output, cellHalf). */
  readonly offsets: readonly [number, number, number, number];
  /** Columns per row of the gate tensors. */
  readonly stride: number;
}

/** Registers the kernel for the active backend if it is one this file serves; says whether it is there. */
export function lstmCellKernelAvailable(): boolean {
  const backend = tf.getBackend();
  if (!(JS_MEMORY_BACKENDS as readonly string[]).includes(backend)) return false;
  if (tf.getKernel(LSTM_CELL_KERNEL, backend) === undefined) {
    tf.registerKernel({ kernelName: LSTM_CELL_KERNEL, backendName: backend, kernelFunc: runCell });
  }
  return true;
}

/** Registers the kernel on the active backend, or throws if it is not one the kernel is written for. */
export function requireLstmCellKernel(): void {
  if (!lstmCellKernelAvailable()) throw new Error(`the LSTM cell kernel does not run on the ${tf.getBackend()} backend`);
}

/** [h', c'], each [B, units]. Call after requireLstmCellKernel() (once, not per step). */
export function lstmCell(inputs: LstmCellInputs): [tf.Tensor2D, tf.Tensor2D] {
  const { input, forget, output, cellHalf, c, offsets, stride } = inputs;
  const attrs = { offsets: [...offsets], stride } as unknown as tf.NamedAttrMap;
  const [h, cNext] = tf.engine().runKernel(LSTM_CELL_KERNEL, { input, forget, output, cellHalf, c }, attrs) as tf.Tensor2D[];
  return [h!, cNext!];
}

/** What the kernel needs from a backend: read a tensor's values, and make an output. */
interface MemoryBackend {
  readSync(dataId: tf.DataId): tf.BackendValues;
}
interface WasmBackend extends MemoryBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.TypedArray;
}
interface CpuBackend extends MemoryBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: tf.BackendValues): tf.TensorInfo;
}

function runCell({ inputs, attrs, backend }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const gateInfos = [inputs['input'], inputs['forget'], inputs['output'], inputs['cellHalf']] as tf.TensorInfo[];
  const cInfo = inputs['c'] as tf.TensorInfo;
  const offsets = (attrs as unknown as { offsets: number[] }).offsets;
  const stride = (attrs as unknown as { stride: number }).stride;
  const [rows, units] = cInfo.shape as [number, number];
  const shape = [rows, units];

  if (isWasm(backend)) {
    // Outputs first: allocating may grow the wasm heap, which detaches every earlier view of it.
    const hOut = backend.makeOutput(shape, 'float32');
    const cOut = backend.makeOutput(shape, 'float32');
    const read = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;
    update(gateInfos.map(read), offsets, stride, read(cInfo), read(hOut), read(cOut), rows, units);
    return [hOut, cOut];
  }
  const cpu = backend as unknown as CpuBackend;
  const read = (info: tf.TensorInfo) => cpu.readSync(info.dataId) as Float32Array;
  const h = new Float32Array(rows * units);
  const cNext = new Float32Array(rows * units);
  update(gateInfos.map(read), offsets, stride, read(cInfo), h, cNext, rows, units);
  return [cpu.makeTensorInfo(shape, 'float32', h), cpu.makeTensorInfo(shape, 'float32', cNext)];
}

function isWasm(backend: unknown): backend is WasmBackend {
  return typeof (backend as Partial<WasmBackend>).typedArrayFromHeap === 'function';
}

function update(
  [gi, gf, go, gs]: Float32Array[],
  [oi, of, oo, os]: number[],
  stride: number,
  c: Float32Array,
  hOut: Float32Array,
  cOut: Float32Array,
  rows: number,
  units: number,
): void {
  for (let r = 0; r < rows; r++) {
    const g = r * stride;
    const s = r * units;
    for (let k = 0; k < units; k++) {
      const cNext = Math.fround(gf![g + of! + k]! * c[s + k]! + gi![g + oi! + k]! * (2 * gs![g + os! + k]! - 1));
      cOut[s + k] = cNext;
      // tanh through exp: a few times quicker than Math.tanh here, and exact to float32.
      hOut[s + k] = go![g + oo! + k]! * (2 / (1 + Math.exp(-2 * cNext)) - 1);
    }
  }
}
