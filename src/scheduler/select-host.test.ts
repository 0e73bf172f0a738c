/**
 * The scheduler's pure decisions: which pods it takes, and which feasible node it picks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from '../api/types.js';
import { newNodeInfo } from './framework.js';
import { leastAllocatedScore, needsScheduling, responsibleForPod, selectHost } from './scheduler.js';

function node(name: string, cpu: string, memory = '16Gi'): Node {
  return { metadata: { name }, status: { allocatable: { cpu, memory, pods: '110' } } } as Node;
}

function pod(cpu?: string, extra: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', ...meta },
    spec: { containers: [{ name: 'c', image: 'i', ...(cpu ? { resources: { requests: { cpu } } } : {}) }], ...extra },
  } as Pod;
}

describe('needsScheduling', () => {
  const cases: { name: string; pod: Pod; responsible: boolean; needs: boolean }[] = [
    { name: 'no scheduler name', pod: pod(), responsible: true, needs: true },
    { name: 'default-scheduler', pod: pod(undefined, { schedulerName: 'default-scheduler' }), responsible: true, needs: true },
    { name: 'another scheduler', pod: pod(undefined, { schedulerName: 'other' }), responsible: false, needs: false },
    { name: 'already bound', pod: pod(undefined, { nodeName: 'n' }), responsible: true, needs: false },
    { name: 'being deleted', pod: pod(undefined, {}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), responsible: true, needs: false },
    { name: 'finished', pod: { ...pod(), status: { phase: 'Failed' } } as Pod, responsible: true, needs: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(responsibleForPod(c.pod), c.responsible);
      assert.equal(needsScheduling(c.pod), c.needs);
    });
  }
});

describe('selectHost', () => {
  it('prefers the node with the most room left', () => {
    const busy = newNodeInfo(node('a', '4'), [pod('3', { nodeName: 'a' })]);
    const idle = newNodeInfo(node('b', '4'));
    assert.equal(selectHost(pod('1'), [busy, idle])?.name, 'b');
  });

  it('breaks ties by node name, whatever the order given', () => {
    const infos = [newNodeInfo(node('c', '4')), newNodeInfo(node('a', '4')), newNodeInfo(node('b', '4'))];
    assert.equal(selectHost(pod('1'), infos)?.name, 'a');
  });

  it('has nothing to pick from no nodes', () => {
    assert.equal(selectHost(pod(), []), undefined);
  });

  it('scores a pod without requests as 100m cpu and 200Mi memory', () => {
    // cpu: (1000-100)*100/1000 = 90; memory: (1Gi-200Mi)*100/1Gi = 80 (rounded down); mean 85.
    assert.equal(leastAllocatedScore(pod(), newNodeInfo(node('a', '1', '1Gi'))), 85n);
  });
});
