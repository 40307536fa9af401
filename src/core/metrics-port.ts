/** What the core reports for /metrics; the Prometheus implementation lives in src/metrics/. */
export interface Metrics {
  jobQueued(): void;
  jobFinished(outcome: 'done' | 'failed' | 'cancelled' | 'deleted'): void;
  charsGenerated(count: number): void;
  editFailed(): void;
  setQueueDepth(depth: number): void;
  setBackend(name: string): void;
}

/** For callers that run without metrics (CLIs, tests). */
export const noMetrics: Metrics = {
  jobQueued() {},
  jobFinished() {},
  charsGenerated() {},
  editFailed() {},
  setQueueDepth() {},
  setBackend() {},
};
