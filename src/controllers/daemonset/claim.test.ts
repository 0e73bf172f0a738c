import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../api/types.js';
import { getControllerOf, planClaims } from './claim.js';
import { newDaemonSet, newTestPod } from './testing.js';

const ref = (uid: string, controller = true) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'foo', uid, controller });

function pod(name: string, options: { owner?: string; labels?: Record<string, string>; namespace?: string; deleting?: boolean; nonController?: boolean } = {}): Pod {
  const p = newTestPod(name, { ...(options.labels ? { labels: options.labels } : {}), ...(options.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) });
  if (options.owner) p.metadata.ownerReferences = [ref(options.owner, !options.nonController)];
  if (options.namespace) p.metadata.namespace = options.namespace;
  return p;
}

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);

describe('planClaims', () => {
  const other = { name: 'other' };
  const cases: Array<{ name: string; pods: Pod[]; deleting?: boolean; owned: string[]; adopt: string[]; release: string[] }> = [
    { name: 'owned and matching: kept', pods: [pod('a', { owner: 'ds-uid' })], owned: ['a'], adopt: [], release: [] },
    { name: 'owned, not matching: released', pods: [pod('a', { owner: 'ds-uid', labels: other })], owned: [], adopt: [], release: ['a'] },
    { name: 'orphan matching: adopted', pods: [pod('a')], owned: [], adopt: ['a'], release: [] },
    { name: 'orphan with a non-controller owner: adopted', pods: [pod('a', { owner: 'x', nonController: true })], owned: [], adopt: ['a'], release: [] },
    { name: 'orphan not matching: ignored', pods: [pod('a', { labels: other })], owned: [], adopt: [], release: [] },
    { name: 'orphan being deleted: not adopted', pods: [pod('a', { deleting: true })], owned: [], adopt: [], release: [] },
    { name: 'controlled by another: ignored', pods: [pod('a', { owner: 'other-uid' })], owned: [], adopt: [], release: [] },
    { name: 'other namespace: ignored', pods: [pod('a', { namespace: 'elsewhere' })], owned: [], adopt: [], release: [] },
    {
      name: 'DaemonSet being deleted: neither adopts nor releases',
      pods: [pod('a'), pod('b', { owner: 'ds-uid', labels: other }), pod('c', { owner: 'ds-uid' })],
      deleting: true,
      owned: ['c'],
      adopt: [],
      release: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ds = newDaemonSet({}, c.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {});
      const plan = planClaims(ds, c.pods);
      assert.deepEqual(names(plan.owned), c.owned);
      assert.deepEqual(names(plan.toAdopt), c.adopt);
      assert.deepEqual(names(plan.toRelease), c.release);
    });
  }
});

describe('getControllerOf', () => {
  it('finds the controller reference only', () => {
    assert.equal(getControllerOf(pod('a', { owner: 'x', nonController: true })), undefined);
    assert.equal(getControllerOf(pod('a', { owner: 'x' }))?.uid, 'x');
  });
});
