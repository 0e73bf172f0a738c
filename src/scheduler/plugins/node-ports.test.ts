import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Pod } from '../../api/types.js';
import { fits, newNodeInfo, unschedulable, type FilterResult } from '../framework.js';
import { makeNode, makePod, podWithPorts } from '../testdata/fixtures.js';
import { nodePorts } from './node-ports.js';

const conflict = unschedulable("node(s) didn't have free ports for the requested pod ports");

describe('nodePorts.filter()', () => {
  const cases: { name: string; pod: Pod; existing: Pod[]; want: FilterResult }[] = [
    { name: 'fits a pod without host ports', pod: makePod(), existing: [podWithPorts({ hostPort: 80 })], want: fits },
    { name: 'fits a free port', pod: podWithPorts({ hostPort: 8080 }), existing: [podWithPorts({ hostPort: 80 })], want: fits },
    { name: 'rejects a used port', pod: podWithPorts({ hostPort: 80 }), existing: [podWithPorts({ hostPort: 80 })], want: conflict },
    { name: 'fits the same port with another protocol', pod: podWithPorts({ hostPort: 53, protocol: 'UDP' }), existing: [podWithPorts({ hostPort: 53 })], want: fits },
    { name: 'fits the same port on another host IP', pod: podWithPorts({ hostPort: 80, hostIP: '10.0.0.2' }), existing: [podWithPorts({ hostPort: 80, hostIP: '10.0.0.1' })], want: fits },
    { name: 'rejects a specific IP when 0.0.0.0 is used', pod: podWithPorts({ hostPort: 80, hostIP: '10.0.0.2' }), existing: [podWithPorts({ hostPort: 80 })], want: conflict },
    { name: 'rejects 0.0.0.0 when a specific IP is used', pod: podWithPorts({ hostPort: 80 }), existing: [podWithPorts({ hostPort: 80, hostIP: '10.0.0.1' })], want: conflict },
    { name: 'ignores ports of finished pods', pod: podWithPorts({ hostPort: 80 }), existing: [{ ...podWithPorts({ hostPort: 80 }), status: { phase: 'Failed' } }], want: fits },
    {
      name: 'counts ports of sidecar init containers',
      pod: podWithPorts({ hostPort: 9100 }),
      existing: [makePod({ initContainers: [{ name: 's', restartPolicy: 'Always', ports: [{ containerPort: 9100, hostPort: 9100 }] }] })],
      want: conflict,
    },
    {
      name: 'ignores ports of ordinary init containers',
      pod: podWithPorts({ hostPort: 9100 }),
      existing: [makePod({ initContainers: [{ name: 'i', ports: [{ containerPort: 9100, hostPort: 9100 }] }] })],
      want: fits,
    },
    {
      name: 'ignores container ports without hostPort',
      pod: makePod({ containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }),
      existing: [podWithPorts({ hostPort: 80 })],
      want: fits,
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(nodePorts.filter(c.pod, newNodeInfo(makeNode('n1'), c.existing)), c.want));
  }
});
