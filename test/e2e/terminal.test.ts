import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startBot } from './run-bot.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'scifi-e2e-'));

describe('terminal adapter, end to end with the shipped models', () => {
  it('answers commands in order, streams stories, and exits cleanly at the end of input', async () => {
    const bot = startBot({ DATA_DIR: tempDir() });
    bot.child.stdin.end(
      [
        '/scifi-temperature 0.8',
        '/scifi-temperature',
        '/scifi It all began with',
        '/scifi-temperature 9',
        '/scifi model:melville Call me Ishmael.',
        '/nope',
        'The robot said',
        '/scifi ' + 'x'.repeat(1500),
        '/scifi “Curly” quotes — and an emoji 🚀',
      ].join('\n') + '\n',
    );
    expect(await bot.exited).toBe(0);
    const out = bot.stdout();
    const lines = out.split('\n');
    // Settings answers come in the order the lines were typed.
    const set = lines.findIndex((l) => l.includes('Temperature for this channel is now 0.8'));
    const shown = lines.findIndex((l) => l.includes("This channel's temperature is 0.8."));
    expect(set).toBeGreaterThanOrEqual(0);
    expect(shown).toBeGreaterThan(set);
    expect(out).toContain('value must be between 0.1 and 2 (got 9)');
    expect(out).toContain('Unknown command /nope');
    expect(out).toMatch(/seed is too long .* at most 1000 characters, got 1500/);
    // Four stories were written; each grew over several edits and then finished.
    for (const n of [1, 2, 3, 4]) {
      const edits = lines.filter((l) => l.startsWith(`[story ${n}] `) && !l.endsWith('(done)'));
      expect(edits.length, `story ${n} edits`).toBeGreaterThanOrEqual(3);
      expect(out).toContain(`[story ${n}] (done)`);
    }
    const finalOf = (n: number) => {
      const start = out.lastIndexOf(`[story ${n}] `, out.indexOf(`[story ${n}] (done)`) - 1);
      return out.slice(start, out.indexOf('\n[story', start + 1));
    };
    expect(finalOf(1)).toMatch(/^\[story 1\] It all began with/);
    expect(finalOf(2)).toMatch(/^\[story 2\] Call me Ishmael\./);
    expect(finalOf(4)).toContain('"Curly" quotes -- and an emoji');
    expect(finalOf(4)).toContain('Left out characters this model has never seen: 🚀');
    // The stories are a few hundred characters, as promised.
    expect(finalOf(1).length).toBeGreaterThan(400);
    // Logs never reach stdout.
    expect(out).not.toMatch(/"level":/);
  }, 120_000);

  it('loses no job when killed with SIGKILL mid-queue: the restart finishes all ten', async () => {
    const dataDir = tempDir();
    const first = startBot({ DATA_DIR: dataDir, QUEUE_CONCURRENCY: '2', RATE_LIMIT_PER_MINUTE: '100', QUEUE_MAX_WAITING_PER_USER: '20' });
    first.child.stdin.write(Array.from({ length: 10 }, (_, i) => `/scifi Story number ${i + 1} began`).join('\n') + '\n');
    // Kill as soon as the first words of a story appear: most jobs are still queued.
    await first.waitFor(/\[story \d+\] Story number/);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const db = new Database(join(dataDir, 'scifi-bot.sqlite'), { readonly: true });
    const states = () => db.prepare('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as { state: string; n: number }[];
    const unfinishedBefore = states().filter((s) => s.state !== 'done').reduce((n, s) => n + s.n, 0);
    expect(unfinishedBefore).toBeGreaterThan(0);

    const second = startBot({ DATA_DIR: dataDir, QUEUE_CONCURRENCY: '4' });
    second.child.stdin.end();
    expect(await second.exited).toBe(0);
    expect(states()).toEqual([{ state: 'done', n: 10 }]);
    // Every story was shown in full on the second run or the first.
    const all = first.stdout() + second.stdout();
    for (let i = 1; i <= 10; i++) expect(all).toContain(`Story number ${i} began`);
    db.close();
  }, 180_000);
});
