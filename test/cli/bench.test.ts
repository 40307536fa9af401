import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TSX_CLI, useTinyModelsDir } from './tiny-models-dir.js';

const modelsDir = useTinyModelsDir('tiny', [16, 16]);

describe('npm run bench', () => {
  it('ends with one JSON line holding every figure the targets are read from', async () => {
    const argv = [TSX_CLI, 'src/cli/bench.ts', '--models-dir', modelsDir(), '--model', 'tiny', '--backend', 'wasm', '--rounds', '1', '--soak', '60'];
    const { stdout } = await promisify(execFile)(process.execPath, argv, { cwd: process.cwd(), timeout: 120_000 });
    const lines = stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    const result = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(result).toMatchObject({ model: 'tiny', backend: 'wasm', units: [16, 16], rounds: 1 });
    for (const key of ['stateful_chars_per_s', 'windowed_chars_per_s', 'stateful_vs_windowed', 'batch32_chars_per_s',
      'batch32_vs_1', 'batch_ceiling_vs_1', 'matmul_gflops', 'step_gflops_b32']) {
      expect(result[key], key).toBeGreaterThan(0);
    }
    // Memory: the process's size, and the leak check over the soak's stories through the real workers.
    expect(result).toMatchObject({ soak_stories: 60 });
    for (const key of ['rss_mb', 'worker_tensors_before']) expect(result[key], key).toBeGreaterThan(0);
    for (const key of ['engine_start_rss_mb', 'soak_rss_growth_mb_per_1000', 'soak_heap_growth_mb_per_1000', 'soak_wasm_heap_growth_mb_per_1000']) {
      expect(typeof result[key], key).toBe('number');
    }
    expect(result['worker_tensors_after']).toBe(result['worker_tensors_before']);
    expect(result['stateful_vs_windowed']).toBeCloseTo(
      (result['stateful_chars_per_s'] as number) / (result['windowed_chars_per_s'] as number), 0);
  });
});
