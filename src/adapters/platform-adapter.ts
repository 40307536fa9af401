import type { PlatformGateway } from '../core/ports.js';

/** What main.ts starts and stops; one per connected platform. */
export interface PlatformAdapter extends PlatformGateway {
  /** Connects and registers listeners; resolves once the platform is ready to take commands. */
  start(): Promise<void>;
  /** Stops taking new events; in-flight edits are left to the caller to finish. */
  stop(): Promise<void>;
}
