import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Logger } from '../core/ports.js';
import { BatchEngine } from '../inference/batch-engine.js';
import { disposeStepWeights, extractStepWeights } from '../inference/lstm-weights.js';
import type { ModelMeta } from '../inference/model-meta.js';
import { StatefulBatch } from '../inference/stateful-session.js';
import { normalizeText } from '../text/normalize.js';
import { decodeBytes } from './corpus/decode.js';
import { stripGutenberg } from './corpus/gutenberg.js';
import { CharMapper } from './corpus/vocab.js';
import { Rng } from './rng.js';

/**
 * Evaluation of an exported model with the bot's own stateful engine: the same cleaning as corpus
 * preparation, then bits per character and top-1 accuracy, predicting every character from the
 * state after all characters before it in its stream.
 */
export interface TextScore {
  readonly bpc: number;
  readonly accuracy: number;
  readonly chars: number;
}

/** Gutenberg files lose their boilerplate; plain text is only normalised. Then the model's vocabulary. */
export function cleanForModel(bytes: Uint8Array, vocab: readonly string[]): { text: string; dropped: number } {
  const normalized = normalizeText(decodeBytes(bytes).text);
  const stripped = stripGutenberg(normalized);
  const body = stripped.foundStartMarker ? stripped.body : normalized.replace(/\n{3,}/g, '\n\n').trim();
  const mapper = new CharMapper(vocab);
  const text = mapper.map(body);
  const dropped = mapper.report().reduce((s, a) => s + (a.replacement === '' ? a.count : 0), 0);
  return { text, dropped };
}

/** The shortest stream a text is cut into for scoring. */
const MIN_STREAM_CHARS = 1000;

/**
 * Scores `text` by reading it as `rows` parallel streams through the stateful step (batched, so
 * long texts are quick). Each stream starts from the model's zero state, as generation does.
 */
export function scoreText(model: LayersModel, meta: ModelMeta, text: string, rows = 32): TextScore {
  const index = new Map(meta.vocab.map((ch, i) => [ch, i]));
  const ids = Int32Array.from([...text], (ch) => {
    const id = index.get(ch);
    if (id === undefined) throw new Error(`character ${JSON.stringify(ch)} is outside the vocabulary`);
    return id;
  });
  // Each stream's first character has no prediction and its first few start from a cold state:
  // short texts are read as fewer, longer streams, so they are scored almost whole.
  const streams = Math.max(1, Math.min(rows, Math.floor(ids.length / MIN_STREAM_CHARS)));
  const length = Math.floor(ids.length / streams);
  if (length < 2) throw new Error('text too short to score');
  const weights = extractStepWeights(model);
  const batch = new StatefulBatch(weights);
  const vocab = meta.vocab.length;
  let nats = 0;
  let correct = 0;
  let chars = 0;
  try {
    batch.addRows(streams);
    const input = new Int32Array(streams);
    for (let t = 0; t + 1 < length; t++) {
      for (let r = 0; r < streams; r++) input[r] = ids[r * length + t] as number;
      const probs = batch.step(input);
      for (let r = 0; r < streams; r++) {
        const target = ids[r * length + t + 1] as number;
        const row = probs.subarray(r * vocab, (r + 1) * vocab);
        nats -= Math.log(Math.max(row[target] as number, 1e-30));
        let best = 0;
        for (let k = 1; k < vocab; k++) if ((row[k] as number) > (row[best] as number)) best = k;
        if (best === target) correct++;
        chars++;
      }
    }
  } finally {
    batch.dispose();
    disposeStepWeights(weights);
  }
  return { bpc: nats / chars / Math.LN2, accuracy: correct / chars, chars };
}

export interface RepetitionResult {
  readonly samples: number;
  readonly repeating: number;
  readonly fraction: number;
  readonly length: number;
  readonly span: number;
  readonly temperature: number;
}

/** Does some `span`-character stretch of `text` occur twice? */
export function hasRepeatedSpan(text: string, span: number): boolean {
  const seen = new Set<string>();
  for (let i = 0; i + span <= text.length; i++) {
    const piece = text.slice(i, i + span);
    if (seen.has(piece)) return true;
    seen.add(piece);
  }
  return false;
}

/**
 * The share of generated samples (default 500 characters at temperature 0.4) that repeat a
 * 30-character span: the loops a weak char model falls into. Seeds are passages of `text`.
 * Takes ownership of the model (the engine disposes it).
 */
export async function repetitionCheck(
  model: LayersModel,
  meta: ModelMeta,
  text: string,
  logger: Logger,
  options: { samples?: number; length?: number; temperature?: number; span?: number; seed?: number } = {},
): Promise<RepetitionResult> {
  const samples = options.samples ?? 20;
  const length = options.length ?? 500;
  const temperature = options.temperature ?? 0.4;
  const span = options.span ?? 30;
  const rng = new Rng(options.seed ?? 7);
  const engine = new BatchEngine([{ meta, model }], { backend: 'n/a', logger });
  try {
    const outputs = await Promise.all(
      Array.from({ length: samples }, async (_, i) => {
        const start = rng.int(Math.max(1, text.length - 200));
        const seed = engine.prepareSeed(meta.id, text.slice(start, start + 120)).text;
        let out = '';
        for await (const piece of engine.generate({ seed, model: meta.id, temperature, length, randomSeed: 1000 + i })) out += piece;
        return out;
      }),
    );
    const repeating = outputs.filter((o) => hasRepeatedSpan(o, span)).length;
    return { samples, repeating, fraction: repeating / samples, length, span, temperature };
  } finally {
    await engine.close();
  }
}
