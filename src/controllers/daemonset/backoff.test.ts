import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../client/index.js';
import { FailedPodsBackoff, failedPodsBackoffKey, failedPodsBackoffMaxMs } from './backoff.js';
import { newDaemonSet } from './testing.js';

describe('failedPodsBackoffKey', () => {
  it('is uid/observedGeneration/node', () => {
    const ds = newDaemonSet();
    assert.equal(failedPodsBackoffKey(ds, 'node-1'), 'ds-uid/0/node-1');
    ds.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0, observedGeneration: 3 };
    assert.equal(failedPodsBackoffKey(ds, 'node-1'), 'ds-uid/3/node-1');
  });
});

describe('FailedPodsBackoff', () => {
  it('starts at 1 s, doubles, caps at 15 min', () => {
    const clock = new FakeClock();
    const backoff = new FailedPodsBackoff(clock);
    assert.equal(backoff.isInBackOffSinceUpdate('k'), false);
    const durations: number[] = [];
    for (let i = 0; i < 12; i++) {
      backoff.next('k');
      durations.push(backoff.get('k'));
    }
    assert.deepEqual(durations.slice(0, 4), [1000, 2000, 4000, 8000]);
    assert.equal(durations.at(-1), failedPodsBackoffMaxMs);
  });
  it('is in backoff until the duration has passed since the last update', () => {
    const clock = new FakeClock();
    const backoff = new FailedPodsBackoff(clock);
    backoff.next('k');
    clock.advance(999);
    assert.equal(backoff.isInBackOffSinceUpdate('k'), true);
    clock.advance(1);
    assert.equal(backoff.isInBackOffSinceUpdate('k'), false);
    assert.equal(backoff.get('k'), 1000, 'waiting does not grow the duration');
  });
  it('starts over after being idle for twice the maximum', () => {
    const clock = new FakeClock();
    const backoff = new FailedPodsBackoff(clock);
    backoff.next('k');
    backoff.next('k');
    clock.advance(2 * failedPodsBackoffMaxMs + 1);
    backoff.next('k');
    assert.equal(backoff.get('k'), 1000);
    clock.advance(2 * failedPodsBackoffMaxMs + 1);
    backoff.gc();
    assert.equal(backoff.get('k'), 0);
  });
});
