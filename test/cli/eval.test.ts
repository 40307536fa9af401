import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TSX_CLI, useTinyModelsDir } from './tiny-models-dir.js';

const run = promisify(execFile);
const modelsDir = useTinyModelsDir('tiny', [16]);
let texts: string;

beforeAll(async () => {
  texts = await mkdtemp(join(tmpdir(), 'eval-texts-'));
});
afterAll(() => rm(texts, { recursive: true, force: true }));

async function evaluate(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const argv = [TSX_CLI, 'src/cli/eval.ts', '--models-dir', modelsDir(), '--backend', 'wasm', '--model', 'tiny', ...args];
  return run(process.execPath, argv, { cwd: process.cwd() }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

describe('npm run eval', () => {
  it('scores a text and prints the figures as the last line of stdout', async () => {
    const file = join(texts, 'story.txt');
    await writeFile(file, 'it all began with a ship that came out of the dark and the men were waiting.\n');
    const out = await evaluate('--text', file);
    expect(out.code).toBe(0);
    const result = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '') as { bpc: number; chars: number };
    expect(result.chars).toBeGreaterThan(0);
    expect(Number.isFinite(result.bpc)).toBe(true);
  });

  it('answers an empty file, or one with nothing the model knows, in one line naming it', async () => {
    const empty = join(texts, 'empty.txt');
    const foreign = join(texts, 'foreign.txt');
    await writeFile(empty, '');
    await writeFile(foreign, '🚀🛸');
    for (const file of [empty, foreign]) {
      const out = await evaluate('--text', file);
      expect(out.code).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.trim()).toBe(
        `--text ${file}: too little text to score (0 characters the model knows after cleaning; at least 2 are needed)`,
      );
    }
  });
});
