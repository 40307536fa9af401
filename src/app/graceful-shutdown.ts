import type { Logger } from '../core/ports.js';

export interface ShutdownSteps {
  /** Stop taking new commands on every platform. */
  stopAdapters(): Promise<void>;
  /** Resolves when no job runs or waits. */
  idle(): Promise<void>;
  /** Interrupt what still runs; interrupted jobs stay in the store and resume on the next start. */
  interrupt(): void;
  /** Release everything else: scheduler, engine, health server, database — in that order. */
  release(): Promise<void>;
}

/**
 * Stop taking work, give running jobs `graceMs` to finish, persist the rest (they are already in
 * the store; interrupting leaves them unfinished there), then close. Safe to call twice: the
 * second call returns the first's promise.
 */
export function gracefulShutdown(steps: ShutdownSteps, graceMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= (async () => {
      await steps.stopAdapters().catch((error: unknown) => logger.warn({ err: error }, 'stopping adapters failed'));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finished = await Promise.race([
        steps.idle().then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        logger.info({ graceMs }, 'grace period over; unfinished stories will resume on the next start');
        steps.interrupt();
      }
      await steps.release();
    })();
    return running;
  };
}
