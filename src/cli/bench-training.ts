import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UserError } from '../core/errors.js';
import { chooseBackend, BACKEND_PREFERENCES, type BackendPreference } from '../inference/backend.js';
import { buildCharLstm } from '../inference/build-model.js';
import { createLogger } from '../logger.js';
import { Adam } from '../training/lstm/adam.js';
import { disposeState, zeroState } from '../training/lstm/forward.js';
import { disposeParams, initParams, paramShapes } from '../training/lstm/params.js';
import { trainStep } from '../training/lstm/train-step.js';
import { Rng } from '../training/rng.js';
import { runCli } from './run-cli.js';

/**
 * npm run bench:training -- [--units 256,256] [--batch 64] [--seq 64] [--vocab 82] [--steps 4]
 *
 * Training throughput of the project's trainer step against tfjs-layers `model.fit` on the same
 * network, backend, batch and sequence length (random characters: speed does not depend on them).
 * Last stdout line: {"train_targets_per_s":…,"fit_targets_per_s":…,"train_vs_fit":…,…}.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      units: { type: 'string', default: '256,256' },
      batch: { type: 'string', default: '64' },
      seq: { type: 'string', default: '64' },
      vocab: { type: 'string', default: '82' },
      steps: { type: 'string', default: '4' },
      backend: { type: 'string', default: 'auto' },
    },
  });
  const units = (values.units ?? '').split(',').map((u) => whole(u, '--units'));
  const batch = whole(values.batch, '--batch');
  const seq = whole(values.seq, '--seq');
  const vocab = whole(values.vocab, '--vocab');
  const steps = whole(values.steps, '--steps');
  const backendPref = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(backendPref)) throw new UserError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}`, 'bad-option');
  const backend = await chooseBackend(backendPref, createLogger('warn'));
  const rng = new Rng(42);
  const ids = () => Int32Array.from({ length: batch * seq }, () => rng.int(vocab));
  const targets = batch * seq;

  // The project's trainer step (one warm-up step, then timed steps; state carried as in training).
  const params = initParams(vocab, units, rng);
  const adam = new Adam(paramShapes(vocab, units));
  let state = zeroState(units, batch);
  const runStep = () => {
    const r = trainStep(params, adam, { inputs: ids(), targets: ids(), batch }, state, { learningRate: 1e-3, clipNorm: 5 });
    disposeState(state);
    state = r.state;
  };
  runStep();
  let t0 = performance.now();
  for (let i = 0; i < steps; i++) runStep();
  const trainPerS = (steps * targets) / ((performance.now() - t0) / 1000);
  disposeState(state);
  disposeParams(params);
  adam.dispose();
  process.stderr.write(`trainer step: ${Math.round(trainPerS)} targets/s\n`);

  // tfjs-layers fit on the same network: one-hot [batch, seq, vocab] in, one-hot targets out.
  const model = buildCharLstm(vocab, units);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const oneHot = (n: number) =>
    tf.tidy(() => tf.reshape(tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from({ length: n * seq }, () => rng.int(vocab)), 'int32'), vocab), 'float32'), [n, seq, vocab]));
  const warmX = oneHot(batch);
  const warmY = oneHot(batch);
  await model.fit(warmX, warmY, { batchSize: batch, epochs: 1, verbose: 0 });
  const x = oneHot(batch * steps);
  const y = oneHot(batch * steps);
  t0 = performance.now();
  await model.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0, shuffle: false });
  const fitPerS = (steps * targets) / ((performance.now() - t0) / 1000);
  tf.dispose([warmX, warmY, x, y]);
  model.dispose();
  process.stderr.write(`tfjs-layers fit: ${Math.round(fitPerS)} targets/s\n`);

  process.stdout.write(
    `${JSON.stringify({
      backend,
      units,
      batch,
      seq,
      vocab,
      steps,
      train_targets_per_s: Math.round(trainPerS),
      fit_targets_per_s: Math.round(fitPerS),
      train_vs_fit: Number((trainPerS / fitPerS).toFixed(2)),
    })}\n`,
  );
}

function whole(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${name} must be a positive whole number (got "${value}")`, 'bad-option');
  return n;
}

// tfjs-layers is imported for its side effect too: it registers the gradients the step needs.
void tfl;

runCli(main);
