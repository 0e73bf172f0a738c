import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../client/index.js';
import { TaskHeap } from './task-heap.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('TaskHeap', () => {
  it('runs due keys in time order with a single clock timer, however many keys wait', () => {
    const clock = new FakeClock();
    const ran: string[][] = [];
    const heap = new TaskHeap(clock, (keys) => ran.push(keys), 1000);
    for (let i = 0; i < 5000; i++) heap.schedule(`k${i}`, 1000 + (i % 10) * 100);
    assert.equal(clock.pendingTimers(), 1);
    assert.equal(heap.size, 5000);
    clock.advance(1000);
    assert.equal(ran.length, 1);
    assert.equal(ran[0]!.length, 500, 'everything due in one tick runs as one batch');
    assert.equal(clock.pendingTimers(), 1);
    clock.advance(900);
    assert.equal(ran.flat().length, 5000);
    assert.equal(ran.length, 10, 'one batch per due time');
    assert.equal(clock.pendingTimers(), 0);
  });

  it('spreads a large batch over turns of the event loop, at most maxPerTurn keys each, in order', async () => {
    const clock = new FakeClock();
    const ran: string[][] = [];
    const heap = new TaskHeap(clock, (keys) => ran.push(keys), 64);
    for (let i = 0; i < 200; i++) heap.schedule(`k${String(i).padStart(3, '0')}`, 10);
    clock.advance(10);
    assert.deepEqual(ran.map((keys) => keys.length), [64], 'the first turn runs 64');
    for (let i = 0; i < 3; i++) await turn();
    assert.deepEqual(ran.map((keys) => keys.length), [64, 64, 64, 8]);
    assert.deepEqual(ran.flat(), Array.from({ length: 200 }, (_, i) => `k${String(i).padStart(3, '0')}`));
  });

  it('keeps the earliest time for a key and skips cancelled keys', () => {
    const clock = new FakeClock();
    const ran: string[] = [];
    const heap = new TaskHeap(clock, (keys) => ran.push(...keys));
    heap.schedule('a', 500);
    heap.schedule('a', 900); // later: ignored
    heap.schedule('b', 700);
    heap.schedule('b', 200); // sooner: moved
    heap.schedule('c', 300);
    heap.cancel('c');
    assert.equal(heap.dueAt('a'), 500);
    assert.equal(heap.dueAt('b'), 200);
    clock.advance(1000);
    assert.deepEqual(ran, ['b', 'a']);
  });

  it('runs work due now on the next turn without a clock timer', async () => {
    const clock = new FakeClock(100);
    const ran: string[] = [];
    const heap = new TaskHeap(clock, (keys) => ran.push(...keys));
    heap.schedule('now1', 100);
    heap.schedule('now2', 50);
    assert.deepEqual(ran, [], 'never synchronously');
    await turn();
    assert.deepEqual(ran, ['now2', 'now1']);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('does nothing after stop', async () => {
    const clock = new FakeClock();
    const ran: string[] = [];
    const heap = new TaskHeap(clock, (keys) => ran.push(...keys));
    heap.schedule('a', 10);
    heap.stop();
    heap.schedule('b', 0);
    clock.advance(100);
    await turn();
    assert.deepEqual(ran, []);
    assert.equal(clock.pendingTimers(), 0);
  });
});
