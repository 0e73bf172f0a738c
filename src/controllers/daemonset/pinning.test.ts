import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Affinity, Pod } from '../../api/types.js';
import { getNodesToDaemonPods, getTargetNodeName, replaceDaemonSetPodNodeNameNodeAffinity } from './pinning.js';
import { newTestPod } from './testing.js';

const pinned = (node: string) => ({
  requiredDuringSchedulingIgnoredDuringExecution: {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In' as const, values: [node] }] }],
  },
});

describe('replaceDaemonSetPodNodeNameNodeAffinity()', () => {
  const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In' as const, values: ['a'] }] } }];
  const cases: { name: string; affinity: Affinity | undefined; want: Affinity }[] = [
    { name: 'creates an affinity when there is none', affinity: undefined, want: { nodeAffinity: pinned('node-1') } },
    { name: 'adds a node affinity to a pod-affinity-only affinity', affinity: { podAffinity: { x: 1 } }, want: { podAffinity: { x: 1 }, nodeAffinity: pinned('node-1') } },
    {
      name: 'adds required terms next to preferred ones',
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred } },
      want: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred, ...pinned('node-1') } },
    },
    {
      name: 'replaces every required term with the single pinning term',
      affinity: {
        podAntiAffinity: { y: 2 },
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: preferred,
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'zone', operator: 'In', values: ['test'] }] },
              { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] },
            ],
          },
        },
      },
      want: { podAntiAffinity: { y: 2 }, nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: preferred, ...pinned('node-1') } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(c.affinity, 'node-1'), c.want);
    });
  }

  it('leaves the input affinity untouched', () => {
    const affinity: Affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } };
    replaceDaemonSetPodNodeNameNodeAffinity(affinity, 'node-1');
    assert.deepEqual(affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } });
  });
});

describe('getTargetNodeName()', () => {
  const withTerms = (terms: NonNullable<NonNullable<Affinity['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']>['nodeSelectorTerms'], nodeName?: string): Pod => {
    const pod = newTestPod('p', { nodeName });
    pod.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
    return pod;
  };
  const cases: { name: string; pod: Pod; want: string | undefined }[] = [
    { name: 'returns spec.nodeName when set', pod: newTestPod('p', { nodeName: 'node-1' }), want: 'node-1' },
    { name: 'prefers spec.nodeName over the affinity', pod: withTerms(pinned('node-2').requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, 'node-1'), want: 'node-1' },
    { name: 'reads the pinning term of an unbound pod', pod: newTestPod('p', { pinnedTo: 'node-3' }), want: 'node-3' },
    { name: 'returns undefined without affinity', pod: newTestPod('p'), want: undefined },
    { name: 'returns undefined with no terms', pod: withTerms([]), want: undefined },
    {
      name: 'returns undefined when the metadata.name In requirement has two values',
      pod: withTerms([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }]),
      want: undefined,
    },
    {
      name: 'ignores label expressions and NotIn, and finds the In requirement in a later term',
      pod: withTerms([
        { matchExpressions: [{ key: 'metadata.name', operator: 'In', values: ['label'] }] },
        { matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['x'] }, { key: 'metadata.name', operator: 'In', values: ['node-4'] }] },
      ]),
      want: 'node-4',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(getTargetNodeName(c.pod), c.want);
    });
  }
});

describe('getNodesToDaemonPods()', () => {
  const deleting = '2026-01-01T00:00:00Z';
  const pods = [
    newTestPod('bound', { nodeName: 'node-1' }),
    newTestPod('pinned', { pinnedTo: 'node-1' }),
    newTestPod('nowhere'),
    newTestPod('terminating-running', { nodeName: 'node-2', deletionTimestamp: deleting }),
    newTestPod('failed', { nodeName: 'node-2', phase: 'Failed' }),
    newTestPod('failed-deleting', { nodeName: 'node-3', phase: 'Failed', deletionTimestamp: deleting }),
    newTestPod('succeeded-deleting', { nodeName: 'node-3', phase: 'Succeeded', deletionTimestamp: deleting }),
  ];
  const names = (map: Map<string, Pod[]>) => Object.fromEntries([...map].map(([node, list]) => [node, list.map((p) => p.metadata.name)]));
  const cases: { name: string; includeDeletedTerminal?: boolean; want: Record<string, string[]> }[] = [
    {
      name: 'groups by target node, skipping unplaceable pods and terminal pods being deleted',
      want: { 'node-1': ['bound', 'pinned'], 'node-2': ['terminating-running', 'failed'] },
    },
    {
      name: 'keeps terminal pods being deleted when asked (history cleanup)',
      includeDeletedTerminal: true,
      want: { 'node-1': ['bound', 'pinned'], 'node-2': ['terminating-running', 'failed'], 'node-3': ['failed-deleting', 'succeeded-deleting'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(names(getNodesToDaemonPods(pods, { includeDeletedTerminal: c.includeDeletedTerminal })), c.want);
    });
  }
});
