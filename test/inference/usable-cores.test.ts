import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cpuQuota, usableCores } from '../../src/inference/usable-cores.js';

const dir = mkdtempSync(join(tmpdir(), 'cpu-max-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cpuMax(content: string): string {
  const file = join(dir, `cpu.max.${Math.random()}`);
  writeFileSync(file, content);
  return file;
}

describe('usable cores', () => {
  it('reads a container CPU quota in cores', () => {
    expect(cpuQuota(cpuMax('150000 100000\n'))).toBe(1.5);
    expect(cpuQuota(cpuMax('max 100000\n'))).toBeUndefined();
    expect(cpuQuota(cpuMax('garbage'))).toBeUndefined();
    expect(cpuQuota(join(dir, 'missing'))).toBeUndefined();
  });

  it('caps the visible cores by the quota, rounding a part core up, never below one', () => {
    const visible = availableParallelism();
    expect(usableCores(join(dir, 'missing'))).toBe(visible);
    expect(usableCores(cpuMax('max 100000'))).toBe(visible);
    expect(usableCores(cpuMax('50000 100000'))).toBe(1);
    expect(usableCores(cpuMax(`${(visible + 8) * 100000} 100000`))).toBe(visible);
    expect(usableCores(cpuMax('150000 100000'))).toBe(Math.min(visible, 2));
  });
});
