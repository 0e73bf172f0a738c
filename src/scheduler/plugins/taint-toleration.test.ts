import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Taint, Toleration } from '../../api/types.js';
import { fits, newNodeInfo, unresolvable, type FilterResult } from '../framework.js';
import { makeNode, makePod } from '../testdata/fixtures.js';
import { taintToleration } from './taint-toleration.js';

describe('taintToleration.filter()', () => {
  const cases: { name: string; taints: Taint[]; tolerations?: Toleration[]; want: FilterResult }[] = [
    { name: 'fits an untainted node', taints: [], want: fits },
    { name: 'rejects an untolerated NoSchedule taint', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], want: unresolvable('node(s) had untolerated taint {dedicated: gpu}') },
    { name: 'rejects an untolerated NoExecute taint', taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }], want: unresolvable('node(s) had untolerated taint {k: v}') },
    { name: 'ignores PreferNoSchedule', taints: [{ key: 'k', value: 'v', effect: 'PreferNoSchedule' }], want: fits },
    { name: 'prints an empty value as upstream does', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }], want: unresolvable('node(s) had untolerated taint {node.kubernetes.io/not-ready: }') },
    {
      name: 'fits when the taint is tolerated with Equal',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      want: fits,
    },
    {
      name: 'fits when the taint is tolerated with Exists and no effect',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }],
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      want: fits,
    },
    {
      name: 'reports the first untolerated taint in node order',
      taints: [
        { key: 'a', value: '1', effect: 'NoSchedule' },
        { key: 'b', value: '2', effect: 'NoSchedule' },
        { key: 'c', value: '3', effect: 'NoExecute' },
      ],
      tolerations: [{ key: 'a', operator: 'Exists' }],
      want: unresolvable('node(s) had untolerated taint {b: 2}'),
    },
    {
      name: 'rejects when the toleration value differs',
      taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
      tolerations: [{ key: 'dedicated', value: 'cpu' }],
      want: unresolvable('node(s) had untolerated taint {dedicated: gpu}'),
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(taintToleration.filter(makePod({ tolerations: c.tolerations }), newNodeInfo(makeNode('n1', { taints: c.taints }))), c.want));
  }
});
