import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelMeta } from './model-meta.js';

/**
 * What the stateful engine needs to know about a model, read from the layers themselves, and the
 * ways a meta.json can disagree with them. Returns a list of problems (empty when all is well), so
 * the saver and the loader can phrase them for their own file.
 */
export function metaMismatches(model: LayersModel, meta: ModelMeta): string[] {
  const problems: string[] = [];
  const layers = model.layers;
  const lstms = layers.filter((l) => l.getClassName() === 'LSTM');
  const last = layers[layers.length - 1];
  if (lstms.length + 1 !== layers.length || last === undefined || last.getClassName() !== 'Dense') {
    const shape = layers.map((l) => l.getClassName()).join(' → ');
    problems.push(`the network must be LSTM layers then one Dense layer, found ${shape}`);
    return problems;
  }
  if (lstms.length !== meta.units.length) {
    problems.push(`meta lists ${meta.units.length} LSTM layers but the model has ${lstms.length}`);
  }
  const vocabSize = meta.vocab.length;
  lstms.forEach((layer, i) => {
    const kernel = layer.weights[0]?.shape;
    const width = kernel?.[1];
    const units = typeof width === 'number' ? width / 4 : undefined;
    if (i === 0 && kernel?.[0] !== vocabSize) {
      problems.push(`meta has ${vocabSize} vocabulary characters but the first LSTM takes ${kernel?.[0]} inputs`);
    }
    const expected = meta.units[i];
    if (expected !== undefined && units !== expected) {
      problems.push(`meta says LSTM layer ${i} has ${expected} units, the weights have ${units}`);
    }
    const config = layer.getConfig();
    if (config['recurrentActivation'] !== 'sigmoid') {
      problems.push(`LSTM layer ${i} uses recurrentActivation ${String(config['recurrentActivation'])}; the engine needs sigmoid`);
    }
    if (config['activation'] !== 'tanh') {
      problems.push(`LSTM layer ${i} uses activation ${String(config['activation'])}; the engine needs tanh`);
    }
  });
  const denseKernel = last.weights[0]?.shape;
  if (denseKernel?.[1] !== vocabSize) {
    problems.push(`meta has ${vocabSize} vocabulary characters but the output layer has ${denseKernel?.[1]} units`);
  }
  if (last.getConfig()['activation'] !== 'softmax') {
    problems.push('the output layer must end in softmax');
  }
  const duplicates = meta.vocab.filter((ch, i) => meta.vocab.indexOf(ch) !== i);
  if (duplicates.length > 0) {
    problems.push(`meta vocab repeats ${JSON.stringify(duplicates.join(''))}`);
  }
  return problems;
}
