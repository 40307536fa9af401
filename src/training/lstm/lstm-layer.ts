import * as tf from '@tensorflow/tfjs-core';

export interface LayerRun {
  /** Outputs of every step, time-major [T·B, u]. */
  readonly outputs: tf.Tensor2D;
  /** State after the last step (no gradient flows through it: truncated BPTT). */
  readonly h: tf.Tensor2D;
  readonly c: tf.Tensor2D;
}

/**
 * One LSTM layer over a whole chunk with a hand-written backward pass.
 *
 * Autograd would record ~40 small ops per step and compute the recurrent weight gradient as T small
 * products; here backward walks the steps once producing dz, and the weight gradient is a single
 * [u, T·B]·[T·B, 4u] product — the shape the wasm matMul is fast at. All transposes are explicit
 * (wasm's transposeA/B flags are ~12× slower).
 *
 * @param zx input projections plus bias for every step, time-major [T·B, 4u], gate order i, f, c, o.
 */
export function lstmLayer(zx: tf.Tensor2D, recurrent: tf.Tensor2D, h0: tf.Tensor2D, c0: tf.Tensor2D, batch: number): LayerRun {
  const steps = zx.shape[0] / batch;
  const units = recurrent.shape[0];
  let finalH: tf.Tensor2D | undefined;
  let finalC: tf.Tensor2D | undefined;
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zxIn, u, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    const zPerStep = tf.split(zxIn, steps, 0) as tf.Tensor2D[];
    const gates: tf.Tensor2D[] = []; // per step: sigmoid(z) with the c slot holding tanh(z_c)
    const cells: tf.Tensor2D[] = [];
    const tanhCells: tf.Tensor2D[] = [];
    const hs: tf.Tensor2D[] = [];
    let h = h0;
    let c = c0;
    for (let t = 0; t < steps; t++) {
      const z = tf.add(zPerStep[t] as tf.Tensor2D, tf.matMul(h, u));
      const [zi, zf, zc, zo] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const i = tf.sigmoid(zi);
      const f = tf.sigmoid(zf);
      const g = tf.tanh(zc);
      const o = tf.sigmoid(zo);
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      const tc = tf.tanh(c);
      h = tf.mul(o, tc);
      gates.push(i, f, g, o);
      cells.push(c);
      tanhCells.push(tc);
      hs.push(h);
    }
    finalH = tf.keep(h);
    finalC = tf.keep(c);
    save([u, ...gates, ...cells, ...tanhCells, ...hs]);
    return {
      value: tf.concat(hs, 0),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedU, ...rest] = saved as tf.Tensor2D[];
        const sGates = rest.slice(0, 4 * steps);
        const sCells = rest.slice(4 * steps, 5 * steps);
        const sTanh = rest.slice(5 * steps, 6 * steps);
        const sHs = rest.slice(6 * steps, 7 * steps);
        const uT = tf.transpose(savedU as tf.Tensor2D);
        const dOut = tf.split(dy as tf.Tensor2D, steps, 0) as tf.Tensor2D[];
        const dzs: tf.Tensor2D[] = new Array(steps);
        let dhNext: tf.Tensor2D | undefined;
        let dcNext: tf.Tensor2D | undefined;
        for (let t = steps - 1; t >= 0; t--) {
          const [i, f, g, o] = sGates.slice(4 * t, 4 * t + 4) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
          const tc = sTanh[t] as tf.Tensor2D;
          const cPrev = t > 0 ? (sCells[t - 1] as tf.Tensor2D) : c0;
          const dh = (dhNext ? tf.add(dOut[t] as tf.Tensor2D, dhNext) : dOut[t]) as tf.Tensor2D;
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
          dhNext = tf.matMul(dz, uT) as tf.Tensor2D;
        }
        const dZ = tf.concat(dzs, 0);
        const hPrev = tf.concat([h0, ...sHs.slice(0, steps - 1)], 0);
        const dU = tf.matMul(tf.transpose(hPrev), dZ);
        return [dZ, dU];
      },
    };
  });
  const outputs = run(zx, recurrent) as tf.Tensor2D;
  if (!finalH || !finalC || finalH.shape[1] !== units) throw new Error('lstmLayer: forward did not run');
  return { outputs, h: finalH, c: finalC };
}
