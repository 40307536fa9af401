import * as tf from '@tensorflow/tfjs-core';

/**
 * a·b whose gradient transposes explicitly. tfjs' own matMul gradient calls matMul with
 * transposeA/transposeB, which the wasm backend runs ~12× slower than a plain product after an
 * explicit tf.transpose (measured, see DESIGN.md); this one function is most of the trainer's speed.
 */
export const matMulFast = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * oneHot·w for inputs that need no gradient of their own (the one-hot characters): the same
 * product as a gather of rows, but differentiable on wasm, which lacks the UnsortedSegmentSum
 * kernel behind gather's gradient. Skips the useless [N, V] input gradient product.
 */
export const oneHotMatMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx] = saved as [tf.Tensor2D];
      return [tf.zerosLike(sx), tf.matMul(tf.transpose(sx), dy as tf.Tensor2D)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;
