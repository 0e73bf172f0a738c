import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Toleration } from '../../api/types.js';
import { fits, newNodeInfo, unresolvable } from '../framework.js';
import { makeNode, makePod } from '../testdata/fixtures.js';
import { nodeUnschedulable } from './node-unschedulable.js';

describe('nodeUnschedulable.filter()', () => {
  const cases: { name: string; unschedulable: boolean; tolerations?: Toleration[]; want: typeof fits }[] = [
    { name: 'fits a schedulable node', unschedulable: false, want: fits },
    { name: 'rejects a cordoned node', unschedulable: true, want: unresolvable('node(s) were unschedulable') },
    {
      name: 'fits a cordoned node when the pod tolerates node.kubernetes.io/unschedulable:NoSchedule',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      want: fits,
    },
    { name: 'fits a cordoned node when the pod tolerates everything', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: fits },
    {
      name: 'rejects a cordoned node when the toleration is for NoExecute only',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }],
      want: unresolvable('node(s) were unschedulable'),
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(nodeUnschedulable.filter(makePod({ tolerations: c.tolerations }), newNodeInfo(makeNode('n1', { unschedulable: c.unschedulable }))), c.want));
  }
});
