import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { tempDataDir } from './temp-data-dir.js';

const CHILD = join(import.meta.dirname, 'kill-writer-child.ts');

describe('jobs survive SIGKILL', () => {
  let temp: ReturnType<typeof tempDataDir>;
  afterEach(() => temp.remove());

  it('keeps every committed job, and no torn row, when the writer is killed mid-write', async () => {
    temp = tempDataDir('scifi-kill-');
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, temp.dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('written')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });
    // Let it write for a while, then kill it without warning.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const raw = new Database(join(temp.dir, 'scifi-bot.sqlite'));
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const total = (raw.prepare('SELECT count(*) AS n FROM jobs').get() as { n: number }).n;
    raw.close();

    const db = openDatabase(temp.dir);
    try {
      const unfinished = db.jobs.unfinished();
      const firstIds = unfinished.filter((job) => job.id.startsWith('first-')).map((job) => [job.id, job.state]);
      expect(firstIds).toEqual([
        ['first-2', 'running'],
        ...[3, 4, 5, 6, 7, 8, 9].map((i) => [`first-${i}`, 'queued']),
      ]);
      expect(unfinished.find((job) => job.id === 'first-2')?.surface?.messageIds).toEqual(['1']);
      // Every row written after "written" reads back whole: all but the two finished ones are unfinished.
      expect(total).toBeGreaterThan(10);
      expect(unfinished).toHaveLength(total - 2);
    } finally {
      db.close();
    }
  });
});
