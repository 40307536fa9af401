import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startBot } from './run-bot.js';

describe('operations, end to end', () => {
  it('serves /healthz and /metrics, and on SIGTERM leaves an unfinished story to resume', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scifi-ops-'));
    // Port 0: the bot binds a free port and logs it (a port chosen here could be taken meanwhile).
    const bot = startBot({ DATA_DIR: dataDir, METRICS_PORT: '0', SHUTDOWN_GRACE_SECONDS: '0', LOG_LEVEL: 'info' });
    bot.child.stdin.write('/scifi A long voyage began\n');
    await bot.waitFor('[story 1] A long voyage began');
    const port = /"port":(\d+)[^\n]*"msg":"health and metrics listening"/.exec(bot.stderr())?.[1];
    expect(port).toBeDefined();

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/scifi_jobs_queued_total 1/);
    expect(metrics).toMatch(/scifi_backend_info\{backend="(wasm|tensorflow|cpu)(×\d+)?"\} 1/);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const db = new Database(join(dataDir, 'scifi-bot.sqlite'), { readonly: true });
    const state = () => (db.prepare('SELECT state FROM jobs').get() as { state: string }).state;
    expect(state()).toBe('running');

    const again = startBot({ DATA_DIR: dataDir });
    again.child.stdin.end();
    expect(await again.exited).toBe(0);
    expect(state()).toBe('done');
    expect(again.stdout()).toContain('A long voyage began');
    db.close();
  }, 120_000);
});
