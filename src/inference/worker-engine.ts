import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UserError, type UserErrorCode } from '../core/errors.js';
import type { GenerationRequest, InferenceEngine, Logger, ModelInfo, PreparedSeed } from '../core/ports.js';
import { CharChannel } from './char-channel.js';
import { ModelLoadError } from './model-load-error.js';
import { prepareSeed } from './prepare-seed.js';
import type { FromWorker, SerializedError, ServedModel, ToWorker, WorkerMemory, WorkerOptions } from './worker-protocol.js';

interface MemoryReply {
  readonly resolve: (memory: WorkerMemory) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The bot's side of the inference worker: an InferenceEngine whose batched steps run on another
 * thread. Seeds are prepared here (they need only the vocabulary, and the answer is synchronous);
 * characters arrive as 'chars' messages and stream out of each generation's channel.
 */
export class WorkerEngine implements InferenceEngine {
  private readonly pending = new Map<number, CharChannel>();
  private readonly closing = new Map<number, () => void>();
  private readonly memoryReplies = new Map<number, MemoryReply>();
  private nextNonce = 1;
  private crash: Error | undefined;
  /** Set when close() begins, so the worker's own exit is not mistaken for a crash. */
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    private readonly backendName: string,
    private readonly served: readonly ServedModel[],
    private readonly logger: Logger,
  ) {
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.fail(`the inference worker crashed: ${error.message}`, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(`the inference worker exited unexpectedly (code ${code})`);
    });
    this.holdProcess();
  }

  /**
   * An idle worker does not keep the process alive (a bot that forgets close() still exits at
   * the end of its input); one with generations in flight does, so none is cut short.
   */
  private holdProcess(): void {
    if (this.closed) return; // close() holds the process until the worker is gone.
    if (this.pending.size > 0 || this.memoryReplies.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  /** Starts the worker and resolves once its models are loaded; rejects with why it could not. */
  static async start(options: WorkerOptions, logger: Logger): Promise<WorkerEngine> {
    const worker = spawnWorker(options);
    const ready = await new Promise<Extract<FromWorker, { op: 'ready' }>>((resolve, reject) => {
      const onMessage = (message: FromWorker): void => {
        if (message.op === 'log') return forwardLog(logger, message);
        worker.off('message', onMessage);
        if (message.op === 'ready') resolve(message);
        else if (message.op === 'start-failed') reject(deserialize(message.error));
        else reject(new Error(`the inference worker sent ${message.op} before it was ready`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the inference worker exited while starting (code ${code})`)));
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    return new WorkerEngine(worker, ready.backend, ready.models, logger);
  }

  models(): readonly ModelInfo[] {
    return this.served.map(({ id, description }) => ({ id, description }));
  }

  prepareSeed(model: string, seed: string): PreparedSeed {
    return prepareSeed(seed, this.model(model));
  }

  generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<string> {
    const nonce = this.nextNonce++;
    const channel = new CharChannel(() => this.abort(nonce));
    if (this.crash !== undefined || this.closed) {
      channel.fail(this.crash ?? new Error('the inference engine is shut down'));
      return channel;
    }
    if (signal?.aborted) {
      channel.end();
      return channel;
    }
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.abort(nonce);
        channel.end();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // A long-lived signal (one per user or per shutdown) must not keep finished streams alive.
      channel.onClose(() => signal.removeEventListener('abort', onAbort));
    }
    this.pending.set(nonce, channel);
    this.holdProcess();
    this.send({ op: 'generate', nonce, request });
    return channel;
  }

  backend(): string {
    return this.backendName;
  }

  /** What the worker holds now (tensors, heaps), for leak checks; rejects once it is gone. */
  memory(): Promise<WorkerMemory> {
    if (this.crash !== undefined || this.closed) {
      return Promise.reject(this.crash ?? new Error('the inference engine is shut down'));
    }
    const nonce = this.nextNonce++;
    const reply = new Promise<WorkerMemory>((resolve, reject) => this.memoryReplies.set(nonce, { resolve, reject }));
    // An idle worker is unref'd; a question waiting for its answer must keep the process alive.
    this.holdProcess();
    this.send({ op: 'memory', nonce });
    return reply;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.crash !== undefined) {
      this.closed = true;
      await this.worker.terminate();
      return;
    }
    const nonce = this.nextNonce++;
    const done = new Promise<void>((resolve) => this.closing.set(nonce, resolve));
    this.closed = true;
    this.worker.ref();
    this.send({ op: 'close', nonce });
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
    const shutDown = new Error('the inference engine is shut down');
    for (const channel of this.pending.values()) channel.fail(shutDown);
    this.pending.clear();
    this.rejectMemoryReplies(shutDown);
    await this.worker.terminate();
  }

  private receive(message: FromWorker): void {
    switch (message.op) {
      case 'chars':
        this.pending.get(message.nonce)?.push(message.text);
        return;
      case 'done':
        this.pending.get(message.nonce)?.end();
        this.pending.delete(message.nonce);
        this.holdProcess();
        return;
      case 'error':
        this.pending.get(message.nonce)?.fail(deserialize(message.error));
        this.pending.delete(message.nonce);
        this.holdProcess();
        return;
      case 'closed':
        this.closing.get(message.nonce)?.();
        return;
      case 'memory':
        this.memoryReplies.get(message.nonce)?.resolve(message.memory);
        this.memoryReplies.delete(message.nonce);
        this.holdProcess();
        return;
      case 'log':
        forwardLog(this.logger, message);
        return;
      default:
        this.logger.warn({ op: message.op }, 'unexpected message from the inference worker');
    }
  }

  private abort(nonce: number): void {
    if (this.pending.delete(nonce) && this.crash === undefined && !this.closed) this.send({ op: 'abort', nonce });
    this.holdProcess();
  }

  private send(message: ToWorker): void {
    this.worker.postMessage(message);
  }

  private fail(reason: string, cause?: Error): void {
    this.crash ??= new Error(reason, { cause });
    this.logger.error({ err: cause, streams: this.pending.size }, reason);
    for (const channel of this.pending.values()) channel.fail(this.crash);
    this.pending.clear();
    this.rejectMemoryReplies(this.crash);
  }

  private rejectMemoryReplies(error: Error): void {
    for (const reply of this.memoryReplies.values()) reply.reject(error);
    this.memoryReplies.clear();
  }

  private model(id: string): ServedModel {
    const model = this.served.find((m) => m.id === id);
    if (model === undefined) {
      const known = this.served.map((m) => m.id).join(', ');
      throw new UserError(`There is no model called "${id}". Available: ${known}.`, 'unknown-model');
    }
    return model;
  }
}

/**
 * engine-worker beside this file, with this file's extension. Compiled (.js), it starts as is.
 * As TypeScript (under tsx for npm start, or vitest), the worker needs tsx too, and Node 20 does
 * not apply `--import` loader hooks given in a worker's execArgv; so the worker starts from a
 * two-line bootstrap that registers tsx's ESM loader in the worker, then imports the entry.
 */
function spawnWorker(options: WorkerOptions): Worker {
  const extension = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./engine-worker${extension}`, import.meta.url);
  if (extension !== '.ts') return new Worker(entry, { workerData: options });
  // tsx/esm/api resolves (as `require` sees it) to index.cjs; the ESM build sits beside it.
  const tsxApi = join(dirname(createRequire(import.meta.url).resolve('tsx/esm/api')), 'index.mjs');
  const bootstrap =
    `import(${JSON.stringify(pathToFileURL(tsxApi).href)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: options });
}

function forwardLog(logger: Logger, message: Extract<FromWorker, { op: 'log' }>): void {
  logger[message.level](message.obj, message.msg);
}

function deserialize(error: SerializedError): Error {
  if (error.code !== undefined) return new UserError(error.message, error.code as UserErrorCode);
  if (error.file !== undefined && error.problem !== undefined) return new ModelLoadError(error.file, error.problem);
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}
