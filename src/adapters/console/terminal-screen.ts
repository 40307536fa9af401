import type { Writable } from 'node:stream';
import { wrapWords } from './word-wrap.js';

/** Piped output: 4 columns of indent plus the text fit the classic 80 columns. */
const PIPED_WIDTH = 76;
/** Lines longer than this are hard to read even on a wide terminal. */
const MAX_TTY_WIDTH = 100;

/**
 * Draws replies on a terminal. On a TTY the replies still being written stay in a live area at
 * the bottom that is redrawn in place on every edit; a finished reply is printed once above it
 * and never touched again. When output is piped, every edit is a plain block of lines instead.
 */
export class TerminalScreen {
  private readonly live = new Map<string, string>();
  /** Terminal rows the live area occupied when last drawn. */
  private drawnRows = 0;

  constructor(
    private readonly out: Writable & { columns?: number },
    private readonly tty: boolean,
  ) {}

  /** Shows the current text of a reply (`label` names it, e.g. "story 2"). */
  show(label: string, text: string): void {
    if (!this.tty) {
      this.out.write(`[${label}] ${indent(wrapWords(text, PIPED_WIDTH))}\n`);
      return;
    }
    this.live.set(label, wrapWords(text, Math.max(20, Math.min(MAX_TTY_WIDTH, (this.out.columns ?? 80) - 1))));
    this.redraw();
  }

  /** The reply is final: print it for good and stop redrawing it. */
  settle(label: string): void {
    if (!this.tty) {
      this.out.write(`[${label}] (done)\n`);
      return;
    }
    const text = this.live.get(label);
    if (text === undefined) return;
    this.live.delete(label);
    this.erase();
    this.out.write(`${block(label, text)}\n\n`);
    this.redraw();
  }

  /** A line that is not a reply (help, errors, settings answers). */
  note(text: string): void {
    if (!this.tty) {
      this.out.write(`${text}\n`);
      return;
    }
    this.erase();
    this.out.write(`${text}\n`);
    this.redraw();
  }

  private redraw(): void {
    this.erase();
    const area = [...this.live].map(([label, text]) => block(label, text)).join('\n\n');
    if (area === '') return;
    this.out.write(`${area}\n`);
    this.drawnRows = rowsOf(area, this.out.columns ?? 80);
  }

  private erase(): void {
    if (this.drawnRows === 0) return;
    // Up to the first row of the live area, then clear to the end of the screen.
    this.out.write(`\x1b[${this.drawnRows}F\x1b[0J`);
    this.drawnRows = 0;
  }
}

function block(label: string, text: string): string {
  return `\x1b[2m── ${label} ──\x1b[0m\n${text}`;
}

function indent(text: string): string {
  return text.replace(/\n/g, '\n    ');
}

/** Rows a text takes on a terminal of `columns`, counting wrapped lines (escape codes excluded). */
function rowsOf(text: string, columns: number): number {
  return text.split('\n').reduce((rows, line) => {
    // eslint-disable-next-line no-control-regex
    const width = [...line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')].length;
    return rows + Math.max(1, Math.ceil(width / columns));
  }, 0);
}
