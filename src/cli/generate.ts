import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDecimal } from '../core/decimal.js';
import { UserError } from '../core/errors.js';
import { BACKEND_PREFERENCES, chooseBackend, type BackendPreference } from '../inference/backend.js';
import { BatchEngine } from '../inference/batch-engine.js';
import { loadModelDir, loadModelsDir, type LoadedModel } from '../inference/model-files.js';
import { createLogger } from '../logger.js';
import { runCli } from './run-cli.js';

/**
 * npm run generate -- --seed "It all began with" [--length 400] [--temperature 0.4]
 *   [--random-seed 7] [--model scifi] [--models-dir models] [--backend auto|tensorflow|wasm|cpu]
 *
 * Prints only the continuation on stdout, as it is sampled; logs go to stderr. The same random
 * seed gives the same text.
 */
const USAGE =
  'usage: npm run generate -- --seed "It all began with" [--length 400] [--temperature 0.4] [--random-seed 7] [--model scifi] [--models-dir models] [--backend auto|tensorflow|wasm|cpu]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '' },
      length: { type: 'string', default: '400' },
      temperature: { type: 'string', default: '0.4' },
      'random-seed': { type: 'string' },
      model: { type: 'string' },
      'models-dir': { type: 'string', default: 'models' },
      backend: { type: 'string', default: 'auto' },
      'log-level': { type: 'string', default: 'info' },
    },
    strict: true,
  });
  const logger = createLogger(values['log-level']);
  const backendPreference = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(backendPreference)) {
    throw new UserError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}.`, 'bad-option');
  }
  const randomSeed = values['random-seed'] === undefined ? undefined : wholeNumber('--random-seed', values['random-seed']);
  const length = wholeNumber('--length', values.length);
  const temperature = decimal('--temperature', values.temperature);

  const backend = await chooseBackend(backendPreference, logger);
  const loaded = await loadRequested(values['models-dir'], values.model);
  const engine = new BatchEngine([loaded], { backend, logger });
  try {
    const prepared = engine.prepareSeed(loaded.meta.id, values.seed);
    if (prepared.dropped.length > 0) {
      logger.warn({ dropped: prepared.dropped.join('') }, 'seed characters the model does not know were dropped');
    }
    if (prepared.usedDefaultOpener) logger.info({ opener: prepared.text }, 'empty seed: using a stock opener');
    const started = performance.now();
    let produced = 0;
    const request = { seed: prepared.text, model: loaded.meta.id, temperature, length, randomSeed };
    for await (const chunk of engine.generate(request)) {
      process.stdout.write(chunk);
      produced += chunk.length;
    }
    if (process.stdout.isTTY) process.stdout.write('\n');
    const seconds = (performance.now() - started) / 1000;
    logger.info({ model: loaded.meta.id, backend, chars: produced, chars_per_s: Math.round(produced / seconds) }, 'generated');
  } finally {
    await engine.close();
  }
}

/** The named model, else models/scifi when there is one, else the first model found. */
async function loadRequested(modelsDir: string, model: string | undefined): Promise<LoadedModel> {
  if (model !== undefined) return loadModelDir(join(modelsDir, model));
  const hasScifi = await stat(join(modelsDir, 'scifi', 'meta.json')).then(() => true, () => false);
  if (hasScifi) return loadModelDir(join(modelsDir, 'scifi'));
  const all = await loadModelsDir(modelsDir);
  all.slice(1).forEach((m) => m.model.dispose());
  return all[0]!;
}

/** Number() alone would take "0x10" as 16 and "" as 0; flags take plain decimal forms only. */
function wholeNumber(flag: string, text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UserError(`${flag} must be a whole number, got "${text}".`, 'bad-option');
  return Number(text);
}

/** The engine checks the range; this says what was typed when it is not a number at all. */
function decimal(flag: string, text: string): number {
  const value = parseDecimal(text);
  if (value === undefined) throw new UserError(`${flag} must be a number such as 0.4, got "${text}".`, 'bad-option');
  return value;
}

runCli(main, USAGE);
