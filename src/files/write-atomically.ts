import { rename, writeFile } from 'node:fs/promises';

/** Writes under a temporary name beside the file, then renames: a reader never sees half a file. */
export async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
