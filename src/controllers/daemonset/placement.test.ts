import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet, Node, NodeSelectorTerm, Taint, Toleration } from '../../api/types.js';
import {
  findMatchingUntoleratedTaint,
  isExecutionTaint,
  isSchedulingTaint,
  newPod,
  nodeShouldRunDaemonPod,
  tolerationToleratesTaint,
} from './placement.js';
import { newDaemonSet, newNode } from './testing.js';

const runs = { shouldRun: true, shouldContinueRunning: true };
const stays = { shouldRun: false, shouldContinueRunning: true };
const never = { shouldRun: false, shouldContinueRunning: false };

function requiredTerms(...nodeSelectorTerms: NodeSelectorTerm[]): DaemonSet['spec']['template']['spec']['affinity'] {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } };
}

describe('nodeShouldRunDaemonPod()', () => {
  const cases: { name: string; ds: DaemonSet; node: Node; want: typeof runs }[] = [
    { name: 'runs on a plain node', ds: newDaemonSet(), node: newNode('node-1'), want: runs },
    {
      name: 'ignores resources: a pod bigger than the node still runs',
      ds: newDaemonSet({ containers: [{ name: 'big', image: 'x', resources: { requests: { cpu: '64', memory: '1Ti' } } }] }),
      node: { ...newNode('node-1'), status: { allocatable: { cpu: '1', memory: '1Gi', pods: '0' } } },
      want: runs,
    },
    { name: 'never runs when the template nodeName names another node', ds: newDaemonSet({ nodeName: 'node-2' }), node: newNode('node-1'), want: never },
    { name: 'runs when the template nodeName names this node', ds: newDaemonSet({ nodeName: 'node-1' }), node: newNode('node-1'), want: runs },
    {
      name: 'runs when the nodeSelector matches the node labels',
      ds: newDaemonSet({ nodeSelector: { disk: 'ssd' } }),
      node: newNode('node-1', { labels: { disk: 'ssd', zone: 'a' } }),
      want: runs,
    },
    {
      name: 'never runs when a nodeSelector value differs',
      ds: newDaemonSet({ nodeSelector: { disk: 'ssd' } }),
      node: newNode('node-1', { labels: { disk: 'hdd' } }),
      want: never,
    },
    {
      name: 'never runs when a nodeSelector key is missing',
      ds: newDaemonSet({ nodeSelector: { disk: 'ssd', zone: 'a' } }),
      node: newNode('node-1', { labels: { disk: 'ssd' } }),
      want: never,
    },
    {
      name: 'runs when affinity In matches',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }) }),
      node: newNode('node-1', { labels: { zone: 'b' } }),
      want: runs,
    },
    {
      name: 'never runs when affinity In does not match',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }) }),
      node: newNode('node-1', { labels: { zone: 'b' } }),
      want: never,
    },
    {
      name: 'never runs when affinity NotIn names the node label value',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }) }),
      node: newNode('node-1', { labels: { zone: 'b' } }),
      want: never,
    },
    {
      name: 'runs when affinity NotIn is given a node without the label',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }) }),
      node: newNode('node-1'),
      want: runs,
    },
    {
      name: 'runs when affinity Exists finds the label',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }) }),
      node: newNode('node-1', { labels: { gpu: '' } }),
      want: runs,
    },
    {
      name: 'never runs when affinity DoesNotExist finds the label',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }) }),
      node: newNode('node-1', { labels: { gpu: 'yes' } }),
      want: never,
    },
    {
      name: 'runs when affinity Gt holds for an integer label',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }) }),
      node: newNode('node-1', { labels: { cores: '16' } }),
      want: runs,
    },
    {
      name: 'never runs when affinity Lt compares numbers, not text (10 is not below 9)',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['9'] }] }) }),
      node: newNode('node-1', { labels: { cores: '10' } }),
      want: never,
    },
    {
      name: 'never runs when affinity Gt meets a label that is not an integer',
      ds: newDaemonSet({ affinity: requiredTerms({ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['1'] }] }) }),
      node: newNode('node-1', { labels: { cores: 'many' } }),
      want: never,
    },
    {
      name: 'runs when matchFields metadata.name In names the node',
      ds: newDaemonSet({ affinity: requiredTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }) }),
      node: newNode('node-1'),
      want: runs,
    },
    {
      name: 'never runs when matchFields metadata.name In names another node',
      ds: newDaemonSet({ affinity: requiredTerms({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }) }),
      node: newNode('node-1'),
      want: never,
    },
    {
      name: 'never runs when matchFields metadata.name NotIn names the node',
      ds: newDaemonSet({ affinity: requiredTerms({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-1'] }] }) }),
      node: newNode('node-1'),
      want: never,
    },
    {
      name: 'never runs when matchFields uses a field other than metadata.name',
      ds: newDaemonSet({ affinity: requiredTerms({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['node-1'] }] }) }),
      node: newNode('node-1'),
      want: never,
    },
    {
      name: 'never runs when matchExpressions and matchFields of one term do not both hold',
      ds: newDaemonSet({
        affinity: requiredTerms({
          matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }],
          matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
        }),
      }),
      node: newNode('node-1', { labels: { zone: 'b' } }),
      want: never,
    },
    {
      name: 'runs when any one of several terms matches',
      ds: newDaemonSet({
        affinity: requiredTerms(
          { matchExpressions: [{ key: 'zone', operator: 'In', values: ['test'] }] },
          { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
        ),
      }),
      node: newNode('node-1'),
      want: runs,
    },
    { name: 'never runs when the required term list is empty', ds: newDaemonSet({ affinity: requiredTerms() }), node: newNode('node-1'), want: never },
    { name: 'never runs when the only term is empty', ds: newDaemonSet({ affinity: requiredTerms({}) }), node: newNode('node-1'), want: never },
    {
      name: 'runs through a valid term when another term is malformed (In without values)',
      ds: newDaemonSet({
        affinity: requiredTerms(
          { matchExpressions: [{ key: 'zone', operator: 'In', values: [] }] },
          { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
        ),
      }),
      node: newNode('node-1', { labels: { zone: 'a' } }),
      want: runs,
    },
    {
      name: 'never runs when the nodeSelector fails even though affinity matches',
      ds: newDaemonSet({ nodeSelector: { disk: 'ssd' }, affinity: requiredTerms({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }) }),
      node: newNode('node-1', { labels: { zone: 'a' } }),
      want: never,
    },
    {
      name: 'ignores preferred affinity',
      ds: newDaemonSet({
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['x'] }] } }],
          },
        },
      }),
      node: newNode('node-1'),
      want: runs,
    },
    {
      name: 'keeps a running pod but places no new one on a node tainted NoSchedule',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
      want: stays,
    },
    {
      name: 'runs on a node tainted NoSchedule when the template tolerates it',
      ds: newDaemonSet({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }),
      node: newNode('node-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
      want: runs,
    },
    {
      name: 'never runs on a node tainted NoExecute that is not tolerated',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }),
      want: never,
    },
    {
      name: 'runs on a node tainted NoExecute when the template tolerates it',
      ds: newDaemonSet({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }] }),
      node: newNode('node-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }),
      want: runs,
    },
    {
      name: 'never runs when the NoSchedule taint is tolerated but the NoExecute one is not',
      ds: newDaemonSet({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule' }] }),
      node: newNode('node-1', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] }),
      want: never,
    },
    {
      name: 'keeps a running pod when the NoExecute taint is tolerated but the NoSchedule one is not',
      ds: newDaemonSet({ tolerations: [{ key: 'b', operator: 'Exists', effect: 'NoExecute' }] }),
      node: newNode('node-1', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'NoExecute' }] }),
      want: stays,
    },
    {
      name: 'ignores a PreferNoSchedule taint',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'dedicated', effect: 'PreferNoSchedule' }] }),
      want: runs,
    },
    {
      name: 'runs on a node tainted with anything when the template tolerates everything',
      ds: newDaemonSet({ tolerations: [{ operator: 'Exists' }] }),
      node: newNode('node-1', { taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'b', value: 'c', effect: 'NoExecute' }] }),
      want: runs,
    },
    {
      name: 'does not treat a toleration with a different value as tolerating',
      ds: newDaemonSet({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoExecute' }] }),
      node: newNode('node-1', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }),
      want: never,
    },
    {
      name: 'runs on a cordoned node (unschedulable taint tolerated automatically)',
      ds: newDaemonSet(),
      node: newNode('node-1', { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }),
      want: runs,
    },
    { name: 'runs on a node with spec.unschedulable and no taint', ds: newDaemonSet(), node: newNode('node-1', { unschedulable: true }), want: runs },
    {
      name: 'runs on a not-ready node tainted NoExecute (tolerated automatically)',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }),
      want: runs,
    },
    {
      name: 'runs on an unreachable node tainted NoExecute (tolerated automatically)',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }),
      want: runs,
    },
    {
      name: 'keeps a running pod but places no new one on a not-ready node tainted NoSchedule',
      ds: newDaemonSet(),
      node: newNode('node-1', {
        taints: [
          { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' },
        ],
      }),
      want: stays,
    },
    {
      name: 'runs on a node under memory, disk and pid pressure (tolerated automatically)',
      ds: newDaemonSet(),
      node: newNode('node-1', {
        taints: [
          { key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/disk-pressure', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/pid-pressure', effect: 'NoSchedule' },
        ],
      }),
      want: runs,
    },
    {
      name: 'runs a hostNetwork pod on a node whose network is unavailable',
      ds: newDaemonSet({ hostNetwork: true }),
      node: newNode('node-1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }),
      want: runs,
    },
    {
      name: 'places no new pod-network pod on a node whose network is unavailable',
      ds: newDaemonSet(),
      node: newNode('node-1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }),
      want: stays,
    },
    {
      // Upstream does not look at the node's deletionTimestamp either; the node informer drops it once gone.
      name: 'ignores a node deletionTimestamp, as upstream does',
      ds: newDaemonSet(),
      node: newNode('node-1', { meta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      want: runs,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(nodeShouldRunDaemonPod(c.node, c.ds), c.want);
    });
  }

  it('selects node-1, node-2 and node-3 out of six for "zone In [test]" OR "metadata.name In [node-1]"', () => {
    const ds = newDaemonSet({
      affinity: requiredTerms(
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['test'] }] },
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] },
      ),
    });
    const nodes = [0, 1, 2, 3, 4, 5].map((i) => newNode(`node-${i}`, { labels: i === 2 || i === 3 ? { zone: 'test' } : {} }));
    const selected = nodes.filter((node) => nodeShouldRunDaemonPod(node, ds).shouldRun).map((node) => node.metadata.name);
    assert.deepEqual(selected, ['node-1', 'node-2', 'node-3']);
  });

  it('does not modify the DaemonSet', () => {
    const ds = newDaemonSet({ tolerations: [{ key: 'a', operator: 'Exists' }] });
    const before = structuredClone(ds);
    nodeShouldRunDaemonPod(newNode('node-1', { taints: [{ key: 'b', effect: 'NoSchedule' }] }), ds);
    assert.deepEqual(ds, before);
  });
});

