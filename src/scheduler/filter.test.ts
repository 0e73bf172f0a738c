import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { Node, Pod } from '../api/types.js';
import { failedSchedulingMessage, fitErrorMessage, runFilters } from './filter.js';
import { newNodeInfo } from './framework.js';
import { defaultFilterPlugins } from './index.js';
import { daemonPod, makeNode, makePod, podRequesting } from './testdata/fixtures.js';

const prioritized = (pod: Pod, priority: number): Pod => ({ ...pod, spec: { ...pod.spec, priority } });
const small = { cpu: '100m', memory: '1Gi', pods: '110' };
const big = { cpu: '4', memory: '8Gi', pods: '110' };
const nodes = (...list: Node[]) => list.map((node) => newNodeInfo(node));
const five = (override: (i: number) => Node | undefined = () => undefined) =>
  nodes(...[1, 2, 3, 4, 5].map((i) => override(i) ?? makeNode(`n${i}`, { allocatable: big })));

describe('runFilters()', () => {
  it('returns the nodes every filter accepts', () => {
    const { feasible } = runFilters(podRequesting({ cpu: '1' }), five((i) => (i === 2 ? makeNode('n2', { allocatable: small }) : undefined)), defaultFilterPlugins);
    assert.deepEqual(feasible.map((n) => n.name), ['n1', 'n3', 'n4', 'n5']);
  });
  it('examines only the node a daemon pod is pinned to', () => {
    const { feasible, diagnosis } = runFilters(daemonPod('n3'), five(), defaultFilterPlugins);
    assert.deepEqual({ feasible: feasible.map((n) => n.name), explicit: diagnosis.nodeToStatus.size }, { feasible: ['n3'], explicit: 0 });
  });
  it('reports only the first plugin that rejects a node', () => {
    const cordonedAndTainted = makeNode('n1', { unschedulable: true, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] });
    const { diagnosis } = runFilters(makePod(), nodes(cordonedAndTainted), defaultFilterPlugins);
    assert.deepEqual(diagnosis.nodeToStatus.get('n1'), { plugin: 'NodeUnschedulable', reasons: ['node(s) were unschedulable'], unresolvable: true });
  });
});

