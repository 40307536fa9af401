import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { chooseBackend, BACKEND_PREFERENCES, type BackendPreference } from '../inference/backend.js';
import { loadModelDir } from '../inference/model-files.js';
import { createLogger } from '../logger.js';
import { cleanForModel, repetitionCheck, scoreText } from '../training/evaluate.js';
import { runCli } from './run-cli.js';

/**
 * npm run eval -- --model <id> --text <file> [--text <file>…] [--repetition] [--samples 20]
 *   [--rows 32] [--models-dir models] [--backend auto]
 * Cleans the files like the corpus preparation, scores them with the stateful engine and prints
 * per-file lines on stderr and, as the last line on stdout, {"bpc":…,"accuracy":…,"chars":…}
 * (plus "repetition" with --repetition: the share of 500-char samples at temperature 0.4 that
 * repeat a 30-character span).
 */
const USAGE = 'usage: npm run eval -- --model <id> --text <file> [<file>… | --text <file>…] [--repetition] [--samples 20]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    // Files after the first --text may follow without repeating the flag (shell globs).
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      text: { type: 'string', multiple: true },
      repetition: { type: 'boolean', default: false },
      samples: { type: 'string', default: '20' },
      rows: { type: 'string', default: '32' },
      'models-dir': { type: 'string', default: 'models' },
      backend: { type: 'string', default: 'auto' },
      'log-level': { type: 'string', default: 'warn' },
    },
  });
  if (!values.model) throw new UserError(`--model is required\n${USAGE}`, 'bad-option');
  const files = [...(values.text ?? []), ...positionals];
  if (files.length === 0) throw new UserError(`give at least one --text file\n${USAGE}`, 'bad-option');
  const rows = Number(values.rows);
  const samples = Number(values.samples);
  if (!Number.isInteger(rows) || rows <= 0) throw new UserError('--rows must be a positive whole number', 'bad-option');
  if (!Number.isInteger(samples) || samples <= 0) throw new UserError('--samples must be a positive whole number', 'bad-option');
  const backend = values.backend as BackendPreference;
  if (!BACKEND_PREFERENCES.includes(backend)) throw new UserError(`--backend must be one of ${BACKEND_PREFERENCES.join(', ')}`, 'bad-option');

  const logger = createLogger(values['log-level'] ?? 'warn');
  await chooseBackend(backend, logger);
  const dir = join(values['models-dir'] ?? 'models', values.model);
  const { model, meta } = await loadModelDir(dir);

  let nats = 0;
  let correct = 0;
  let chars = 0;
  const texts: string[] = [];
  for (const file of files) {
    const bytes = await readFile(file).catch(() => {
      throw new UserError(`cannot read --text ${file}`, 'not-found');
    });
    const { text, dropped } = cleanForModel(bytes, meta.vocab);
    const usable = [...text].length;
    // Scoring predicts each character from the one before it: fewer than two leaves nothing to score.
    if (usable < 2) {
      throw new UserError(
        `--text ${file}: too little text to score (${usable} characters the model knows after cleaning; at least 2 are needed)`,
        'bad-option',
      );
    }
    texts.push(text);
    const score = scoreText(model, meta, text, rows);
    process.stderr.write(
      `${file}: ${score.chars} chars, bpc ${score.bpc.toFixed(3)}, accuracy ${(100 * score.accuracy).toFixed(1)}%` +
        (dropped > 0 ? `, ${dropped} characters outside the vocabulary dropped` : '') +
        '\n',
    );
    nats += score.bpc * Math.LN2 * score.chars;
    correct += score.accuracy * score.chars;
    chars += score.chars;
  }
  const result: Record<string, unknown> = { model: meta.id, bpc: nats / chars / Math.LN2, accuracy: correct / chars, chars };
  if (values.repetition) {
    const rep = await repetitionCheck(model, meta, texts.join('\n\n'), logger, { samples });
    process.stderr.write(`repetition: ${rep.repeating}/${rep.samples} samples of ${rep.length} chars at T=${rep.temperature} repeat a ${rep.span}-char span\n`);
    result['repetition'] = rep.fraction;
  } else {
    model.dispose();
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

runCli(main, USAGE);
