import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Metrics } from '../core/metrics-port.js';
import { SlidingRate } from './chars-rate.js';

export interface PrometheusMetricsOptions {
  /** Window of the chars/s gauge; rate() over the counter gives any other window. */
  readonly rateWindowSeconds?: number;
  /** Node process metrics (CPU, memory, event-loop lag) alongside the bot's own. */
  readonly processMetrics?: boolean;
  readonly now?: () => number;
}

const OUTCOMES = ['done', 'failed', 'cancelled', 'deleted'] as const;

/** The core's Metrics port, recorded in a prom-client registry of its own (no global state). */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly queued: Counter;
  private readonly finished: Counter<'outcome'>;
  private readonly chars: Counter;
  private readonly editFailures: Counter;
  private readonly queueDepth: Gauge;
  private readonly backendInfo: Gauge<'backend'>;
  private readonly ready: Gauge;
  private readonly rate: SlidingRate;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    const windowSeconds = options.rateWindowSeconds ?? 60;
    this.rate = new SlidingRate(windowSeconds, options.now);
    const rate = this.rate;

    this.queued = new Counter({ name: 'scifi_jobs_queued_total', help: 'Generation jobs accepted.', registers });
    this.finished = new Counter({
      name: 'scifi_jobs_finished_total',
      help: 'Generation jobs ended, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of OUTCOMES) this.finished.inc({ outcome }, 0);
    this.chars = new Counter({ name: 'scifi_generated_chars_total', help: 'Characters sampled.', registers });
    new Gauge({
      name: 'scifi_generation_chars_per_second',
      help: `Characters sampled per second, averaged over the last ${windowSeconds} s.`,
      registers,
      collect() {
        this.set(rate.perSecond());
      },
    });
    this.editFailures = new Counter({
      name: 'scifi_edit_failures_total',
      help: 'Message edits the platform refused or that failed.',
      registers,
    });
    this.queueDepth = new Gauge({ name: 'scifi_queue_depth', help: 'Jobs waiting to run.', registers });
    this.backendInfo = new Gauge({
      name: 'scifi_backend_info',
      help: 'The tfjs backend in use, with ×N when N inference workers share the load (value is always 1).',
      labelNames: ['backend'],
      registers,
    });
    this.ready = new Gauge({ name: 'scifi_ready', help: '1 once the model is loaded and adapters connected.', registers });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  jobQueued(): void {
    this.queued.inc();
  }

  jobFinished(outcome: (typeof OUTCOMES)[number]): void {
    this.finished.inc({ outcome });
  }

  charsGenerated(count: number): void {
    if (count <= 0) return;
    this.chars.inc(count);
    this.rate.add(count);
  }

  editFailed(): void {
    this.editFailures.inc();
  }

  setQueueDepth(depth: number): void {
    this.queueDepth.set(depth);
  }

  setBackend(name: string): void {
    this.backendInfo.reset();
    this.backendInfo.set({ backend: name }, 1);
  }

  /** Mirrors /healthz readiness, so dashboards can see it next to the rest. */
  setReady(ready: boolean): void {
    this.ready.set(ready ? 1 : 0);
  }

  /** Prometheus text exposition format. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
