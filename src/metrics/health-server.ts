import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/ports.js';
import type { PrometheusMetrics } from './prometheus-metrics.js';

export interface HealthServerOptions {
  readonly port: number;
  /** Interface to listen on; all of them by default so a scraper outside the container reaches it. */
  readonly host?: string;
  readonly metrics: PrometheusMetrics;
  readonly logger: Logger;
}

export interface HealthServer {
  /** The port actually bound (differs from the option when that was 0). */
  readonly port: number;
  /** /healthz answers 200 only while ready: model loaded and adapters connected, not shutting down. */
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

/** Serves GET /healthz and GET /metrics; anything else is 404. */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { metrics, logger } = options;
  let ready = false;
  metrics.setReady(false);

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'metrics request failed');
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/healthz' && path !== '/metrics') {
      send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      send(response, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    if (path === '/healthz') {
      send(response, ready ? 200 : 503, 'text/plain; charset=utf-8', ready ? 'ok\n' : 'not ready\n', request.method);
      return;
    }
    send(response, 200, metrics.contentType, await metrics.exposition(), request.method);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      reject(new Error(`Cannot serve health and metrics on port ${options.port} (METRICS_PORT): ${reason}`, { cause: error }));
    });
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  server.removeAllListeners('error');
  server.on('error', (error) => logger.error({ err: error.message }, 'health and metrics server error'));
  const port = (server.address() as AddressInfo).port;
  logger.info({ port }, 'health and metrics listening');

  return {
    port,
    setReady(value) {
      ready = value;
      metrics.setReady(value);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections from a scraper would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string, method = 'GET'): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(method === 'HEAD' ? undefined : body);
}