describe('failedSchedulingMessage()', () => {
  const cases: { name: string; pod: Pod; cluster: ReturnType<typeof nodes>; want: string }[] = [
    {
      name: 'daemon pod pinned by matchFields to a 5-node cluster where its node is too small for it',
      pod: daemonPod('n3', { cpu: '1' }),
      cluster: five((i) => (i === 3 ? makeNode('n3', { allocatable: small }) : undefined)),
      want:
        "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    },
    {
      name: 'daemon pod whose node lacks room that other pods hold',
      pod: daemonPod('n3', { cpu: '1' }),
      cluster: five().map((info) => (info.name === 'n3' ? newNodeInfo(info.node, [podRequesting({ cpu: '3500m' })]) : info)),
      want:
        "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.',
    },
    {
      name: 'daemon pod pinned to a node that does not exist',
      pod: daemonPod('gone'),
      cluster: five(),
      want: "0/5 nodes are available: 5 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.",
    },
    {
      name: 'pod with a node selector: one node matches but lacks cpu',
      pod: makePod({ nodeSelector: { pool: 'x' }, containers: [{ name: 'c', resources: { requests: { cpu: '500m' } } }] }),
      cluster: five((i) => (i === 1 ? makeNode('n1', { labels: { pool: 'x' }, allocatable: { ...big, cpu: '1' } }) : undefined)).map((info) =>
        info.name === 'n1' ? newNodeInfo(info.node, [podRequesting({ cpu: '600m' })]) : info,
      ),
      want:
        "0/5 nodes are available: 1 Insufficient cpu, 4 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/5 nodes are available: 1 No preemption victims found for incoming pod, 4 Preemption is not helpful for scheduling.',
    },
    {
      name: 'taints, cordons and memory mixed, sorted as strings',
      pod: podRequesting({ memory: '6Gi' }),
      cluster: nodes(
        makeNode('n1', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], allocatable: big }),
        makeNode('n2', { unschedulable: true, allocatable: big }),
        makeNode('n3', { allocatable: small }),
        makeNode('n4', { allocatable: small }),
        makeNode('n5', { allocatable: small }),
      ),
      want:
        '0/5 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were unschedulable, 3 Insufficient memory. ' +
        'preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    },
    {
      name: 'a node short of two resources counts for each; "10 …" sorts before "2 …"',
      pod: podRequesting({ cpu: '2', memory: '2Gi' }),
      cluster: nodes(
        ...Array.from({ length: 10 }, (_, i) => makeNode(`m${i}`, { allocatable: { cpu: '4', memory: '1Gi', pods: '10' } })),
        makeNode('c1', { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } }),
        makeNode('c2', { allocatable: { cpu: '1', memory: '4Gi', pods: '10' } }),
      ),
      want: '0/12 nodes are available: 11 Insufficient memory, 2 Insufficient cpu. preemption: 0/12 nodes are available: 12 Preemption is not helpful for scheduling.',
    },
    {
      name: 'host port taken',
      pod: makePod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] }),
      cluster: [newNodeInfo(makeNode('n1'), [makePod({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] })])],
      want: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
    },
    {
      name: 'contradicting name terms fail in the pre-filter',
      pod: makePod({
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }, { key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
            },
          },
        },
      }),
      cluster: five(),
      want: '0/5 nodes are available: pod affinity terms conflict. preemption: 0/5 nodes are available: 5 Preemption is not helpful for scheduling.',
    },
    {
      name: 'preemptionPolicy Never',
      pod: { ...podRequesting({ cpu: '8' }), spec: { ...podRequesting({ cpu: '8' }).spec, preemptionPolicy: 'Never' } },
      cluster: nodes(makeNode('n1', { allocatable: { ...big, cpu: '16' } })).map((info) => newNodeInfo(info.node, [podRequesting({ cpu: '10' })])),
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    },
    {
      name: 'lower-priority pods whose eviction would not be enough: the dry run reports the filter reason',
      pod: { ...podRequesting({ cpu: '2' }), spec: { ...podRequesting({ cpu: '2' }).spec, priority: 100 } },
      cluster: [newNodeInfo(makeNode('n1', { allocatable: { cpu: '2', pods: '10' } }), [prioritized(podRequesting({ cpu: '500m' }), 0), prioritized(podRequesting({ cpu: '1' }), 1000)])],
      want: '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    },
    {
      name: 'lower-priority pods whose eviction would make room: no preemption sentence',
      pod: { ...podRequesting({ cpu: '2' }), spec: { ...podRequesting({ cpu: '2' }).spec, priority: 100 } },
      cluster: [newNodeInfo(makeNode('n1', { allocatable: { cpu: '2', pods: '10' } }), [prioritized(podRequesting({ cpu: '500m' }), 0)])],
      want: '0/1 nodes are available: 1 Insufficient cpu.',
    },
    { name: 'an empty cluster', pod: makePod(), cluster: [], want: 'no nodes available to schedule pods' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { diagnosis } = runFilters(c.pod, c.cluster, defaultFilterPlugins);
      assert.equal(failedSchedulingMessage(c.pod, c.cluster.length, diagnosis, { nodeInfos: c.cluster, plugins: defaultFilterPlugins }), c.want);
    });
  }
});

describe('fitErrorMessage()', () => {
  it('leaves out the preemption part when there is no post-filter message', () => {
    const { diagnosis } = runFilters(podRequesting({ cpu: '1' }), nodes(makeNode('n1', { allocatable: small })), defaultFilterPlugins);
    assert.equal(fitErrorMessage(1, diagnosis), '0/1 nodes are available: 1 Insufficient cpu.');
  });
});
