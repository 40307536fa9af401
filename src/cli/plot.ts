import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { loadModelMeta } from '../inference/model-files.js';
import { writeTrainingPlot } from '../training/training-plot-file.js';
import { runCli } from './run-cli.js';

/**
 * npm run plot -- --model <id> [--models-dir models]
 * Draws models/<id>/training.svg (loss and accuracy, training and validation, against characters
 * seen) from the history in the model's meta.json, whichever trainer wrote it.
 */
const USAGE = 'usage: npm run plot -- --model <id> [--models-dir models]';

runCli(async () => {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, 'models-dir': { type: 'string', default: 'models' } },
  });
  if (!values.model) throw new UserError(USAGE, 'bad-option');
  const dir = join(values['models-dir'], values.model);
  const meta = await loadModelMeta(dir);
  const file = await writeTrainingPlot(meta, dir);
  if (file === undefined) throw new UserError(`${join(dir, 'meta.json')} records no training history to plot`, 'not-found');
  process.stdout.write(`${file}\n`);
}, USAGE);
