import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from './clock.js';
import { ExponentialBackoff } from './rate-limiter.js';
import { WorkQueue } from './work-queue.js';

/**
 * A step against the queue. `get` takes the next key without waiting (asserting what comes out);
 * `advance` moves the fake clock.
 */
type Step =
  | { add: string }
  | { addAfter: string; ms: number }
  | { addRateLimited: string }
  | { forget: string }
  | { get: string | undefined }
  | { done: string }
  | { advance: number }
  | { shutDown: true };

interface Case {
  name: string;
  steps: Step[];
  /** Keys left queued at the end, in order. */
  queued: string[];
}

/** Runs the steps; `get` must find a key at once (or none, for `{ get: undefined }`). */
async function run(steps: Step[]): Promise<WorkQueue> {
  const clock = new FakeClock();
  const queue = new WorkQueue({ clock });
  for (const step of steps) {
    if ('add' in step) queue.add(step.add);
    else if ('addAfter' in step) queue.addAfter(step.addAfter, step.ms);
    else if ('addRateLimited' in step) queue.addRateLimited(step.addRateLimited);
    else if ('forget' in step) queue.forget(step.forget);
    else if ('done' in step) queue.done(step.done);
    else if ('advance' in step) clock.advance(step.advance);
    else if ('shutDown' in step) queue.shutDown();
    else {
      const got = queue.len() > 0 || queue.isShuttingDown ? await queue.get() : undefined;
      assert.equal(got, step.get, `get after ${JSON.stringify(steps.slice(0, steps.indexOf(step)))}`);
    }
  }
  return queue;
}

/** Drains what is queued right now, without waiting. */
async function drain(queue: WorkQueue): Promise<string[]> {
  const keys: string[] = [];
  while (queue.len() > 0) {
    const key = await queue.get();
    if (key === undefined) break;
    keys.push(key);
    queue.done(key);
  }
  return keys;
}

const cases: Case[] = [
  { name: 'hands keys out in FIFO order', steps: [{ add: 'a' }, { add: 'b' }, { add: 'c' }], queued: ['a', 'b', 'c'] },
  { name: 'adding a queued key is a no-op', steps: [{ add: 'a' }, { add: 'b' }, { add: 'a' }], queued: ['a', 'b'] },
  { name: 'a key being processed is not handed out again', steps: [{ add: 'a' }, { get: 'a' }, { add: 'a' }], queued: [] },
  { name: 'a key added while processing is queued again by done', steps: [{ add: 'a' }, { get: 'a' }, { add: 'a' }, { add: 'a' }, { done: 'a' }], queued: ['a'] },
  { name: 'done without a new add leaves nothing queued', steps: [{ add: 'a' }, { get: 'a' }, { done: 'a' }], queued: [] },
  { name: 'a key re-added while processing goes behind keys added before done', steps: [{ add: 'a' }, { get: 'a' }, { add: 'a' }, { add: 'b' }, { done: 'a' }], queued: ['b', 'a'] },
  { name: 'addAfter waits for the clock', steps: [{ addAfter: 'a', ms: 100 }, { advance: 99 }], queued: [] },
  { name: 'addAfter adds once due', steps: [{ addAfter: 'a', ms: 100 }, { advance: 100 }], queued: ['a'] },
  { name: 'addAfter with no delay adds at once', steps: [{ addAfter: 'a', ms: 0 }], queued: ['a'] },
  { name: 'delayed keys join in due order', steps: [{ addAfter: 'late', ms: 30 }, { addAfter: 'early', ms: 10 }, { advance: 30 }], queued: ['early', 'late'] },
  { name: 'a second addAfter keeps the earlier due time', steps: [{ addAfter: 'a', ms: 100 }, { addAfter: 'a', ms: 10 }, { advance: 10 }], queued: ['a'] },
  { name: 'a later addAfter does not postpone the key', steps: [{ addAfter: 'a', ms: 10 }, { addAfter: 'a', ms: 100 }, { advance: 10 }], queued: ['a'] },
  { name: 'a delayed key already queued is not duplicated', steps: [{ add: 'a' }, { addAfter: 'a', ms: 10 }, { advance: 10 }], queued: ['a'] },
  { name: 'first rate-limited retry waits 5 ms', steps: [{ addRateLimited: 'a' }, { advance: 4 }], queued: [] },
  { name: 'first rate-limited retry comes after 5 ms', steps: [{ addRateLimited: 'a' }, { advance: 5 }], queued: ['a'] },
  {
    name: 'backoff doubles per failure',
    steps: [{ addRateLimited: 'a' }, { advance: 5 }, { get: 'a' }, { addRateLimited: 'a' }, { done: 'a' }, { advance: 9 }],
    queued: [],
  },
  {
    name: 'forget resets the backoff',
    steps: [{ addRateLimited: 'a' }, { advance: 5 }, { get: 'a' }, { forget: 'a' }, { addRateLimited: 'a' }, { done: 'a' }, { advance: 5 }],
    queued: ['a'],
  },
  { name: 'backoff is per key', steps: [{ addRateLimited: 'a' }, { addRateLimited: 'a' }, { addRateLimited: 'b' }, { advance: 5 }], queued: ['a', 'b'] },
  { name: 'adds after shutDown are ignored', steps: [{ shutDown: true }, { add: 'a' }, { addAfter: 'b', ms: 0 }], queued: [] },
  { name: 'shutDown drops delayed keys', steps: [{ addAfter: 'a', ms: 10 }, { shutDown: true }, { advance: 10 }], queued: [] },
  { name: 'keys queued before shutDown are still handed out', steps: [{ add: 'a' }, { shutDown: true }, { get: 'a' }, { get: undefined }], queued: [] },
];

