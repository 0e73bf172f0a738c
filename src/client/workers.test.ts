import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.js';
import { WorkQueue } from './work-queue.js';
import { TerminalError, runWorkers, type SyncResult } from './workers.js';

/** Lets pending promise callbacks (worker loops) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

interface OutcomeCase {
  name: string;
  outcome: () => Promise<void | SyncResult>;
  /** Retries counted for the key after the sync. */
  requeues: number;
  /** Milliseconds after which the key is queued again; undefined: never. */
  requeuedAfterMs?: number;
  reportsError: boolean;
}

const outcomes: OutcomeCase[] = [
  { name: 'success forgets the key', outcome: async () => {}, requeues: 0, reportsError: false },
  { name: 'an error requeues with backoff', outcome: async () => Promise.reject(new Error('boom')), requeues: 1, requeuedAfterMs: 5, reportsError: true },
  { name: 'a terminal error is reported and dropped', outcome: async () => Promise.reject(new TerminalError('bad ref')), requeues: 0, reportsError: true },
  { name: '{ requeueAfterMs } forgets and requeues after the delay', outcome: async () => ({ requeueAfterMs: 250 }), requeues: 0, requeuedAfterMs: 250, reportsError: false },
  { name: '{ requeue: true } requeues with backoff, quietly', outcome: async () => ({ requeue: true }), requeues: 1, requeuedAfterMs: 5, reportsError: false },
];

describe('runWorkers', () => {
  for (const c of outcomes) {
    it(c.name, async () => {
      const clock = new FakeClock();
      const queue = new WorkQueue({ clock });
      const synced: string[] = [];
      const errors: unknown[] = [];
      let first = true;
      const workers = runWorkers({
        queue,
        sync: async (key) => {
          synced.push(key);
          if (!first) return;
          first = false;
          return c.outcome();
        },
        onError: (error) => errors.push(error),
      });
      queue.add('k');
      await settle();
      assert.deepEqual(synced, ['k']);
      assert.equal(errors.length > 0, c.reportsError);
      assert.equal(queue.numRequeues('k'), c.requeues);
      if (c.requeuedAfterMs === undefined) {
        clock.advance(10_000_000);
        await settle();
        assert.deepEqual(synced, ['k']);
      } else {
        clock.advance(c.requeuedAfterMs - 1);
        await settle();
        assert.deepEqual(synced, ['k'], 'not before the delay');
        clock.advance(1);
        await settle();
        assert.deepEqual(synced, ['k', 'k'], 'after the delay');
      }
      await workers.stop();
    });
  }

  it('never runs two syncs of one key at once, and loses no add made during a sync', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    let running = 0;
    let maxRunning = 0;
    let syncs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const workers = runWorkers({
      queue,
      workers: 4,
      sync: async () => {
        syncs++;
        running++;
        maxRunning = Math.max(maxRunning, running);
        if (syncs === 1) await gate;
        running--;
      },
    });
    queue.add('k');
    await settle();
    queue.add('k'); // arrives while the first sync runs
    queue.add('k');
    await settle();
    assert.equal(syncs, 1);
    release();
    await settle();
    await settle();
    assert.equal(syncs, 2, 'synced once more for the adds made meanwhile');
    assert.equal(maxRunning, 1);
    await workers.stop();
  });

  it('runs syncs of different keys in parallel, up to the worker count', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    let running = 0;
    let maxRunning = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const workers = runWorkers({
      queue,
      workers: 2,
      sync: async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        await gate;
        running--;
      },
    });
    for (const key of ['a', 'b', 'c']) queue.add(key);
    await settle();
    assert.equal(maxRunning, 2);
    assert.equal(queue.len(), 1);
    release();
    await settle();
    await workers.stop();
  });

  it('stop() waits for running syncs and starts no new one', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    const synced: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const workers = runWorkers({
      queue,
      sync: async (key) => {
        synced.push(key);
        await gate;
      },
    });
    queue.add('a');
    queue.add('b');
    await settle();
    let stopped = false;
    const stopping = workers.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'waits for the running sync');
    release();
    await stopping;
    assert.deepEqual(synced, ['a']);
  });

  it('survives an onError that throws', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    let syncs = 0;
    const workers = runWorkers({
      queue,
      sync: async () => {
        syncs++;
        throw new Error('boom');
      },
      onError: () => {
        throw new Error('reporter broke');
      },
    });
    queue.add('a');
    await settle();
    queue.add('b');
    await settle();
    assert.equal(syncs, 2);
    await workers.stop();
  });

  it('rejects a worker count that is not a positive integer', () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    assert.throws(() => runWorkers({ queue, sync: async () => {}, workers: 0 }), RangeError);
  });
});
