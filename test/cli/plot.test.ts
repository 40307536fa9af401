import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TSX_CLI, useTinyModelsDir } from './tiny-models-dir.js';

const run = promisify(execFile);
const modelsDir = useTinyModelsDir('plotme', [8, 8]);

function plot(...args: string[]) {
  return run(process.execPath, [TSX_CLI, 'src/cli/plot.ts', ...args], { cwd: process.cwd(), timeout: 60_000 });
}

describe('npm run plot', () => {
  it('draws training.svg from the history in meta.json and prints its path', async () => {
    const metaFile = join(modelsDir(), 'plotme', 'meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { training: Record<string, unknown> };
    meta.training['history'] = [
      { step: 1, chars: 100, train_loss: 3, val_loss: 3.2, val_accuracy: 0.1 },
      { step: 2, chars: 200, train_loss: 2, val_loss: 2.5, val_accuracy: 0.3 },
    ];
    await writeFile(metaFile, JSON.stringify(meta));
    const { stdout } = await plot('--model', 'plotme', '--models-dir', modelsDir());
    const file = join(modelsDir(), 'plotme', 'training.svg');
    expect(stdout.trim()).toBe(file);
    expect(await readFile(file, 'utf8')).toContain('plotme: training');
  });

  it('says so, with exit code 2, when there is no history or no model', async () => {
    const metaFile = join(modelsDir(), 'plotme', 'meta.json');
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as { training: Record<string, unknown> };
    delete meta.training['history'];
    await writeFile(metaFile, JSON.stringify(meta));
    await expect(plot('--model', 'plotme', '--models-dir', modelsDir())).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('records no training history to plot'),
    });
    await expect(plot('--model', 'nothing-here', '--models-dir', modelsDir())).rejects.toMatchObject({ code: 1 });
  });
});
