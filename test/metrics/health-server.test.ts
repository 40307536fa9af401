import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer } from '../../src/metrics/health-server.js';
import { PrometheusMetrics } from '../../src/metrics/prometheus-metrics.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The value of one sample line, e.g. sample(text, 'scifi_jobs_finished_total{outcome="done"}'). */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('health and metrics server', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(metrics = new PrometheusMetrics({ processMetrics: false })): Promise<string> {
    server = await startHealthServer({ port: 0, host: '127.0.0.1', metrics, logger });
    return `http://127.0.0.1:${server.port}`;
  }

  it('answers /healthz with 503 until ready, 200 while ready, 503 again when shutting down', async () => {
    const base = await start();
    const before = await fetch(`${base}/healthz`);
    expect(before.status).toBe(503);
    expect(await before.text()).toBe('not ready\n');

    server?.setReady(true);
    const after = await fetch(`${base}/healthz`);
    expect(after.status).toBe(200);
    expect(await after.text()).toBe('ok\n');

    server?.setReady(false);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('serves what the core reported in Prometheus text format', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const base = await start(metrics);
    metrics.jobQueued();
    metrics.jobQueued();
    metrics.jobQueued();
    metrics.jobFinished('done');
    metrics.jobFinished('done');
    metrics.jobFinished('failed');
    metrics.charsGenerated(600);
    metrics.editFailed();
    metrics.setQueueDepth(4);
    metrics.setBackend('wasm');
    metrics.setBackend('tensorflow');
    server?.setReady(true);

    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE scifi_jobs_finished_total counter');
    expect(sample(text, 'scifi_jobs_queued_total')).toBe(3);
    expect(sample(text, 'scifi_jobs_finished_total{outcome="done"}')).toBe(2);
    expect(sample(text, 'scifi_jobs_finished_total{outcome="failed"}')).toBe(1);
    expect(sample(text, 'scifi_jobs_finished_total{outcome="cancelled"}')).toBe(0);
    expect(sample(text, 'scifi_generated_chars_total')).toBe(600);
    expect(sample(text, 'scifi_generation_chars_per_second')).toBe(10);
    expect(sample(text, 'scifi_edit_failures_total')).toBe(1);
    expect(sample(text, 'scifi_queue_depth')).toBe(4);
    expect(sample(text, 'scifi_backend_info{backend="tensorflow"}')).toBe(1);
    expect(text).not.toContain('backend="wasm"');
    expect(sample(text, 'scifi_ready')).toBe(1);
  });

  it('includes Node process metrics unless turned off', async () => {
    const base = await start(new PrometheusMetrics());
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('answers HEAD without a body, 405 for other methods and 404 elsewhere', async () => {
    const base = await start();
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/extra`)).status).toBe(404);
  });

  it('refuses a port that is taken, naming it', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      await expect(
        startHealthServer({ port: taken, host: '127.0.0.1', metrics: new PrometheusMetrics({ processMetrics: false }), logger }),
      ).rejects.toThrow(`port ${taken} (METRICS_PORT): the port is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('closes promptly even with a keep-alive connection open, however far its request got', async () => {
    const base = await start();
    await (await fetch(`${base}/healthz`, { headers: { connection: 'keep-alive' } })).text();
    // A scraper stuck half-way through a request is not idle: Node's close() alone would wait for
    // its headers timeout (a minute, past this test's limit); the server has to cut it.
    const scraper = connect(server?.port ?? 0, '127.0.0.1');
    await once(scraper, 'connect');
    scraper.write('GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // Time for the server to read the half request; were it slower, the connection would count as
    // idle and the test would pass anyway: this wait can weaken it, never fail it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cut = once(scraper, 'close');
    const closing = server?.close();
    server = undefined;
    await expect(closing).resolves.toBeUndefined();
    await cut;
  }, 10_000);
});
