import * as tf from '@tensorflow/tfjs-core';
import type { CharLstmParams } from './params.js';
import { matMulFast, oneHotMatMul } from './fast-matmul.js';

/** h and c of every layer, each [batch, units]. */
export interface LstmState {
  readonly h: tf.Tensor2D[];
  readonly c: tf.Tensor2D[];
}

export function zeroState(units: readonly number[], batch: number): LstmState {
  return {
    h: units.map((u) => tf.zeros([batch, u]) as tf.Tensor2D),
    c: units.map((u) => tf.zeros([batch, u]) as tf.Tensor2D),
  };
}

export function disposeState(s: LstmState): void {
  [...s.h, ...s.c].forEach((t) => t.dispose());
}

export interface ChunkOutput {
  /** Top layer's softmax logits, time-major: row t*batch + b is step t of stream b. */
  readonly logits: tf.Tensor2D;
  readonly state: LstmState;
}

/**
 * The network in plain tfjs ops, differentiable by tfjs autograd: the reference that the
 * hand-written pass in manual-step.ts is tested against (and a readable statement of the maths).
 * Slow on wasm (it cuts large tensors per step); training uses runChunk.
 *
 * @param inputs time-major character ids, shape [T·B] (row t*batch + b).
 */
export function forwardChunk(
  params: CharLstmParams,
  inputs: tf.Tensor1D,
  batch: number,
  state: LstmState,
): ChunkOutput {
  let layerInput = oneHotFloat(inputs, params.vocabSize);
  const h: tf.Tensor2D[] = [];
  const c: tf.Tensor2D[] = [];
  params.layers.forEach((layer, li) => {
    const projected =
      li === 0 ? oneHotMatMul(layerInput, layer.kernel as tf.Tensor2D) : matMulFast(layerInput, layer.kernel as tf.Tensor2D);
    const zx = tf.add(projected, layer.bias) as tf.Tensor2D;
    const out = referenceLayer(zx, layer.recurrent as tf.Tensor2D, state.h[li] as tf.Tensor2D, state.c[li] as tf.Tensor2D, batch);
    h.push(out.h);
    c.push(out.c);
    layerInput = out.outputs;
  });
  const logits = tf.add(matMulFast(layerInput, params.outKernel as tf.Tensor2D), params.outBias) as tf.Tensor2D;
  return { logits, state: { h, c } };
}

/** Mean cross-entropy (nats) and the number of correct top-1 predictions. */
export function chunkLoss(logits: tf.Tensor2D, targets: tf.Tensor1D, vocabSize: number): tf.Scalar {
  const labels = oneHotFloat(targets, vocabSize);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

export function correctCount(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32')) as tf.Scalar;
}

/**
 * One-hot rows as float32. The wasm OneHot kernel ignores the dtype argument and writes int32
 * bits into a float32 tensor (values ~1e-45), so build int32 and cast.
 */
export function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.oneHot(ids, depth), 'float32')) as tf.Tensor2D;
}

interface LayerRun {
  readonly outputs: tf.Tensor2D;
  readonly h: tf.Tensor2D;
  readonly c: tf.Tensor2D;
}

function referenceLayer(zx: tf.Tensor2D, recurrent: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D, batch: number): LayerRun {
  const steps = zx.shape[0] / batch;
  const perStep = tf.split(zx, steps, 0) as tf.Tensor2D[];
  let ht = h0;
  let ct = c0;
  const outputs: tf.Tensor2D[] = [];
  for (let t = 0; t < steps; t++) {
    const z = tf.add(perStep[t] as tf.Tensor2D, matMulFast(ht, recurrent));
    const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    ct = tf.add(tf.mul(tf.sigmoid(zf), ct), tf.mul(tf.sigmoid(zi), tf.tanh(zc)));
    ht = tf.mul(tf.sigmoid(zo), tf.tanh(ct));
    outputs.push(ht);
  }
  return { outputs: tf.concat(outputs, 0), h: ht, c: ct };
}
