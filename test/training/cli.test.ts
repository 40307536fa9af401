import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliScript, type CliResult } from './run-cli-script.js';
import { gutenbergBook, prose, tempDir } from './synthetic-books.js';

/** The train and eval CLIs as a user runs them: child processes in a scratch working directory. */

let dir: { path: string; remove: () => Promise<void> };

function cli(script: string, args: string[]): Promise<CliResult> {
  return runCliScript(script, args, dir.path);
}

function lastJson(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as Record<string, unknown>;
}

beforeAll(async () => {
  dir = await tempDir();
  const corpus = join(dir.path, 'corpus');
  await mkdir(corpus);
  for (const [i, author] of ['Ann Able', 'Bob Baker', 'Cy Cole'].entries()) {
    for (const n of [1, 2]) {
      const book = gutenbergBook({ title: `Book ${n}`, author, language: 'English', style: 'old', body: prose(50, 10 * i + n), credits: true });
      await writeFile(join(corpus, `${author.split(' ')[1]!.toLowerCase()}_${n}.txt`), book);
    }
  }
});
afterAll(() => dir.remove());

describe('npm run train / npm run eval', () => {
  it('prepares, trains, exports, and evaluates with a JSON last line', async () => {
    const trained = await cli('train.ts', [
      '--corpus', 'corpus', '--model', 'tiny', '--units', '16', '--seq', '10', '--batch', '4',
      '--max-minutes', '0.05', '--eval-every', '20', '--test-authors', 'cole', '--backend', 'wasm', '--log-level', 'warn',
    ]);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/^able_1\.txt: utf-8, \d+ → \d+ bytes, English, author Ann Able, (train|valid);/m);
    expect(trained.stderr).toMatch(/^cole_2\.txt: .* test;/m);
    const summary = lastJson(trained.stdout);
    expect(summary).toMatchObject({ model: 'tiny', stopped_by: 'time', exported: join('models', 'tiny') });
    expect(summary['test_bpc']).toEqual(expect.any(Number));

    const evaluated = await cli('eval.ts', ['--model', 'tiny', '--text', join('corpus', 'cole_1.txt'), '--repetition', '--samples', '2', '--backend', 'wasm']);
    expect(evaluated.code).toBe(0);
    const score = lastJson(evaluated.stdout);
    expect(score).toMatchObject({ bpc: expect.any(Number), accuracy: expect.any(Number), chars: expect.any(Number), repetition: expect.any(Number) });
    expect(score['chars'] as number).toBeGreaterThan(1000);
    expect(evaluated.stderr).toMatch(/repetition: \d\/2 samples of 500 chars at T=0.4/);
  });

  it('answers bad options with exit code 2 and a missing model with exit code 1, in one clear line', async () => {
    const bad = await cli('train.ts', ['--corpus', 'corpus', '--model', 'tiny', '--units', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--units must be a positive whole number/);
    const missing = await cli('eval.ts', ['--model', 'nothing-here', '--text', 'x.txt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^models\/nothing-here: model folder not found$/);
  });
});
