import type { Logger } from '../../src/core/ports.js';

/** A logger that keeps what it was told, for assertions, and prints nothing. */
export class MemoryLogger implements Logger {
  readonly lines: { level: string; msg: string; obj: unknown }[] = [];
  debug(obj: object | string, msg?: string): void {
    this.push('debug', obj, msg);
  }
  info(obj: object | string, msg?: string): void {
    this.push('info', obj, msg);
  }
  warn(obj: object | string, msg?: string): void {
    this.push('warn', obj, msg);
  }
  error(obj: object | string, msg?: string): void {
    this.push('error', obj, msg);
  }
  private push(level: string, obj: object | string, msg?: string): void {
    this.lines.push({ level, msg: typeof obj === 'string' ? obj : (msg ?? ''), obj });
  }
}
