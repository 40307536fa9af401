import * as tf from '@tensorflow/tfjs-core';

export interface AdamConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

export const DEFAULT_ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/**
 * Adam with its moments held in our own variables (not tf.train.adam's), so a checkpoint can save
 * and restore them exactly alongside the weights.
 */
export class Adam {
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];
  /** Number of updates applied so far (Adam's bias-correction step). */
  t: number;

  constructor(
    shapes: readonly (readonly number[])[],
    readonly config: AdamConfig = DEFAULT_ADAM,
    state?: { m: Float32Array[]; v: Float32Array[]; t: number },
  ) {
    this.m = shapes.map((s, i) => tf.variable(state ? tf.tensor(state.m[i] as Float32Array, [...s]) : tf.zeros([...s]), false));
    this.v = shapes.map((s, i) => tf.variable(state ? tf.tensor(state.v[i] as Float32Array, [...s]) : tf.zeros([...s]), false));
    this.t = state?.t ?? 0;
  }

  /** One update of `params` with `grads` multiplied by `gradScale` (gradient clipping). */
  apply(params: readonly tf.Variable[], grads: readonly tf.Tensor[], learningRate: number, gradScale: number): void {
    this.t += 1;
    const { beta1, beta2, epsilon } = this.config;
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** this.t)) / (1 - beta1 ** this.t);
    tf.tidy(() => {
      params.forEach((p, i) => {
        const g = gradScale === 1 ? (grads[i] as tf.Tensor) : tf.mul(grads[i] as tf.Tensor, gradScale);
        const m = this.m[i] as tf.Variable;
        const v = this.v[i] as tf.Variable;
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        p.assign(tf.sub(p, tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsilon)), stepSize)));
      });
    });
  }

  async snapshot(): Promise<{ m: Float32Array[]; v: Float32Array[]; t: number }> {
    const m = await Promise.all(this.m.map(async (x) => (await x.data()) as Float32Array));
    const v = await Promise.all(this.v.map(async (x) => (await x.data()) as Float32Array));
    return { m, v, t: this.t };
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((x) => x.dispose());
  }
}