describe('WorkQueue', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const queue = await run(c.steps);
      assert.deepEqual(await drain(queue), c.queued);
    });
  }

  it('get() waits for a key and hands it to one waiting worker only', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    const first = queue.get();
    const second = queue.get();
    queue.add('a');
    assert.equal(await first, 'a');
    queue.add('a'); // processing: marked dirty, not handed to the second worker
    queue.add('b');
    assert.equal(await second, 'b');
    queue.done('a');
    assert.deepEqual(await drain(queue), ['a']);
  });

  it('shutDown() releases workers waiting in get()', async () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    const waiting = queue.get();
    queue.shutDown();
    assert.equal(await waiting, undefined);
    assert.equal(await queue.get(), undefined);
  });

  it('numRequeues() counts rate-limited retries until forget()', () => {
    const queue = new WorkQueue({ clock: new FakeClock() });
    queue.addRateLimited('a');
    queue.addRateLimited('a');
    assert.equal(queue.numRequeues('a'), 2);
    queue.forget('a');
    assert.equal(queue.numRequeues('a'), 0);
  });

  it('keeps one timer however many keys are delayed', () => {
    const clock = new FakeClock();
    const queue = new WorkQueue({ clock });
    for (let i = 0; i < 100; i++) queue.addAfter(`k${i}`, 1000 - i);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(queue.delayedLen(), 100);
    clock.advance(1000);
    assert.equal(queue.len(), 100);
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('ExponentialBackoff', () => {
  const table: { failuresBefore: number; expectedMs: number }[] = [
    { failuresBefore: 0, expectedMs: 5 },
    { failuresBefore: 1, expectedMs: 10 },
    { failuresBefore: 2, expectedMs: 20 },
    { failuresBefore: 10, expectedMs: 5120 },
    { failuresBefore: 17, expectedMs: 655_360 },
    { failuresBefore: 18, expectedMs: 1_000_000 },
    { failuresBefore: 5000, expectedMs: 1_000_000 },
  ];
  for (const { failuresBefore, expectedMs } of table) {
    it(`when() after ${failuresBefore} failures is ${expectedMs} ms`, () => {
      const backoff = new ExponentialBackoff();
      for (let i = 0; i < failuresBefore; i++) backoff.when('k');
      assert.equal(backoff.when('k'), expectedMs);
    });
  }

  it('rejects a base delay above the maximum', () => {
    assert.throws(() => new ExponentialBackoff({ baseMs: 10, maxMs: 5 }), RangeError);
  });
});

describe('FakeClock', () => {
  it('advance() runs due timers in time order, including timers they set', () => {
    const clock = new FakeClock(1000);
    const fired: string[] = [];
    clock.setTimer(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimer(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimer(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimer(() => fired.push('never'), 1);
    cancelled.cancel();
    clock.advance(30);
    assert.deepEqual(fired, ['a@1010', 'c@1015', 'b@1020']);
    assert.equal(clock.now(), 1030);
  });
});
