export { PrometheusMetrics, type PrometheusMetricsOptions } from './prometheus-metrics.js';
export { startHealthServer, type HealthServer, type HealthServerOptions } from './health-server.js';
