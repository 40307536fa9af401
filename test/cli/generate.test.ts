import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TINY_VOCAB } from '../inference/tiny-model.js';
import { TSX_CLI, useTinyModelsDir } from './tiny-models-dir.js';

const run = promisify(execFile);
const modelsDir = useTinyModelsDir('scifi', [24, 32]);

async function generate(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const argv = [TSX_CLI, 'src/cli/generate.ts', '--models-dir', modelsDir(), '--backend', 'wasm', ...args];
  return run(process.execPath, argv, { cwd: process.cwd() }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

describe('npm run generate', () => {
  it('prints only the continuation on stdout, the same for the same random seed', async () => {
    const args = ['--seed', 'It all began with', '--length', '120', '--temperature', '0.4', '--random-seed', '7'];
    const [a, b, c] = await Promise.all([
      generate(...args),
      generate(...args),
      generate(...args.slice(0, -1), '8'),
    ]);
    expect(a.code).toBe(0);
    expect(a.stdout).toHaveLength(120);
    expect([...a.stdout].every((ch) => TINY_VOCAB.includes(ch))).toBe(true);
    expect(a.stderr).toMatch(/tfjs backend: wasm/);
    expect(b.stdout).toBe(a.stdout);
    expect(c.stdout).not.toBe(a.stdout);
  });

  it('reports dropped seed characters on stderr', async () => {
    const out = await generate('--seed', 'Hi 🚀', '--length', '5', '--model', 'scifi');
    expect(out.code).toBe(0);
    expect(out.stdout).toHaveLength(5);
    expect(out.stderr).toMatch(/dropped/);
  });

  it('answers bad options and a missing model with a clear message and a failing exit code', async () => {
    const hot = await generate('--temperature', '7');
    expect(hot.code).toBe(2);
    expect(hot.stdout).toBe('');
    expect(hot.stderr).toMatch(/Temperature must be a number from 0.1 to 2/);
    const missing = await generate('--model', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope: model folder not found/);
  });

  it('says what was typed when --temperature or --length is not a plain number', async () => {
    const hexTemperature = await generate('--temperature', '0x1');
    expect(hexTemperature.code).toBe(2);
    expect(hexTemperature.stderr.trim()).toBe('--temperature must be a number such as 0.4, got "0x1".');
    const hex = await generate('--length', '0x10');
    expect(hex.code).toBe(2);
    expect(hex.stderr.trim()).toBe('--length must be a whole number, got "0x10".');
  });

  it('takes a decimal comma as the bot does: --temperature 0,5 writes what 0.5 writes', async () => {
    const args = ['--seed', 'The ship', '--length', '40', '--random-seed', '3', '--log-level', 'warn'];
    const [comma, point] = await Promise.all([generate(...args, '--temperature', '0,5'), generate(...args, '--temperature', '0.5')]);
    expect(comma.code).toBe(0);
    expect(comma.stdout).toHaveLength(40);
    expect(comma.stdout).toBe(point.stdout);
  });

  it('refuses an unknown --log-level in one line, without a stack trace', async () => {
    const out = await generate('--seed', 'Hi', '--log-level', 'loud');
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim()).toBe('--log-level must be one of fatal, error, warn, info, debug, trace, silent (got "loud").');
  });
});
