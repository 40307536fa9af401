import type {
  GenerationRequest,
  InferenceEngine,
  ModelInfo,
  PreparedSeed,
} from '../../src/core/ports.js';
import { StoryEnding } from '../../src/core/story-ending.js';

export interface ScriptedEngineOptions {
  /** Text produced for every request (repeated/truncated to the requested length). */
  readonly text?: string;
  /** Characters yielded per tick. */
  readonly charsPerTick?: number;
  /** Milliseconds between ticks (0 = yield to the event loop only). */
  readonly tickMs?: number;
  readonly models?: readonly ModelInfo[];
}

/**
 * A deterministic InferenceEngine for core and adapter tests: it streams a fixed text at a fixed
 * pace, records every request, and honours abort signals like the real engine.
 */
export class ScriptedEngine implements InferenceEngine {
  readonly requests: GenerationRequest[] = [];
  private readonly text: string;
  private readonly charsPerTick: number;
  private readonly tickMs: number;
  private readonly modelList: readonly ModelInfo[];

  constructor(options: ScriptedEngineOptions = {}) {
    this.text = options.text ?? ' and the stars burned cold over the silent ship.';
    this.charsPerTick = options.charsPerTick ?? 8;
    this.tickMs = options.tickMs ?? 0;
    this.modelList = options.models ?? [
      { id: 'scifi', description: 'Science fiction' },
      { id: 'melville', description: 'Herman Melville' },
    ];
  }

  models(): readonly ModelInfo[] {
    return this.modelList;
  }

  prepareSeed(_model: string, seed: string): PreparedSeed {
    const text = seed.length === 0 ? 'The ship' : seed;
    return { text, dropped: [], usedDefaultOpener: seed.length === 0 };
  }

  async *generate(request: GenerationRequest, signal?: AbortSignal): AsyncIterable<string> {
    this.requests.push(request);
    let produced = 0;
    while (produced < request.length) {
      if (signal?.aborted) return;
      const n = Math.min(this.charsPerTick, request.length - produced);
      let chunk = '';
      for (let i = 0; i < n; i++) chunk += this.text[(produced + i) % this.text.length];
      produced += n;
      await new Promise((resolve) => setTimeout(resolve, this.tickMs));
      yield chunk;
    }
  }

  backend(): string {
    return 'scripted';
  }

  async close(): Promise<void> {}
}

/** The continuation a story of `length` shows when the scripted engine writes `text` (ending rule applied). */
export function scriptedContinuation(text: string, length: number): string {
  const ending = new StoryEnding(length);
  let out = '';
  while (out.length < ending.maxLength) out += text;
  return ending.finish(out.slice(0, ending.maxLength));
}
