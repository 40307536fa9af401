import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chooseBackend } from '../../src/inference/backend.js';
import { saveTinyModel, tempDir } from '../inference/tiny-model.js';

/** tsx's CLI, to run a src/cli script as a child process the way `npm run` does. */
export const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A temporary models folder holding one small random model for the file's CLI tests; returns a
 * getter for the folder's path (valid once beforeAll has run), removed after the file.
 */
export function useTinyModelsDir(id: string, units: readonly number[]): () => string {
  let dir: { path: string; remove: () => Promise<void> } | undefined;
  beforeAll(async () => {
    await chooseBackend('cpu', silent);
    dir = await tempDir();
    await saveTinyModel(join(dir.path, 'models'), id, [...units]);
  });
  afterAll(() => dir?.remove());
  return () => {
    if (!dir) throw new Error('the tiny models folder exists only inside tests');
    return join(dir.path, 'models');
  };
}
