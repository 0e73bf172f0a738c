import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { fits, newNodeInfo, unresolvable } from '../framework.js';
import { makeNode, makePod } from '../testdata/fixtures.js';
import { nodeName, nodeNameReason } from './node-name.js';

describe('nodeName.filter()', () => {
  const cases = [
    { name: 'fits any node when the pod names none', podNode: undefined, want: fits },
    { name: 'fits the named node', podNode: 'n1', want: fits },
    { name: 'rejects another node, unresolvably', podNode: 'n2', want: unresolvable(nodeNameReason) },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(nodeName.filter(makePod({ nodeName: c.podNode }), newNodeInfo(makeNode('n1'))), c.want));
  }
  it('uses the upstream wording', () => assert.equal(nodeNameReason, "node(s) didn't match the requested node name"));
});
