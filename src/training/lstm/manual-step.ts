import * as tf from '@tensorflow/tfjs-core';
import type { LstmState } from './forward.js';
import type { CharLstmParams } from './params.js';

/**
 * The whole network's forward and backward pass for one chunk, written out by hand with tfjs ops.
 *
 * Why not autograd: on the wasm backend, cutting a large tensor into per-step pieces (split,
 * slice, gather, unstack) copies the whole source out of the heap on every call — a [T·B, 4u]
 * tensor cut into 100 steps cost more than all the arithmetic (measured). So nothing here is ever
 * cut by rows: every per-step quantity is computed per step (inputs, gates, outputs, softmax), and
 * large tensors are only ever built by concatenation (cheap) for the weight gradients, which are
 * then single big products [in, T·B]·[T·B, 4u] — the shape wasm's matMul is fastest at. All
 * transposes are explicit (wasm's transposeA/B flags are ~12× slower).
 *
 * Gate order is Keras' (i, f, c, o); recurrent activation sigmoid, activation tanh.
 */
export interface ChunkIds {
  /** Time-major ids [T·B]: row t*batch + b. */
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly batch: number;
}

export interface ManualResult {
  /** Mean cross-entropy (nats) over the chunk. */
  readonly loss: tf.Scalar;
  readonly correct: tf.Scalar;
  /** Gradients of the mean loss in flat parameter order (see flatParams); only when asked for. */
  readonly grads?: tf.Tensor[];
  /** State after the chunk. */
  readonly state: LstmState;
}

/** Per-step one-hot rows [B, V] built in JS (wasm's OneHot kernel ignores the dtype, see forward.ts). */
function oneHotSteps(ids: Int32Array, batch: number, vocab: number): tf.Tensor2D[] {
  const steps = ids.length / batch;
  return Array.from({ length: steps }, (_, t) => {
    const data = new Float32Array(batch * vocab);
    for (let b = 0; b < batch; b++) data[b * vocab + (ids[t * batch + b] as number)] = 1;
    return tf.tensor2d(data, [batch, vocab]);
  });
}

interface LayerTrace {
  readonly xs: tf.Tensor2D[];
  readonly i: tf.Tensor2D[];
  readonly f: tf.Tensor2D[];
  readonly g: tf.Tensor2D[];
  readonly o: tf.Tensor2D[];
  readonly c: tf.Tensor2D[];
  readonly tc: tf.Tensor2D[];
  readonly h: tf.Tensor2D[];
}

