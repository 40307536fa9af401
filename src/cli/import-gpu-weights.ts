import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chooseBackend } from '../inference/backend.js';
import { WEIGHT_PRECISIONS, type WeightPrecision } from '../inference/model-meta.js';
import { createLogger } from '../logger.js';
import { importGpuWeights } from '../training/import-gpu-weights.js';

/**
 * npm run train:import -- --from <dir with weights.json + weights.f32 or its parts> --model <id>
 *   [--description "…"] [--prepared data/prepared/<id>] [--models-dir models]
 *   [--weight-precision float32|float16]
 * Writes models/<id>/ from weights trained by tools/gpu-train/train_lstm.py; float16 halves
 * weights.bin (a 2×800 model fits the 20 MB limit only so).
 */
const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    model: { type: 'string' },
    description: { type: 'string', default: '' },
    prepared: { type: 'string' },
    'models-dir': { type: 'string', default: 'models' },
    'weight-precision': { type: 'string', default: 'float32' },
  },
});

if (!values.from || !values.model) {
  process.stderr.write(
    'usage: npm run train:import -- --from <dir> --model <id> [--description "…"] [--prepared <dir>] [--weight-precision float32|float16]\n',
  );
  process.exit(2);
}
const weightPrecision = values['weight-precision'] as WeightPrecision;
if (!WEIGHT_PRECISIONS.includes(weightPrecision)) {
  process.stderr.write(`--weight-precision must be one of ${WEIGHT_PRECISIONS.join(', ')} (got "${values['weight-precision']}")\n`);
  process.exit(2);
}

await chooseBackend('auto', createLogger('warn'));

// The corpus report from the preparation step says which books made each split.
const preparedDir = values.prepared ?? join('data', 'prepared', values.model);
const report: unknown = await readFile(join(preparedDir, 'report.json'), 'utf8')
  .then((t) => JSON.parse(t) as unknown)
  .catch(() => undefined);

const meta = await importGpuWeights({
  from: values.from,
  id: values.model,
  description: values.description,
  to: join(values['models-dir'], values.model),
  weightPrecision,
  ...(report ? { extraTraining: { corpus: report } } : {}),
});
// A run cut off by its machine's time limit leaves its best weights so far, without test figures.
if (meta.training['complete'] === false) {
  process.stderr.write(
    'note: this run was cut short, so it has no test figures; measure them with npm run eval -- --model ' +
      `${meta.id} --text <held-out books>\n`,
  );
}
process.stdout.write(
  `${JSON.stringify({ model: meta.id, units: meta.units, vocab: meta.vocab.length, weight_precision: weightPrecision, test: meta.training['test'] })}\n`,
);
