/**
 * Opens the database in the folder given as argument and prints what happened
 * (test/storage/database.test.ts runs it as a child, so a hang is a timeout, not a stuck suite).
 */
import { openDatabase } from '../../src/storage/database.js';

const [dataDir] = process.argv.slice(2) as [string];
try {
  openDatabase(dataDir).close();
  process.stdout.write('opened\n');
} catch (error) {
  process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
}