describe('newPod()', () => {
  it('builds the simulated pod: namespace, nodeName and automatic tolerations', () => {
    const pod = newPod(newDaemonSet({ tolerations: [{ key: 'a', operator: 'Exists' }] }), 'node-1');
    assert.deepEqual(
      { namespace: pod.metadata.namespace, nodeName: pod.spec.nodeName, tolerationKeys: pod.spec.tolerations?.map((t) => t.key) },
      {
        namespace: 'default',
        nodeName: 'node-1',
        tolerationKeys: [
          'a',
          'node.kubernetes.io/not-ready',
          'node.kubernetes.io/unreachable',
          'node.kubernetes.io/disk-pressure',
          'node.kubernetes.io/memory-pressure',
          'node.kubernetes.io/pid-pressure',
          'node.kubernetes.io/unschedulable',
        ],
      },
    );
  });
});

describe('tolerationToleratesTaint()', () => {
  const taint: Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };
  const cases: { name: string; toleration: Toleration; taint?: Taint; want: boolean }[] = [
    { name: 'tolerates with equal key, value and effect', toleration: { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }, want: true },
    { name: 'treats an absent operator as Equal', toleration: { key: 'dedicated', value: 'db', effect: 'NoSchedule' }, want: true },
    { name: 'does not tolerate a different value under Equal', toleration: { key: 'dedicated', value: 'web', effect: 'NoSchedule' }, want: false },
    { name: 'ignores the value under Exists', toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }, want: true },
    { name: 'does not tolerate another key', toleration: { key: 'other', operator: 'Exists' }, want: false },
    { name: 'does not tolerate another effect', toleration: { key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, want: false },
    { name: 'matches every effect when the effect is empty', toleration: { key: 'dedicated', operator: 'Exists' }, want: true },
    { name: 'matches every key with an empty key and Exists', toleration: { operator: 'Exists' }, want: true },
    {
      name: 'treats an absent taint value as empty under Equal',
      toleration: { key: 'k', operator: 'Equal', value: '' },
      taint: { key: 'k', effect: 'NoExecute' },
      want: true,
    },
    { name: 'tolerates nothing with an unknown operator', toleration: { key: 'dedicated', operator: 'Lt' as 'Exists' }, want: false },
    {
      name: 'ignores tolerationSeconds',
      toleration: { key: 'dedicated', operator: 'Exists', tolerationSeconds: 0 },
      want: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(tolerationToleratesTaint(c.toleration, c.taint ?? taint), c.want);
    });
  }
});

