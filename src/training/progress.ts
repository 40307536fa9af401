/**
 * The training progress line on stderr: epoch, chars/s, loss, accuracy, learning rate and ETA.
 * On a terminal it redraws one line in place; in a log file (nohup) it writes a line every 30 s.
 */
export interface ProgressInfo {
  readonly epoch: number;
  readonly chunk: number;
  readonly chunksPerEpoch: number;
  readonly step: number;
  /** Characters (targets) in this step. */
  readonly chars: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly learningRate: number;
  readonly stepsLeft: number;
  readonly msLeftByClock: number;
}

const WINDOW = 20;
const LOG_INTERVAL_MS = 30_000;
const BAR_WIDTH = 20;

export class ProgressLine {
  private readonly times: number[] = [];
  private readonly chars: number[] = [];
  private smoothLoss: number | undefined;
  private smoothAccuracy = 0;
  private lastLogAt = 0;
  private drawn = false;

  constructor(private readonly out?: NodeJS.WritableStream & { isTTY?: boolean }) {}

  /** Characters per second over the last steps. */
  charsPerSecond(): number | undefined {
    if (this.times.length < 2) return undefined;
    const span = ((this.times[this.times.length - 1] as number) - (this.times[0] as number)) / 1000;
    const chars = this.chars.slice(1).reduce((a, b) => a + b, 0);
    return span > 0 ? chars / span : undefined;
  }

  update(info: ProgressInfo): void {
    this.times.push(Date.now());
    this.chars.push(info.chars);
    if (this.times.length > WINDOW) {
      this.times.shift();
      this.chars.shift();
    }
    this.smoothLoss = this.smoothLoss === undefined ? info.loss : 0.95 * this.smoothLoss + 0.05 * info.loss;
    this.smoothAccuracy = this.smoothAccuracy === 0 ? info.accuracy : 0.95 * this.smoothAccuracy + 0.05 * info.accuracy;
    if (!this.out) return;
    const tty = this.out.isTTY === true;
    const now = Date.now();
    if (!tty && now - this.lastLogAt < LOG_INTERVAL_MS) return;
    this.lastLogAt = now;
    const line = this.format(info);
    if (tty) {
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
    } else {
      this.out.write(`${new Date().toISOString()} ${line}\n`);
    }
  }

  /** Ends the redrawn line before other output. */
  clear(): void {
    if (this.drawn && this.out) this.out.write('\n');
    this.drawn = false;
  }

  private format(info: ProgressInfo): string {
    const fraction = info.chunk / info.chunksPerEpoch;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    const rate = this.charsPerSecond();
    const stepSeconds = rate ? info.chars / rate : undefined;
    const etaMs = Math.min(stepSeconds ? info.stepsLeft * stepSeconds * 1000 : Infinity, info.msLeftByClock);
    return (
      `epoch ${info.epoch + 1} ${bar} ${(100 * fraction).toFixed(1)}% step ${info.step} ` +
      `${rate ? Math.round(rate) : '?'} chars/s loss ${(this.smoothLoss ?? info.loss).toFixed(3)} ` +
      `(${((this.smoothLoss ?? info.loss) / Math.LN2).toFixed(2)} bpc) acc ${(100 * this.smoothAccuracy).toFixed(1)}% ` +
      `lr ${info.learningRate.toExponential(1)} ETA ${formatDuration(etaMs)}`
    );
  }
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s % 60).padStart(2, '0')}s`;
}
