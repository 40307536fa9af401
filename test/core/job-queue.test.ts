import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/core/job-queue.js';
import { UserError } from '../../src/core/errors.js';

/** A job that runs until released, recording when it started. */
function gate() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  return { release, released };
}

describe('JobQueue', () => {
  it('runs up to `concurrency` jobs at once and gives the rest their place in line', async () => {
    const queue = new JobQueue({ concurrency: 2, maxWaiting: 10, maxWaitingPerUser: 10 });
    const g = gate();
    const aGate = gate();
    const started: string[] = [];
    const positions = new Map<string, number[]>();
    const add = (id: string, channelId = 'c1') =>
      queue.enqueue({
        id,
        userId: `u-${id}`,
        channelId,
        onPosition: (p) => positions.set(id, [...(positions.get(id) ?? []), p]),
        run: async () => {
          started.push(id);
          await (id === 'a' ? aGate.released : g.released);
          return id;
        },
      });
    const a = add('a');
    const b = add('b');
    const c = add('c');
    const d = add('d');
    expect([a.position, b.position, c.position, d.position]).toEqual([0, 0, 1, 2]);
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(2);
    aGate.release();
    await a.done;
    await new Promise((r) => setImmediate(r));
    expect(positions.get('d')).toEqual([2, 1]);
    g.release();
    await expect(d.done).resolves.toBe('d');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    // d moved up from #2 to #1 before it ran (0).
    expect(positions.get('d')).toEqual([2, 1, 0]);
  });

  it('refuses with a friendly "busy" error when the line is full', () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 1, maxWaitingPerUser: 5 });
    const never = () => new Promise<never>(() => {});
    queue.enqueue({ id: '1', userId: 'a', channelId: 'c', run: never });
    queue.enqueue({ id: '2', userId: 'b', channelId: 'c', run: never });
    const attempt = () => queue.enqueue({ id: '3', userId: 'c', channelId: 'c', run: never });
    expect(attempt).toThrow(UserError);
    expect(attempt).toThrow("I'm busy writing 2 stories right now");
  });

  it('says "1 story" when a line of none is full behind one running story', () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 0, maxWaitingPerUser: 5 });
    queue.enqueue({ id: '1', userId: 'a', channelId: 'c', run: () => new Promise<never>(() => {}) });
    expect(() => queue.enqueue({ id: '2', userId: 'b', channelId: 'c', run: async () => 2 })).toThrow("I'm busy writing 1 story right now");
  });

  it('caps the jobs one user may have waiting', () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 10, maxWaitingPerUser: 1 });
    const never = () => new Promise<never>(() => {});
    queue.enqueue({ id: '1', userId: 'a', channelId: 'c', run: never });
    queue.enqueue({ id: '2', userId: 'a', channelId: 'c', run: never });
    expect(() => queue.enqueue({ id: '3', userId: 'a', channelId: 'c', run: never })).toThrow(
      expect.objectContaining({ code: 'user-cap' }),
    );
    // Someone else is still welcome.
    expect(queue.enqueue({ id: '4', userId: 'b', channelId: 'c', run: never }).position).toBe(2);
  });

  it('serves channels in turn so one busy channel cannot starve another', async () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 20, maxWaitingPerUser: 20 });
    const order: string[] = [];
    const job = (id: string, channelId: string) =>
      queue.enqueue({ id, userId: id, channelId, run: async () => void order.push(id) });
    const g = gate();
    queue.enqueue({ id: 'first', userId: 'x', channelId: 'busy', run: () => g.released });
    job('b1', 'busy');
    job('b2', 'busy');
    job('b3', 'busy');
    const quiet = job('q1', 'quiet');
    expect(quiet.position).toBe(2);
    g.release();
    await queue.onIdle();
    expect(order).toEqual(['b1', 'q1', 'b2', 'b3']);
  });

  it('drops a waiting job whose signal aborts and moves the others up', async () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 10, maxWaitingPerUser: 10 });
    const g = gate();
    queue.enqueue({ id: 'run', userId: 'a', channelId: 'c', run: () => g.released });
    const controller = new AbortController();
    const dropped = queue.enqueue({ id: 'x', userId: 'b', channelId: 'c', signal: controller.signal, run: async () => 'ran' });
    const positions: number[] = [];
    const kept = queue.enqueue({ id: 'y', userId: 'c', channelId: 'c', onPosition: (p) => positions.push(p), run: async () => 'y' });
    expect(kept.position).toBe(2);
    controller.abort(new Error('user cancelled'));
    await expect(dropped.done).rejects.toThrow('user cancelled');
    expect(positions).toContain(1);
    g.release();
    await expect(kept.done).resolves.toBe('y');
  });

  it('passes an abort signal to a running job', async () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 10, maxWaitingPerUser: 10 });
    const controller = new AbortController();
    const job = queue.enqueue({
      id: 'r',
      userId: 'a',
      channelId: 'c',
      signal: controller.signal,
      run: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped'))),
    });
    controller.abort();
    await expect(job.done).resolves.toBe('stopped');
  });

  it('leaves no listener on a long-lived signal once its jobs are done, and that signal still stops a running job', async () => {
    // The bot gives every job its one shutdown signal: a listener per finished job kept on it would
    // hold every story ever written in memory.
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 10, maxWaitingPerUser: 10 });
    const shutdown = new AbortController();
    const g = gate();
    const first = queue.enqueue({ id: '1', userId: 'a', channelId: 'c', signal: shutdown.signal, run: () => g.released });
    const waiting = ['2', '3'].map((id) =>
      queue.enqueue({ id, userId: 'a', channelId: 'c', signal: shutdown.signal, run: async () => id }).done);
    g.release();
    await first.done;
    await expect(Promise.all(waiting)).resolves.toEqual(['2', '3']);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);

    const late = queue.enqueue({
      id: '4',
      userId: 'a',
      channelId: 'c',
      signal: shutdown.signal,
      run: (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('stopped'))),
    });
    shutdown.abort();
    await expect(late.done).resolves.toBe('stopped');
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
  });

  it('refuses new jobs after close but finishes accepted ones; alreadyAccepted skips the bound', async () => {
    const queue = new JobQueue({ concurrency: 1, maxWaiting: 0, maxWaitingPerUser: 1 });
    const g = gate();
    const first = queue.enqueue({ id: '1', userId: 'a', channelId: 'c', run: async () => (await g.released, 1) });
    const resumed = queue.enqueue({ id: '2', userId: 'a', channelId: 'c', alreadyAccepted: true, run: async () => 2 });
    expect(resumed.position).toBe(1);
    queue.close();
    expect(() => queue.enqueue({ id: '3', userId: 'b', channelId: 'c', run: async () => 3 })).toThrow(/restarting/);
    g.release();
    await expect(Promise.all([first.done, resumed.done])).resolves.toEqual([1, 2]);
  });
});
