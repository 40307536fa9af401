import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';

const CHILD = join(import.meta.dirname, 'claim-race-child.ts');

function consecutiveDays(count: number): string[] {
  const start = Date.UTC(2030, 0, 1);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/** Resolves with each stdout line of the child, in order, as they arrive. */
function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  const pending: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else pending.push(line);
  });
  child.on('exit', (code) => {
    if (code !== 0) for (const reject of waiting.splice(0)) reject(`exit ${code}: ${stderr}`);
  });
  return () =>
    new Promise((resolve, reject) => {
      const line = pending.shift();
      if (line !== undefined) resolve(line);
      else waiting.push((value) => (value.startsWith('exit ') ? reject(new Error(value)) : resolve(value)));
    });
}

describe('claimDay across processes', () => {
  let dataDir: string;
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('gives every day to exactly one of four processes racing on a fresh file', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scifi-claim-race-'));
    const days = consecutiveDays(150);
    const children = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, 'test:w:c1', days.join(',')], {
        stdio: 'pipe',
      }),
    );
    const readers = children.map(lineReader);

    expect(await Promise.all(readers.map((read) => read()))).toEqual(['ready', 'ready', 'ready', 'ready']);
    for (const child of children) child.stdin.write('go\n');
    const won = (await Promise.all(readers.map((read) => read()))).map((line) => JSON.parse(line) as string[]);

    const allClaims = won.flat().sort();
    expect(allClaims).toEqual(days);
    const db = openDatabase(dataDir);
    expect(db.schedules.get('test:w:c1')?.lastPostedDay).toBe(days.at(-1));
    db.close();
  });
});
