import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { JobQueue } from '../core/job-queue.js';
import type { GenerationRequest, InferenceEngine } from '../core/ports.js';
import { WorkerEngine } from '../inference/worker-engine.js';
import { WorkerPool } from '../inference/worker-pool.js';
import type { WorkerMemory } from '../inference/worker-protocol.js';

/**
 * The memory half of `npm run bench`: what the engine holds, and whether a long-running bot keeps
 * it. A leak shows as growth per story once the engine is warm, so the soak runs its stories in
 * two halves and compares the end of the second half with the end of the first: the first half
 * absorbs one-off growth (wasm heap and malloc arenas sized to the largest batch, JIT code).
 * Tensors, JS heaps (after gc) and wasm heap are exact at any moment, so the end of each half is
 * compared. RSS is not: V8 grows and shrinks its committed heap by ~15 MB as allocation comes and
 * goes, so RSS is sampled after every tenth of a half and the halves' medians are compared.
 */

const MB = 1024 * 1024;
/** Stories in flight at once during the soak: rows join and leave the batch all the time, as in a busy bot. */
const SOAK_CONCURRENCY = 16;
/** Every this-many-th story is cancelled after its first text, as a user's stop or a shutdown does. */
const ABORT_EVERY = 8;
/** RSS samples per half. */
const RSS_SAMPLES = 10;

/**
 * Makes gc callable here and in workers started after this call, so heap figures count what is
 * live, not what the collector has not reached yet. Call before the engine starts.
 */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  return typeof gc === 'function' ? () => void gc() : () => {};
}

export function rssMb(): number {
  return process.memoryUsage.rss() / MB;
}

/** Every inference worker's memory (one entry per worker thread; none for an in-process engine). */
export async function engineMemory(engine: InferenceEngine): Promise<readonly WorkerMemory[]> {
  if (engine instanceof WorkerPool) return engine.memory();
  if (engine instanceof WorkerEngine) return [await engine.memory()];
  return [];
}

export interface SoakResult {
  readonly stories: number;
  /** Growth of the process's resident memory per 1000 stories: median RSS of the second half against the first's. */
  readonly rssGrowthMbPer1000: number;
  /** The same for the JS heaps (this thread's and every worker's, after gc). */
  readonly heapGrowthMbPer1000: number;
  /** The same for the workers' wasm linear memory (which never shrinks, so any growth stays). */
  readonly wasmHeapGrowthMbPer1000: number;
  /** Live tfjs tensors over all workers, idle before the soak and idle after it. */
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

interface Snapshot {
  readonly heapMb: number;
  readonly wasmMb: number;
  readonly tensors: number;
}

/**
 * Runs `stories` short stories (half, then half again) through the real job queue and engine,
 * with varied seeds and lengths and some cancelled part-way, and measures the growth.
 */
export async function soak(
  engine: InferenceEngine,
  request: Omit<GenerationRequest, 'seed' | 'length'>,
  stories: number,
  collectGarbage: () => void,
): Promise<SoakResult> {
  const half = Math.max(1, Math.floor(stories / 2));
  const snapshot = async (): Promise<Snapshot> => {
    const workers = await engineMemory(engine);
    collectGarbage();
    const sum = (f: (m: WorkerMemory) => number): number => workers.reduce((total, m) => total + f(m), 0);
    return {
      heapMb: (process.memoryUsage().heapUsed + sum((m) => m.heapUsedBytes)) / MB,
      wasmMb: sum((m) => m.wasmHeapBytes) / MB,
      tensors: sum((m) => m.tensors),
    };
  };
  // One queue and one long-lived signal for every story, as the story service has (its shutdown).
  const queue = new JobQueue({ concurrency: SOAK_CONCURRENCY, maxWaiting: half, maxWaitingPerUser: half });
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // as the story service does: one listener per job in flight
  /** Runs one half in blocks, sampling RSS after each; the median sample stands for the half. */
  const runHalf = async (first: number): Promise<number> => {
    const samples: number[] = [];
    for (let done = 0; done < half; ) {
      const block = Math.min(half - done, Math.ceil(half / RSS_SAMPLES));
      await runStories(engine, queue, shutdown.signal, request, first + done, block);
      done += block;
      collectGarbage();
      samples.push(rssMb());
    }
    return median(samples);
  };
  const before = await snapshot();
  const firstRss = await runHalf(0);
  const middle = await snapshot();
  const secondRss = await runHalf(half);
  const after = await snapshot();
  queue.close();
  const per1000 = (f: (s: Snapshot) => number): number => ((f(after) - f(middle)) / half) * 1000;
  return {
    stories: 2 * half,
    // The medians stand for the middles of the halves, which are `half` stories apart.
    rssGrowthMbPer1000: ((secondRss - firstRss) / half) * 1000,
    heapGrowthMbPer1000: per1000((s) => s.heapMb),
    wasmHeapGrowthMbPer1000: per1000((s) => s.wasmMb),
    tensorsBefore: before.tensors,
    tensorsAfter: after.tensors,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const SEEDS = ['It all began with', 'The ship', 'Captain Reyes looked at the stars and', '', 'When the signal came, nobody'];

async function runStories(
  engine: InferenceEngine,
  queue: JobQueue,
  shutdown: AbortSignal,
  request: Omit<GenerationRequest, 'seed' | 'length'>,
  first: number,
  count: number,
): Promise<void> {
  const jobs = Array.from({ length: count }, (_, offset) => {
    const i = first + offset;
    const story: GenerationRequest = {
      ...request,
      seed: SEEDS[i % SEEDS.length]!,
      length: 80 + ((i * 37) % 160),
      randomSeed: i,
    };
    // The job keeps its text as the bot's progress message does, so whatever keeps a finished job
    // alive keeps a story's worth of memory, as it would in the bot.
    const written = { text: '' };
    return queue.enqueue({
      id: `soak-${i}`,
      userId: 'bench:user:soak',
      channelId: `bench:channel:${i % 7}`,
      signal: shutdown,
      run: async (signal) => {
        const cancel = new AbortController();
        signal.addEventListener('abort', () => cancel.abort(), { once: true });
        for await (const chunk of engine.generate(story, cancel.signal)) {
          written.text += chunk;
          if (i % ABORT_EVERY === ABORT_EVERY - 1) cancel.abort();
        }
        return written.text.length;
      },
    }).done;
  });
  await Promise.all(jobs);
}
