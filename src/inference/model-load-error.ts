/**
 * A model folder that cannot be served: missing, corrupt, or its meta.json disagrees with its
 * weights. Raised at start-up, so the message names the file and says what is wrong with it.
 */
export class ModelLoadError extends Error {
  constructor(
    /** The file (or folder) at fault. */
    readonly file: string,
    /** What is wrong with it, in words. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelLoadError';
  }
}
