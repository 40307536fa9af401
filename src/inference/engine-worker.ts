import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isUserError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { chooseBackend } from './backend.js';
import { BatchEngine } from './batch-engine.js';
import { loadModelsDir } from './model-files.js';
import { ModelLoadError } from './model-load-error.js';
import { readWorkerMemory } from './worker-memory.js';
import type { FromWorker, SerializedError, ToWorker, WorkerOptions } from './worker-protocol.js';

/**
 * The inference worker: owns tfjs, the models and the batching engine, so that batched steps
 * never hold up the bot's event loop. Talks to WorkerEngine through worker-protocol messages.
 */
const port: MessagePort = parentPort ?? notAWorker();

function notAWorker(): never {
  throw new Error('engine-worker must run as a worker thread');
}

const send = (message: FromWorker): void => port.postMessage(message);

const logger: Logger = {
  debug: (obj, msg) => send({ op: 'log', level: 'debug', obj: plain(obj), msg }),
  info: (obj, msg) => send({ op: 'log', level: 'info', obj: plain(obj), msg }),
  warn: (obj, msg) => send({ op: 'log', level: 'warn', obj: plain(obj), msg }),
  error: (obj, msg) => send({ op: 'log', level: 'error', obj: plain(obj), msg }),
};

const options = workerData as WorkerOptions;
const aborts = new Map<number, AbortController>();
/** The model a bot without DEFAULT_MODEL writes with, when its models folder has it. */
const SHIPPED_DEFAULT_MODEL = 'scifi';

let engine: BatchEngine;

try {
  const backend = await chooseBackend(options.backend, logger);
  const found = await loadModelsDir(options.modelsDir);
  if (options.defaultModel !== undefined && !found.some((m) => m.meta.id === options.defaultModel)) {
    // A typo in the setting would otherwise quietly make another model every channel's default.
    const ids = found.map((m) => m.meta.id).join(', ');
    throw new ModelLoadError(options.modelsDir, `has no model "${options.defaultModel}" to use as the default; set DEFAULT_MODEL to one of: ${ids}`);
  }
  // Unset, the shipped sci-fi model is the default where it is served; a folder of one's own
  // models needs no setting at all (its first model is the default).
  const defaultId = options.defaultModel ?? SHIPPED_DEFAULT_MODEL;
  // The default model first: models() lists it first, and callers take the first as the default.
  const loaded = [...found.filter((m) => m.meta.id === defaultId), ...found.filter((m) => m.meta.id !== defaultId)];
  const models = loaded.map(({ meta }) => ({
    id: meta.id,
    description: meta.description,
    vocab: meta.vocab,
    sequenceLength: meta.sequenceLength,
  }));
  engine = new BatchEngine(loaded, { backend, logger, maxBatch: options.maxBatch, turnMs: options.turnMs });
  port.on('message', (message: ToWorker) => void handle(message));
  send({ op: 'ready', backend, models });
} catch (error) {
  send({ op: 'start-failed', error: serialize(error) });
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.op) {
    case 'generate': {
      const controller = new AbortController();
      aborts.set(message.nonce, controller);
      try {
        for await (const text of engine.generate(message.request, controller.signal)) {
          send({ op: 'chars', nonce: message.nonce, text });
        }
        send({ op: 'done', nonce: message.nonce });
      } catch (error) {
        send({ op: 'error', nonce: message.nonce, error: serialize(error) });
      } finally {
        aborts.delete(message.nonce);
      }
      return;
    }
    case 'abort':
      aborts.get(message.nonce)?.abort();
      return;
    case 'memory':
      send({ op: 'memory', nonce: message.nonce, memory: readWorkerMemory() });
      return;
    case 'close':
      for (const controller of aborts.values()) controller.abort();
      await engine.close();
      send({ op: 'closed', nonce: message.nonce });
      port.close();
      return;
  }
}

function serialize(error: unknown): SerializedError {
  if (isUserError(error)) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof ModelLoadError) {
    return { name: error.name, message: error.message, file: error.file, problem: error.problem };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Log objects cross the thread boundary by structured clone: errors become plain records. */
function plain(obj: object | string): object | string {
  if (typeof obj === 'string') return obj;
  return JSON.parse(
    JSON.stringify(obj, (_key, value: unknown) =>
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value,
    ),
  ) as object;
}