describe('findMatchingUntoleratedTaint()', () => {
  const taints: Taint[] = [
    { key: 'soft', effect: 'PreferNoSchedule' },
    { key: 'sched', effect: 'NoSchedule' },
    { key: 'exec', effect: 'NoExecute' },
  ];
  const cases: { name: string; tolerations: Toleration[]; filter?: (t: Taint) => boolean; want: string | undefined }[] = [
    { name: 'returns the first untolerated taint without a filter', tolerations: [], want: 'soft' },
    { name: 'skips PreferNoSchedule with the scheduling filter', tolerations: [], filter: isSchedulingTaint, want: 'sched' },
    { name: 'looks only at NoExecute with the execution filter', tolerations: [], filter: isExecutionTaint, want: 'exec' },
    { name: 'skips tolerated taints', tolerations: [{ key: 'sched', operator: 'Exists' }], filter: isSchedulingTaint, want: 'exec' },
    { name: 'returns undefined when every selected taint is tolerated', tolerations: [{ key: 'exec', operator: 'Exists' }], filter: isExecutionTaint, want: undefined },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(findMatchingUntoleratedTaint(taints, c.tolerations, c.filter)?.key, c.want);
    });
  }

  it('returns undefined for a node without taints', () => {
    assert.equal(findMatchingUntoleratedTaint(undefined, undefined, isSchedulingTaint), undefined);
  });
});
