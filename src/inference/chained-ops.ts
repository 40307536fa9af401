import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-layers calls tensor methods (`x.flatten()`, `x.sign()`… in the orthogonal initializer that
 * every LSTM's recurrent kernel uses) which only the @tensorflow/tfjs umbrella package registers.
 * This project depends on tfjs-core + tfjs-layers directly, and core's ESM registration file cannot
 * be imported under Node, so the methods are added here, on the global Tensor class that every
 * copy of tfjs-core shares (tfjs-node, when present, registers the same ones first and wins).
 * Import for its side effect before building or loading a model.
 */

/** Chained methods whose body is exactly `op(this, ...args)` in tfjs-core's own registration. */
const PLAIN_OPS = [
  'abs', 'acos', 'acosh', 'add', 'all', 'any', 'argMax', 'argMin', 'asin', 'asinh', 'atan',
  'atan2', 'atanh', 'batchToSpaceND', 'batchNorm', 'broadcastTo', 'cast', 'ceil', 'clipByValue',
  'conv1d', 'conv2d', 'cos', 'cosh', 'cumprod', 'cumsum', 'depthToSpace', 'div', 'divNoNan', 'dot',
  'elu', 'equal', 'erf', 'euclideanNorm', 'exp', 'expandDims', 'expm1', 'fft', 'floor',
  'floorDiv', 'gather', 'greater', 'greaterEqual', 'ifft', 'irfft', 'isFinite', 'isInf', 'isNaN',
  'leakyRelu', 'less', 'lessEqual', 'log', 'log1p', 'logSigmoid', 'logSoftmax', 'logSumExp',
  'logicalAnd', 'logicalNot', 'logicalOr', 'logicalXor', 'matMul', 'max', 'maximum', 'mean',
  'min', 'minimum', 'mirrorPad', 'mod', 'mul', 'neg', 'norm', 'notEqual', 'oneHot', 'onesLike',
  'pad', 'pool', 'pow', 'prelu', 'prod', 'reciprocal', 'relu', 'relu6', 'reshape', 'reverse',
  'rfft', 'round', 'rsqrt', 'selu', 'sigmoid', 'sign', 'sin', 'sinh', 'slice', 'softmax',
  'softplus', 'spaceToBatchND', 'split', 'sqrt', 'square', 'squaredDifference', 'squeeze', 'step',
  'stridedSlice', 'sub', 'sum', 'tan', 'tanh', 'tile', 'topk', 'transpose', 'unique', 'unstack',
  'zerosLike',
] as const;

type Method = (this: tf.Tensor, ...args: unknown[]) => unknown;

const prototype = tf.Tensor.prototype as unknown as Record<string, Method | undefined>;
const ops = tf as unknown as Record<string, ((...args: unknown[]) => unknown) | undefined>;

function define(name: string, method: Method): void {
  if (typeof prototype[name] !== 'function') prototype[name] = method;
}

for (const name of PLAIN_OPS) {
  const op = ops[name];
  if (typeof op === 'function') define(name, function (...args) { return op(this, ...args); });
}
define('flatten', function () { return tf.reshape(this, [this.size]); });
define('asType', function (dtype) { return tf.cast(this, dtype as tf.DataType); });
define('toFloat', function () { return tf.cast(this, 'float32'); });
define('toInt', function () { return tf.cast(this, 'int32'); });
define('toBool', function () { return tf.cast(this, 'bool'); });
define('reshapeAs', function (x) { return tf.reshape(this, (x as tf.Tensor).shape); });
define('asScalar', function () { return tf.reshape(this, []); });
define('as1D', function () { return tf.reshape(this, [this.size]); });
