/**
 * Writes jobs to the database until it is killed (test/storage/kill-durability.test.ts). After
 * the first ten are committed and updated it prints "written", then keeps creating and updating
 * jobs as fast as it can so the SIGKILL lands in the middle of writes.
 */
import { openDatabase } from '../../src/storage/database.js';

const [dataDir] = process.argv.slice(2) as [string];
const db = openDatabase(dataDir);
const request = { seed: 'The airlock', model: 'scifi', temperature: 0.5, length: 600 };
const job = (id: string, createdAt: number) =>
  ({ id, kind: 'story', channelId: 'console:local:main', userId: 'console:local:me', request, state: 'queued', createdAt }) as const;

for (let i = 0; i < 10; i++) db.jobs.create(job(`first-${i}`, i));
db.jobs.setState('first-0', 'done');
db.jobs.setState('first-1', 'failed');
db.jobs.setState('first-2', 'running');
db.jobs.setSurface('first-2', { platform: 'console', channelId: 'console:local:main', messageIds: ['1'] });
process.stdout.write('written\n');

let n = 0;
for (;;) {
  const id = `later-${n++}`;
  db.jobs.create(job(id, 1_000 + n));
  db.jobs.setState(id, 'running');
  db.jobs.setSurface(id, { platform: 'console', channelId: 'console:local:main', messageIds: [String(n)] });
}
