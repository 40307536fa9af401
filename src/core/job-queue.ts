import PQueue from 'p-queue';
import { UserError } from './errors.js';

export interface JobQueueLimits {
  /** Jobs running at once; the engine batches them into one step, so this is the batch size. */
  readonly concurrency: number;
  /** Jobs waiting (not running) across everyone; one more is refused as "busy". */
  readonly maxWaiting: number;
  /** Jobs one user may have waiting at once. */
  readonly maxWaitingPerUser: number;
}

export interface QueuedJob<T> {
  readonly id: string;
  readonly userId: string;
  /** Jobs are taken from channels in turn, so one busy channel cannot starve the others. */
  readonly channelId: string;
  run(signal: AbortSignal): Promise<T>;
  /** Called with the job's 1-based place in line whenever it changes; 0 means it is running. */
  onPosition?(position: number): void;
  /** Aborting before the job runs removes it from the line; while running, the job sees it. */
  readonly signal?: AbortSignal;
  /** Skip the bound and the per-user cap: jobs accepted before a restart must still run. */
  readonly alreadyAccepted?: boolean;
}

export interface Enqueued<T> {
  /** 1-based place in line at acceptance; 0 when it started at once. */
  readonly position: number;
  readonly done: Promise<T>;
}

interface Waiting {
  readonly job: QueuedJob<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  /**
   * Listens on the job's signal while the job waits. Removed once the job starts: the bot passes
   * one long-lived signal (its shutdown) for every job, and a listener left on it would keep each
   * finished job, its story and its message alive until the process ends.
   */
  readonly dropOnAbort: () => void;
  lastPosition: number;
}

/**
 * The one queue every caller shares. p-queue runs the jobs (concurrency, idle tracking); the line
 * in front of it is kept here so it can be fair between channels, bounded, capped per user, and
 * report each job's place. Invariant: p-queue only ever holds jobs that have a free slot, so
 * everything still waiting is in `lines` and positions are exact.
 */
export class JobQueue {
  private readonly runner: PQueue;
  /** Waiting jobs per channel, in arrival order; channels are served round-robin. */
  private readonly lines = new Map<string, Waiting[]>();
  private closed = false;

  constructor(private readonly limits: JobQueueLimits) {
    this.runner = new PQueue({ concurrency: limits.concurrency });
  }

  get waiting(): number {
    let n = 0;
    for (const line of this.lines.values()) n += line.length;
    return n;
  }

  get running(): number {
    return this.runner.pending;
  }

  /** Throws UserError when the line is full, the user has too many waiting, or we are closing. */
  enqueue<T>(job: QueuedJob<T>): Enqueued<T> {
    if (this.closed) {
      throw new UserError('The bot is restarting; please try again in a minute.', 'shutting-down');
    }
    if (job.signal?.aborted) throw job.signal.reason;
    const willWait = this.running >= this.limits.concurrency || this.waiting > 0;
    if (willWait && !job.alreadyAccepted) {
      if (this.waiting >= this.limits.maxWaiting) {
        throw new UserError(
          `I'm busy writing ${storyCount(this.running + this.waiting)} right now. Please try again in a minute.`,
          'busy',
        );
      }
      const mine = this.countWaitingFor(job.userId);
      if (mine >= this.limits.maxWaitingPerUser) {
        throw new UserError(
          `You already have ${mine} ${mine === 1 ? 'story' : 'stories'} waiting; let ${mine === 1 ? 'it' : 'them'} finish first.`,
          'user-cap',
        );
      }
    }
    let entry!: Waiting;
    const done = new Promise<T>((resolve, reject) => {
      entry = { job, resolve: resolve as (v: unknown) => void, reject, dropOnAbort: () => this.dropWaiting(entry), lastPosition: -1 };
    });
    const line = this.lines.get(job.channelId) ?? [];
    line.push(entry);
    this.lines.set(job.channelId, line);
    job.signal?.addEventListener('abort', entry.dropOnAbort, { once: true });
    this.pump();
    const position = entry.lastPosition === -1 ? this.positionOf(entry) : entry.lastPosition;
    return { position, done };
  }

  /** Stop accepting jobs; jobs already accepted still run. */
  close(): void {
    this.closed = true;
  }

  /** Resolves when nothing runs and nothing waits. */
  async onIdle(): Promise<void> {
    while (this.waiting > 0 || this.running > 0) await this.runner.onIdle();
  }

  /** Waiting jobs in the order they will run (round-robin over channels). */
  private fairOrder(): Waiting[] {
    const order: Waiting[] = [];
    const lines = [...this.lines.values()].map((l) => [...l]);
    for (let depth = 0; order.length < this.waiting; depth++) {
      for (const line of lines) {
        const item = line[depth];
        if (item) order.push(item);
      }
    }
    return order;
  }

  private positionOf(entry: Waiting): number {
    return this.fairOrder().indexOf(entry) + 1;
  }

  private countWaitingFor(userId: string): number {
    let n = 0;
    for (const line of this.lines.values()) for (const w of line) if (w.job.userId === userId) n++;
    return n;
  }

  private dropWaiting(entry: Waiting): void {
    const line = this.lines.get(entry.job.channelId);
    const index = line?.indexOf(entry) ?? -1;
    if (!line || index === -1) return; // already running: the job handles its own signal
    line.splice(index, 1);
    if (line.length === 0) this.lines.delete(entry.job.channelId);
    entry.reject(entry.job.signal?.reason ?? new Error('aborted'));
    this.announcePositions();
  }

  /** Move jobs into p-queue while slots are free, taking the next channel in turn. */
  private pump(): void {
    while (this.runner.pending + this.runner.size < this.limits.concurrency) {
      const next = this.takeNext();
      if (!next) break;
      this.start(next);
    }
    this.announcePositions();
  }

  private takeNext(): Waiting | undefined {
    const first = this.lines.entries().next();
    if (first.done) return undefined;
    const [channelId, line] = first.value;
    const entry = line.shift();
    // Re-inserting the channel at the end of the Map is what makes service round-robin.
    this.lines.delete(channelId);
    if (line.length > 0) this.lines.set(channelId, line);
    return entry;
  }

  private start(entry: Waiting): void {
    entry.lastPosition = 0;
    entry.job.onPosition?.(0);
    const { signal } = entry.job;
    signal?.removeEventListener('abort', entry.dropOnAbort);
    // While it runs, the job sees the signal through its own controller; the listener that
    // forwards it goes when the job ends, for the same reason as dropOnAbort.
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    void this.runner
      .add(() => entry.job.run(controller.signal))
      .then(entry.resolve, entry.reject)
      .finally(() => {
        signal?.removeEventListener('abort', forward);
        this.pump();
      });
  }

  private announcePositions(): void {
    this.fairOrder().forEach((entry, i) => {
      const position = i + 1;
      if (position === entry.lastPosition) return;
      entry.lastPosition = position;
      entry.job.onPosition?.(position);
    });
  }
}

function storyCount(n: number): string {
  return `${n} ${n === 1 ? 'story' : 'stories'}`;
}
