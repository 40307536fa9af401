import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { chooseBackend, BACKEND_PREFERENCES, type BackendPreference } from '../inference/backend.js';
import { WEIGHT_PRECISIONS, type WeightPrecision } from '../inference/model-meta.js';
import { createLogger } from '../logger.js';
import { formatFileReport, prepareCorpus } from '../training/corpus/prepare.js';
import { train } from '../training/trainer.js';
import { runCli } from './run-cli.js';

/**
 * npm run train -- --corpus <dir> --model <id> [--units 256,256] [--seq 100] [--batch 64]
 *   [--epochs N] [--lr 0.002] [--resume] [--max-minutes M] [--anneal-fraction 0.25] [--test-authors "dick,hamilton"]
 *   [--prepare-only] [--eval-every STEPS] [--valid-chars N] [--checkpoint-minutes M] [--seed S]
 *   [--description "…"] [--models-dir models] [--backend auto|tensorflow|wasm|cpu]
 *   [--weight-precision float32|float16]
 *
 * Prepares the corpus into data/prepared/<id>/, trains with checkpoints in data/checkpoints/<id>/,
 * and exports the best weights to models/<id>/ (as float16 with --weight-precision float16: half the
 * size, so a wider model still fits the 20 MB limit). Ctrl-C (or SIGTERM) stops after the current step,
 * checkpoints and exports; a second Ctrl-C exits at once. Run it again with --resume to continue.
 */
const USAGE =
  'usage: npm run train -- --corpus <dir> --model <id> [--units 256,256] [--seq 100] [--batch 64] [--epochs N] [--lr 0.002] [--resume] [--max-minutes M] [--test-authors a,b] [--prepare-only] [--weight-precision float32|float16]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      model: { type: 'string' },
      units: { type: 'string', default: '256,256' },
      seq: { type: 'string', default: '100' },
      batch: { type: 'string', default: '64' },
      epochs: { type: 'string', default: '20' },
      lr: { type: 'string', default: '0.002' },
      resume: { type: 'boolean', default: false },
      'max-minutes': { type: 'string' },
      'anneal-fraction': { type: 'string', default: '0.25' },
      'test-authors': { type: 'string' },
      'min-char-count': { type: 'string' },
      'prepare-only': { type: 'boolean', default: false },
      'eval-every': { type: 'string' },
      'valid-chars': { type: 'string' },
      'checkpoint-minutes': { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      description: { type: 'string' },
      'models-dir': { type: 'string', default: 'models' },
      backend: { type: 'string', default: 'auto' },
      'weight-precision': { type: 'string', default: 'float32' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const modelId = values.model;
  if (!modelId || !/^[a-z0-9][a-z0-9_-]*$/.test(modelId)) {
    throw new UserError(`--model must be an id like "scifi" (lowercase letters, digits, - and _)\n${USAGE}`, 'bad-option');
  }
  const units = (values.units ?? '').split(',').map((u) => positiveInt(u, '--units'));
  const seq = positiveInt(values.seq, '--seq');
  const batch = positiveInt(values.batch, '--batch');
  const epochs = positiveNumber(values.epochs, '--epochs');
  const lr = positiveNumber(values.lr, '--lr');
  const maxMinutes = values['max-minutes'] !== undefined ? positiveNumber(values['max-minutes'], '--max-minutes') : undefined;
  const backend = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(backend)) throw new UserError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}`, 'bad-option');
  const weightPrecision = values['weight-precision'] as WeightPrecision;
  if (!WEIGHT_PRECISIONS.includes(weightPrecision)) {
    throw new UserError(`--weight-precision must be one of ${WEIGHT_PRECISIONS.join(', ')} (got "${values['weight-precision']}")`, 'bad-option');
  }

  const logger = createLogger(values['log-level'] ?? 'info');
  const preparedDir = join('data', 'prepared', modelId);
  const checkpointDir = join('data', 'checkpoints', modelId);
  // Another folder than models/ keeps a trial run from replacing a shipped model.
  const modelDir = join(values['models-dir'] ?? 'models', modelId);

  if (values.corpus) {
    // On resume the vocabulary is fixed by the checkpoint (or the exported model).
    const vocab = values.resume ? await existingVocab(checkpointDir, modelDir) : undefined;
    const report = await prepareCorpus({
      corpusDir: values.corpus,
      outDir: preparedDir,
      testAuthors: values['test-authors']?.split(','),
      minCharCount: values['min-char-count'] !== undefined ? positiveInt(values['min-char-count'], '--min-char-count') : undefined,
      vocab,
      onFile: (f) => process.stderr.write(`${formatFileReport(f)}\n`),
    });
    process.stderr.write(
      `prepared ${preparedDir}: train ${report.splits.train.chars} chars (${report.splits.train.files.length} books), ` +
        `valid ${report.splits.valid.chars} (${report.splits.valid.files.length}), test ${report.splits.test.chars} (${report.splits.test.files.length}); ` +
        `vocabulary ${report.vocab.length} characters; ${report.rareChars.length} rare characters folded or dropped\n`,
    );
  } else if (!(await stat(join(preparedDir, 'vocab.json')).catch(() => undefined))) {
    throw new UserError(`No prepared corpus in ${preparedDir}: pass --corpus <dir>\n${USAGE}`, 'bad-option');
  }
  if (values['prepare-only']) return;

  await chooseBackend(backend, logger);
  const controller = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stderr.write('\nstopping after this step (checkpoint + export); press Ctrl-C again to quit at once\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const result = await train({
    modelId,
    preparedDir,
    checkpointDir,
    modelDir,
    units,
    sequenceLength: seq,
    batch,
    epochs,
    learningRate: lr,
    maxMinutes,
    annealFraction: fraction(values['anneal-fraction'], '--anneal-fraction'),
    resume: values.resume ?? false,
    evalEvery: values['eval-every'] !== undefined ? positiveInt(values['eval-every'], '--eval-every') : undefined,
    validChars: values['valid-chars'] !== undefined ? positiveInt(values['valid-chars'], '--valid-chars') : undefined,
    checkpointMinutes: positiveNumber(values['checkpoint-minutes'], '--checkpoint-minutes'),
    seed: positiveInt(values.seed, '--seed'),
    description: values.description,
    weightPrecision,
    logger,
    progress: process.stderr,
    signal: controller.signal,
  });
  process.stdout.write(
    `${JSON.stringify({
      model: modelId,
      steps: result.steps,
      chars_seen: result.charsSeen,
      epochs: Number(result.epochs.toFixed(3)),
      stopped_by: result.stoppedBy,
      valid_bpc: result.valid?.bpc,
      valid_accuracy: result.valid?.accuracy,
      test_bpc: result.test?.bpc,
      test_accuracy: result.test?.accuracy,
      exported: result.exported ? modelDir : null,
    })}\n`,
  );
}

async function existingVocab(checkpointDir: string, modelDir: string): Promise<string[] | undefined> {
  for (const file of [join(checkpointDir, 'last', 'state.json'), join(modelDir, 'meta.json')]) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text) return (JSON.parse(text) as { vocab: string[] }).vocab;
  }
  return undefined;
}

function positiveInt(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`${name} must be a positive whole number (got "${value}")`, 'bad-option');
  return n;
}

function fraction(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UserError(`${name} must be between 0 and 1 (got "${value}")`, 'bad-option');
  return n;
}

function positiveNumber(value: string | undefined, name: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${name} must be a positive number (got "${value}")`, 'bad-option');
  return n;
}

runCli(main);
