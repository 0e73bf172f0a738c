import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conditionsAreUpToDate, isPodReady, setStatusCondition, updateDisruptionAllowedCondition } from './disruption.js';
import type { PodDisruptionBudget } from './types.js';

describe('setStatusCondition()', () => {
  const t1 = '2026-01-01T00:00:00Z';
  const t2 = '2026-01-01T00:01:00Z';

  it('appends a missing condition with the given time', () => {
    assert.deepEqual(setStatusCondition(undefined, { type: 'A', status: 'True', reason: 'R', message: '' }, t1), [
      { type: 'A', status: 'True', lastTransitionTime: t1, reason: 'R', message: '' },
    ]);
  });

  it('keeps the transition time while the status stays, and takes the new reason, message and generation', () => {
    const first = setStatusCondition([], { type: 'A', status: 'False', reason: 'R1', message: 'm1', observedGeneration: 1 }, t1);
    const second = setStatusCondition(first, { type: 'A', status: 'False', reason: 'R2', message: 'm2', observedGeneration: 2 }, t2);
    assert.deepEqual(second, [{ type: 'A', status: 'False', observedGeneration: 2, lastTransitionTime: t1, reason: 'R2', message: 'm2' }]);
    assert.equal(first[0]!.reason, 'R1', 'the input is not changed');
  });

  it('moves the transition time when the status changes, leaving other conditions alone', () => {
    const other = { type: 'B', status: 'True' as const, reason: 'X', message: '', lastTransitionTime: t1 };
    const first = setStatusCondition([other], { type: 'A', status: 'False', reason: 'R', message: '' }, t1);
    const second = setStatusCondition(first, { type: 'A', status: 'True', reason: 'R', message: '' }, t2);
    assert.deepEqual(second.map((c) => [c.type, c.status, c.lastTransitionTime]), [
      ['B', 'True', t1],
      ['A', 'True', t2],
    ]);
  });
});

describe('DisruptionAllowed condition', () => {
  const pdb = (allowed: number, generation: number, observed: number): PodDisruptionBudget => {
    const status = updateDisruptionAllowedCondition({ disruptionsAllowed: allowed, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, observedGeneration: observed }, '2026-01-01T00:00:00Z');
    return { metadata: { name: 'p', generation }, status };
  };

  it('is True/SufficientPods with disruptions left, False/InsufficientPods without', () => {
    assert.deepEqual(pdb(2, 1, 1).status!.conditions!.map((c) => [c.status, c.reason]), [['True', 'SufficientPods']]);
    assert.deepEqual(pdb(0, 1, 1).status!.conditions!.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);
  });

  it('is up to date only when it matches disruptionsAllowed and the generation was observed', () => {
    assert.equal(conditionsAreUpToDate(pdb(1, 1, 1)), true);
    assert.equal(conditionsAreUpToDate(pdb(1, 2, 1)), false);
    const flipped = pdb(1, 1, 1);
    flipped.status!.disruptionsAllowed = 0;
    assert.equal(conditionsAreUpToDate(flipped), false);
    assert.equal(conditionsAreUpToDate({ metadata: { generation: 1 }, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, observedGeneration: 1 } }), false);
  });
});

describe('isPodReady()', () => {
  it('reads the Ready condition', () => {
    const pod = (status?: 'True' | 'False') => ({ metadata: {}, spec: { containers: [] }, status: { conditions: status ? [{ type: 'Ready', status }] : [] } });
    assert.equal(isPodReady(pod('True')), true);
    assert.equal(isPodReady(pod('False')), false);
    assert.equal(isPodReady(pod()), false);
  });
});