export function runChunk(params: CharLstmParams, chunk: ChunkIds, state: LstmState, withGradients: boolean): ManualResult {
  const { batch } = chunk;
  const vocab = params.vocabSize;
  const steps = chunk.inputs.length / batch;
  const count = batch * steps;
  // tidy keeps exactly the tensors returned (loss, correct, grads, state) and frees the rest.
  return tf.tidy((): tf.TensorContainer => {
    // ---- forward
    const traces: LayerTrace[] = [];
    let xs = oneHotSteps(chunk.inputs, batch, vocab);
    params.layers.forEach((layer, l) => {
      const trace: LayerTrace = { xs, i: [], f: [], g: [], o: [], c: [], tc: [], h: [] };
      let h = state.h[l] as tf.Tensor2D;
      let c = state.c[l] as tf.Tensor2D;
      for (let t = 0; t < steps; t++) {
        const z = tf.add(tf.add(tf.matMul(xs[t] as tf.Tensor2D, layer.kernel as tf.Tensor2D), tf.matMul(h, layer.recurrent as tf.Tensor2D)), layer.bias);
        const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const i = tf.sigmoid(zi);
        const f = tf.sigmoid(zf);
        const g = tf.tanh(zc);
        const o = tf.sigmoid(zo);
        c = tf.add(tf.mul(f, c), tf.mul(i, g));
        const tc = tf.tanh(c);
        h = tf.mul(o, tc);
        trace.i.push(i);
        trace.f.push(f);
        trace.g.push(g);
        trace.o.push(o);
        trace.c.push(c);
        trace.tc.push(tc);
        trace.h.push(h);
      }
      traces.push(trace);
      xs = trace.h;
    });
    const top = traces[traces.length - 1] as LayerTrace;
    const targets = oneHotSteps(chunk.targets, batch, vocab);
    const targetIds = Array.from({ length: steps }, (_, t) => tf.tensor1d(chunk.targets.subarray(t * batch, (t + 1) * batch), 'int32'));
    const nll: tf.Scalar[] = [];
    const hits: tf.Scalar[] = [];
    const dLogits: tf.Tensor2D[] = [];
    for (let t = 0; t < steps; t++) {
      const logits = tf.add(tf.matMul(top.h[t] as tf.Tensor2D, params.outKernel as tf.Tensor2D), params.outBias) as tf.Tensor2D;
      const logProbs = tf.logSoftmax(logits);
      nll.push(tf.neg(tf.sum(tf.mul(targets[t] as tf.Tensor2D, logProbs))) as tf.Scalar);
      hits.push(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), targetIds[t] as tf.Tensor1D), 'float32')) as tf.Scalar);
      if (withGradients) dLogits.push(tf.div(tf.sub(tf.exp(logProbs), targets[t] as tf.Tensor2D), count) as tf.Tensor2D);
    }
    const loss = tf.div(tf.addN(nll), count) as tf.Scalar;
    const correct = tf.addN(hits) as tf.Scalar;
    const finalState: LstmState = {
      h: traces.map((tr) => tr.h[steps - 1] as tf.Tensor2D),
      c: traces.map((tr) => tr.c[steps - 1] as tf.Tensor2D),
    };
    if (!withGradients) return { loss, correct, state: finalState } as unknown as tf.TensorContainer;

    // ---- backward
    const outKernelT = tf.transpose(params.outKernel as tf.Tensor2D);
    let dH: tf.Tensor2D[] = dLogits.map((d) => tf.matMul(d, outKernelT));
    const dLogitsAll = tf.concat(dLogits, 0);
    const dOutKernel = tf.matMul(tf.transpose(tf.concat(top.h, 0)), dLogitsAll);
    const dOutBias = tf.sum(dLogitsAll, 0);
    const layerGrads: tf.Tensor[][] = [];
    for (let l = traces.length - 1; l >= 0; l--) {
      const tr = traces[l] as LayerTrace;
      const layer = params.layers[l] as CharLstmParams['layers'][number];
      const recurrentT = tf.transpose(layer.recurrent as tf.Tensor2D);
      const kernelT = l > 0 ? tf.transpose(layer.kernel as tf.Tensor2D) : undefined;
      const c0 = state.c[l] as tf.Tensor2D;
      const dzs: tf.Tensor2D[] = new Array(steps);
      const dXs: tf.Tensor2D[] = new Array(steps);
      let dhNext: tf.Tensor2D | undefined;
      let dcNext: tf.Tensor2D | undefined;
      for (let t = steps - 1; t >= 0; t--) {
        const i = tr.i[t] as tf.Tensor2D;
        const f = tr.f[t] as tf.Tensor2D;
        const g = tr.g[t] as tf.Tensor2D;
        const o = tr.o[t] as tf.Tensor2D;
        const tc = tr.tc[t] as tf.Tensor2D;
        const cPrev = t > 0 ? (tr.c[t - 1] as tf.Tensor2D) : c0;
        const dh = (dhNext ? tf.add(dH[t] as tf.Tensor2D, dhNext) : dH[t]) as tf.Tensor2D;
        const dhTimesO = tf.mul(dh, o);
        const dcFromH = tf.sub(dhTimesO, tf.mul(dhTimesO, tf.square(tc)));
        const dc = dcNext ? tf.add(dcNext, dcFromH) : dcFromH;
        const dzi = tf.mul(tf.mul(dc, g), tf.sub(i, tf.square(i)));
        const dzf = tf.mul(tf.mul(dc, cPrev), tf.sub(f, tf.square(f)));
        const dzc = tf.mul(tf.mul(dc, i), tf.sub(1, tf.square(g)));
        const dzo = tf.mul(tf.mul(dh, tc), tf.sub(o, tf.square(o)));
        const dz = tf.concat([dzi, dzf, dzc, dzo], 1) as tf.Tensor2D;
        dzs[t] = dz;
        dcNext = tf.mul(dc, f) as tf.Tensor2D;
        dhNext = tf.matMul(dz, recurrentT) as tf.Tensor2D;
        if (kernelT) dXs[t] = tf.matMul(dz, kernelT);
      }
      const dZ = tf.concat(dzs, 0);
      const hPrev = tf.concat([state.h[l] as tf.Tensor2D, ...tr.h.slice(0, steps - 1)], 0);
      const dKernel = tf.matMul(tf.transpose(tf.concat(tr.xs, 0)), dZ);
      const dRecurrent = tf.matMul(tf.transpose(hPrev), dZ);
      const dBias = tf.sum(dZ, 0);
      layerGrads[l] = [dKernel, dRecurrent, dBias];
      dH = dXs;
    }
    const grads = [...layerGrads.flat(), dOutKernel, dOutBias];
    return { loss, correct, grads, state: finalState } as unknown as tf.TensorContainer;
  }) as unknown as ManualResult;
}
