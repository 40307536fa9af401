import { disposeState, zeroState } from './lstm/forward.js';
import { evalStep } from './lstm/train-step.js';
import type { CharLstmParams } from './lstm/params.js';
import { StreamBatcher } from './batches.js';

export interface EvalResult {
  /** Mean cross-entropy in nats per character. */
  readonly loss: number;
  readonly accuracy: number;
  /** Bits per character: loss / ln 2. */
  readonly bpc: number;
  readonly chars: number;
}

/**
 * Loss and top-1 accuracy over held-out ids, read as `batch` parallel streams with the state carried
 * from chunk to chunk (so, like generation, every prediction sees its whole stream's past). With
 * `maxChars`, only the first chunks are read — the same ones every time, so scores compare.
 */
export function evaluateIds(
  params: CharLstmParams,
  ids: Int32Array,
  options: { batch: number; steps: number; maxChars?: number },
): EvalResult {
  const batch = Math.max(1, Math.min(options.batch, Math.floor((ids.length - 1) / options.steps)));
  const batcher = new StreamBatcher(ids, batch, options.steps);
  const limit = options.maxChars ? Math.ceil(options.maxChars / (batch * options.steps)) : Infinity;
  const chunks = Math.min(batcher.chunksPerEpoch, limit);
  let state = zeroState(params.units, batch);
  let lossSum = 0;
  let correct = 0;
  let chars = 0;
  for (let k = 0; k < chunks; k++) {
    const chunk = batcher.chunkAt({ epoch: 0, chunk: k, offset: 0 });
    const r = evalStep(params, chunk, state);
    disposeState(state);
    state = r.state;
    lossSum += r.lossSum;
    correct += r.correct;
    chars += chunk.targets.length;
  }
  disposeState(state);
  const loss = lossSum / chars;
  return { loss, accuracy: correct / chars, bpc: loss / Math.LN2, chars };
}
