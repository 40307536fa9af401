/**
 * One contender in the cross-process claimDay race (test/storage/claim-race.test.ts). Opens the
 * shared database (possibly fresh: migrations race too), says "ready", waits for "go" on stdin,
 * then claims each day in order and prints the days it won as one JSON line.
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../src/storage/database.js';

const [dataDir, channelId, dayList] = process.argv.slice(2) as [string, string, string];
const days = dayList.split(',');
const db = openDatabase(dataDir);
db.schedules.put({ channelId, time: '09:00', timeZone: 'UTC' });
process.stdout.write('ready\n');

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  const won = days.filter((day) => db.schedules.claimDay(channelId, day));
  db.close();
  process.stdout.write(`${JSON.stringify(won)}\n`);
  lines.close();
});
