import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonSet, DaemonSetUpdateStrategy, IntOrString, Node, Pod } from '../../api/types.js';
import { computeHash } from './history.js';
import { getNodesToDaemonPods, getTargetNodeName } from './pinning.js';
import { newDaemonPod } from './pod-template.js';
import {
  allowsSurge,
  findUpdatedPodsOnNode,
  getScaledValueFromIntOrPercent,
  planRollingUpdate,
  surgeCount,
  unavailableCount,
  updatedDesiredNodeCounts,
} from './rolling-update.js';
import { isPodReady } from './status.js';
import { manage } from './sync.js';
import { newDaemonSet, newNode, newTestPod, newUpdateSurge, newUpdateUnavailable, simpleDaemonSetLabel } from './testing.js';

const names = (pods: readonly Pod[]) => pods.map((pod) => pod.metadata.name);
const at = (second: number) => new Date(second * 1000);
const iso = (second: number) => at(second).toISOString();
const addNodes = (count: number): Node[] => Array.from({ length: count }, (_, i) => newNode(`node-${i}`));
const withStrategy = (strategy: DaemonSetUpdateStrategy, minReadySeconds?: number): DaemonSet => {
  const ds = newDaemonSet();
  ds.spec.updateStrategy = strategy;
  if (minReadySeconds !== undefined) ds.spec.minReadySeconds = minReadySeconds;
  return ds;
};
const readyPod = (name: string, nodeName: string, labels: Record<string, string> = { ...simpleDaemonSetLabel }) =>
  newTestPod(name, { nodeName, labels, ready: true, readySince: iso(0) });

describe('getScaledValueFromIntOrPercent()', () => {
  const cases: { name: string; value: IntOrString; total: number; roundUp?: boolean; want: number }[] = [
    { name: 'keeps an integer', value: 3, total: 10, want: 3 },
    { name: 'keeps an integer above the total', value: 3, total: 0, want: 3 },
    { name: 'rounds 50% of 2 to 1', value: '50%', total: 2, want: 1 },
    { name: 'rounds 50% of 3 up to 2', value: '50%', total: 3, want: 2 },
    { name: 'rounds 20% of 5 to 1', value: '20%', total: 5, want: 1 },
    { name: 'rounds 25% of 5 up to 2', value: '25%', total: 5, want: 2 },
    { name: 'scales 100% of 2 to 2', value: '100%', total: 2, want: 2 },
    { name: 'scales any percentage of 0 to 0', value: '50%', total: 0, want: 0 },
    { name: 'scales 0% to 0', value: '0%', total: 7, want: 0 },
    { name: 'rounds down when asked', value: '25%', total: 5, roundUp: false, want: 1 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(getScaledValueFromIntOrPercent(c.value, c.total, c.roundUp ?? true), c.want));

  const errors: { name: string; value: IntOrString | undefined; message: string }[] = [
    { name: 'refuses an absent value', value: undefined, message: 'nil value for IntOrString' },
    { name: 'refuses a string without %', value: '5', message: 'invalid value for IntOrString: invalid type: string is not a percentage' },
    { name: 'refuses a percentage that is no integer', value: 'x%', message: 'invalid value for IntOrString: strconv.Atoi: parsing "x": invalid syntax' },
  ];
  for (const c of errors) it(c.name, () => assert.throws(() => getScaledValueFromIntOrPercent(c.value, 4, true), { name: 'InvalidBudgetError', message: c.message }));
});

describe('surgeCount(), unavailableCount() and allowsSurge()', () => {
  const cases: { name: string; strategy: DaemonSetUpdateStrategy; total: number; surge: number; unavailable: number; allows: boolean }[] = [
    { name: 'OnDelete has no budgets, whatever it holds', strategy: { type: 'OnDelete', rollingUpdate: { maxUnavailable: 3, maxSurge: 3 } }, total: 5, surge: 0, unavailable: 0, allows: false },
    { name: 'maxUnavailable only', strategy: newUpdateUnavailable('40%'), total: 5, surge: 0, unavailable: 2, allows: false },
    { name: 'maxSurge absent counts as 0', strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } }, total: 5, surge: 0, unavailable: 1, allows: false },
    { name: 'a surge percentage scales against the total', strategy: newUpdateSurge('30%'), total: 10, surge: 3, unavailable: 0, allows: true },
    { name: 'any surge percentage allows a second pod on one node', strategy: newUpdateSurge('1%'), total: 10, surge: 1, unavailable: 0, allows: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ds = withStrategy(c.strategy);
      assert.deepEqual([surgeCount(ds, c.total), unavailableCount(ds, c.total), allowsSurge(ds)], [c.surge, c.unavailable, c.allows]);
    });
  }
  it('does not allow surge when maxSurge cannot be read', () => assert.equal(allowsSurge(withStrategy(newUpdateSurge('abc'))), false));
  it('refuses RollingUpdate without maxUnavailable (defaulting bypassed)', () => {
    assert.throws(() => unavailableCount(withStrategy({ type: 'RollingUpdate', rollingUpdate: {} }), 3), /nil value for IntOrString/);
  });
});

describe('updatedDesiredNodeCounts()', () => {
  // Upstream's TestGetUnavailableNumbers, as §5.3's table.
  const pods = (count: number) => Array.from({ length: count }, (_, i) => readyPod(`pod-${i}`, `node-${i}`));
  const terminating = newTestPod('pod-1', { nodeName: 'node-1', ready: true, deletionTimestamp: iso(0) });
  const cases: { name: string; nodes: number; strategy: DaemonSetUpdateStrategy; pods: Pod[]; maxSurge: number; maxUnavailable: number; emptyNodes: number }[] = [
    { name: 'no nodes: no fallback', nodes: 0, strategy: newUpdateUnavailable(0), pods: [], maxSurge: 0, maxUnavailable: 0, emptyNodes: 0 },
    { name: 'two nodes with ready pods', nodes: 2, strategy: newUpdateUnavailable(1), pods: pods(2), maxSurge: 0, maxUnavailable: 1, emptyNodes: 0 },
    { name: 'two nodes, one without pods, both budgets 0: falls back to 1', nodes: 2, strategy: newUpdateUnavailable(0), pods: pods(1), maxSurge: 0, maxUnavailable: 1, emptyNodes: 1 },
    { name: 'two nodes, one without pods, surge 0: falls back to 1', nodes: 2, strategy: newUpdateSurge(0), pods: pods(1), maxSurge: 0, maxUnavailable: 1, emptyNodes: 1 },
    { name: 'two nodes, maxUnavailable 50%', nodes: 2, strategy: newUpdateUnavailable('50%'), pods: pods(2), maxSurge: 0, maxUnavailable: 1, emptyNodes: 0 },
    { name: 'two nodes, maxSurge 50%', nodes: 2, strategy: newUpdateSurge('50%'), pods: pods(2), maxSurge: 1, maxUnavailable: 0, emptyNodes: 0 },
    { name: 'two nodes, maxSurge 100%', nodes: 2, strategy: newUpdateSurge('100%'), pods: pods(2), maxSurge: 2, maxUnavailable: 0, emptyNodes: 0 },
    {
      name: 'three nodes, pods on two (one terminating), maxUnavailable 50%',
      nodes: 3,
      strategy: newUpdateUnavailable('50%'),
      pods: [readyPod('pod-0', 'node-0'), terminating],
      maxSurge: 0,
      maxUnavailable: 2,
      emptyNodes: 1,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const nodeToDaemonPods = getNodesToDaemonPods(c.pods);
      const counts = updatedDesiredNodeCounts(withStrategy(c.strategy), addNodes(c.nodes));
      const emptyNodes = [...counts.desiredNodes].filter((name) => !nodeToDaemonPods.has(name)).length;
      assert.deepEqual({ maxSurge: counts.maxSurge, maxUnavailable: counts.maxUnavailable, emptyNodes }, { maxSurge: c.maxSurge, maxUnavailable: c.maxUnavailable, emptyNodes: c.emptyNodes });
    });
  }
  it('scales against the nodes where the DaemonSet should run only', () => {
    const nodes = [...addNodes(3), newNode('tainted', { taints: [{ key: 'k', effect: 'NoSchedule' }] })];
    const counts = updatedDesiredNodeCounts(withStrategy(newUpdateUnavailable('100%')), nodes);
    assert.deepEqual([counts.desiredNumberScheduled, counts.maxUnavailable, [...counts.desiredNodes]], [3, 3, ['node-0', 'node-1', 'node-2']]);
  });
  it('names the budget it cannot read', () => {
    assert.throws(() => updatedDesiredNodeCounts(withStrategy(newUpdateUnavailable('x')), addNodes(1)), {
      message: 'invalid value for MaxUnavailable: invalid value for IntOrString: invalid type: string is not a percentage',
    });
    assert.throws(() => updatedDesiredNodeCounts(withStrategy(newUpdateSurge('y%')), addNodes(1)), { message: /^invalid value for MaxSurge: / });
  });
});

describe('findUpdatedPodsOnNode()', () => {
  const hash = 'h-new';
  const pod = (name: string, labels: Record<string, string>, deleting = false) =>
    newTestPod(name, { labels, ...(deleting ? { deletionTimestamp: iso(0) } : {}) });
  const fresh = { 'controller-revision-hash': hash };
  const stale = { 'controller-revision-hash': 'h-old' };
  const cases: { name: string; pods: Pod[]; generation?: bigint; want: { newPod?: string; oldPod?: string; ok: boolean } }[] = [
    { name: 'finds nothing on an empty node', pods: [], want: { ok: true } },
    { name: 'splits one new and one old pod', pods: [pod('a', stale), pod('b', fresh)], want: { newPod: 'b', oldPod: 'a', ok: true } },
    { name: 'is not ok with two new pods', pods: [pod('a', fresh), pod('b', fresh)], want: { ok: false } },
    { name: 'is not ok with two old pods', pods: [pod('a', stale), pod('b', {})], want: { ok: false } },
    { name: 'skips pods being deleted', pods: [pod('a', stale, true), pod('b', stale)], want: { oldPod: 'b', ok: true } },
    { name: 'takes a matching template generation as new', pods: [pod('a', { ...stale, 'pod-template-generation': '4' })], generation: 4n, want: { newPod: 'a', ok: true } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const found = findUpdatedPodsOnNode(c.pods, hash, c.generation);
      assert.deepEqual({ newPod: found.newPod?.metadata.name, oldPod: found.oldPod?.metadata.name, ok: found.ok }, { newPod: undefined, oldPod: undefined, ...c.want });
    });
  }
});

describe('planRollingUpdate()', () => {
  const hash = 'h-new';
  const fresh = { ...simpleDaemonSetLabel, 'controller-revision-hash': hash };
  const stale = { ...simpleDaemonSetLabel, 'controller-revision-hash': 'h-old' };
  const oldReady = (name: string, nodeName: string) => readyPod(name, nodeName, stale);
  const oldUnready = (name: string, nodeName: string) => newTestPod(name, { nodeName, labels: stale, ready: false });
  const newReady = (name: string, nodeName: string) => readyPod(name, nodeName, fresh);
  const newUnready = (name: string, nodeName: string) => newTestPod(name, { nodeName, labels: fresh });
  const tainted = (name: string, effect: 'NoSchedule' | 'NoExecute' = 'NoSchedule') => newNode(name, { taints: [{ key: 'k', effect }] });
  const plan = (ds: DaemonSet, nodes: Node[], pods: Pod[], now = 100) =>
    planRollingUpdate({ ds, nodes, nodeToDaemonPods: getNodesToDaemonPods(pods), hash, now: at(now) });
  const cases: { name: string; ds: DaemonSet; nodes: Node[]; pods: Pod[]; deleted: string[]; created: string[] }[] = [
    {
      name: 'without surge: deletes available old pods up to maxUnavailable',
      ds: withStrategy(newUpdateUnavailable(2)),
      nodes: addNodes(4),
      pods: [oldReady('a', 'node-0'), oldReady('b', 'node-1'), oldReady('c', 'node-2'), oldReady('d', 'node-3')],
      deleted: ['a', 'b'],
      created: [],
    },
    {
      name: 'without surge: unavailable old pods go whatever the budget',
      ds: withStrategy(newUpdateUnavailable(1)),
      nodes: addNodes(3),
      pods: [oldUnready('a', 'node-0'), oldUnready('b', 'node-1'), oldReady('c', 'node-2')],
      deleted: ['a', 'b'],
      created: [],
    },
    {
      name: 'without surge: an empty node, a node with two kinds and an unavailable new pod use the budget',
      ds: withStrategy(newUpdateUnavailable(3)),
      nodes: addNodes(5),
      pods: [oldReady('a', 'node-1'), newUnready('b', 'node-1'), newUnready('c', 'node-2'), oldReady('d', 'node-3'), oldReady('e', 'node-4')],
      deleted: [],
      created: [],
    },
    {
      name: 'without surge: a node with two old pods is left to manage and counts as unavailable',
      ds: withStrategy(newUpdateUnavailable(2)),
      nodes: addNodes(3),
      pods: [oldReady('a', 'node-0'), oldReady('b', 'node-0'), oldReady('c', 'node-1'), oldReady('d', 'node-2')],
      deleted: ['c'],
      created: [],
    },
    {
      name: 'without surge: a pod kept on a node that no longer wants it is old and goes within the budget',
      ds: withStrategy(newUpdateUnavailable(1)),
      nodes: [newNode('node-0'), tainted('node-1')],
      pods: [newReady('a', 'node-0'), oldReady('b', 'node-1')],
      deleted: ['b'],
      created: [],
    },
    {
      name: 'without surge: a pod of the current template generation counts as new',
      ds: { ...withStrategy(newUpdateUnavailable(1)), metadata: { ...newDaemonSet().metadata, annotations: { 'deprecated.daemonset.template.generation': '3' } } },
      nodes: addNodes(2),
      pods: [readyPod('a', 'node-0', { ...stale, 'pod-template-generation': '3' }), oldReady('b', 'node-1')],
      deleted: ['b'],
      created: [],
    },
    {
      name: 'surge: starts new pods next to available old ones, up to maxSurge',
      ds: withStrategy(newUpdateSurge(2)),
      nodes: addNodes(4),
      pods: [oldReady('a', 'node-0'), oldReady('b', 'node-1'), oldReady('c', 'node-2'), oldReady('d', 'node-3')],
      deleted: [],
      created: ['node-0', 'node-1'],
    },
    {
      name: 'surge: an unavailable old pod gets its replacement at once, beyond maxSurge',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: addNodes(3),
      pods: [oldReady('a', 'node-0'), newUnready('a2', 'node-0'), oldUnready('b', 'node-1'), oldUnready('c', 'node-2')],
      deleted: [],
      created: ['node-1', 'node-2'],
    },
    {
      name: 'surge: an old pod goes once the new pod beside it is available',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: addNodes(2),
      pods: [oldReady('a', 'node-0'), newReady('a2', 'node-0'), oldReady('b', 'node-1')],
      deleted: ['a'],
      created: ['node-1'],
    },
    {
      name: 'surge: an unavailable old pod on a node that no longer wants it is deleted',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: [newNode('node-0'), tainted('node-1')],
      pods: [newReady('a', 'node-0'), oldUnready('b', 'node-1')],
      deleted: ['b'],
      created: [],
    },
    {
      name: 'surge: an available old pod on a node that no longer wants it waits while availability would drop',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: [newNode('node-0'), newNode('node-1'), tainted('node-2')],
      pods: [newReady('a', 'node-0'), newUnready('b', 'node-1'), oldReady('c', 'node-2')],
      deleted: [],
      created: [],
    },
    {
      name: 'surge: an available old pod on a node that no longer wants it goes once more nodes are available than desired',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: [newNode('node-0'), newNode('node-1'), tainted('node-2')],
      pods: [newReady('a', 'node-0'), newReady('b', 'node-1'), oldReady('c', 'node-2')],
      deleted: ['c'],
      created: [],
    },
    {
      name: 'surge: a node missing from the node list counts as one that no longer wants the pod',
      ds: withStrategy(newUpdateSurge(1)),
      nodes: addNodes(1),
      // b is unavailable: it goes. c is available, but 2 available nodes are more than the 1 desired: it goes too.
      pods: [newReady('a', 'node-0'), oldUnready('b', 'gone'), oldReady('c', 'gone-too')],
      deleted: ['b', 'c'],
      created: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = plan(c.ds, c.nodes, c.pods);
      assert.deepEqual({ deleted: names(result.podsToDelete), created: result.nodesNeedingDaemonPods }, { deleted: c.deleted, created: c.created });
    });
  }

  it('waits for minReadySeconds before an old pod counts as replaced (surge)', () => {
    const ds = withStrategy(newUpdateSurge(1), 15);
    const pods = [oldReady('a', 'node-0'), newTestPod('a2', { nodeName: 'node-0', labels: fresh, ready: true, readySince: iso(50) })];
    assert.deepEqual(names(plan(ds, addNodes(1), pods, 60).podsToDelete), []);
    assert.deepEqual(names(plan(ds, addNodes(1), pods, 70).podsToDelete), ['a']);
  });

  it('throws for an unreadable budget', () => {
    assert.throws(() => plan(withStrategy(newUpdateUnavailable('abc')), addNodes(1), []), /invalid value for MaxUnavailable/);
  });
});

/**
 * A pure multi-pass harness in the manner of upstream's update tests: one pass is manage, then one
 * rolling-update step, each seeing the writes of the one before at once (upstream's fake pod control
 * observes creates and deletes immediately and removes deleted pods from the store).
 */
class Simulation {
  pods: Pod[] = [];
  private now = 0;
  private seq = 0;

  constructor(
    readonly ds: DaemonSet,
    readonly nodes: Node[],
  ) {}

  get hash(): string {
    return computeHash(this.ds.spec.template, this.ds.status?.collisionCount);
  }

  setTime(second: number): void {
    this.now = second;
  }

  /** One sync: returns [creates, deletes]. */
  pass(): [number, number] {
    const now = at(this.now);
    const hash = this.hash;
    const managed = manage(this.ds, this.nodes, getNodesToDaemonPods(this.pods), { hash, now });
    let creates = this.apply(managed.nodesNeedingDaemonPods, managed.podsToDelete);
    let deletes = managed.podsToDelete.length;
    if (this.ds.spec.updateStrategy?.type === 'RollingUpdate') {
      const step = planRollingUpdate({ ds: this.ds, nodes: this.nodes, nodeToDaemonPods: getNodesToDaemonPods(this.pods), hash, now });
      creates += this.apply(step.nodesNeedingDaemonPods, step.podsToDelete);
      deletes += step.podsToDelete.length;
    }
    return [creates, deletes];
  }

  /**
   * Marks up to `count` pods (all when absent) that are not being deleted, whose readiness differs and that
   * `filter` accepts, with the Ready condition changing now (upstream's setPodReadiness).
   */
  setReadiness(ready: boolean, count: number | undefined, filter: (pod: Pod) => boolean = () => true): void {
    let left = count ?? Infinity;
    for (const pod of this.pods) {
      if (left <= 0) break;
      if (pod.metadata.deletionTimestamp || isPodReady(pod) === ready || !filter(pod)) continue;
      pod.status = { ...pod.status, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: iso(this.now) }] };
      left--;
    }
    if (count !== undefined && left > 0) throw new Error(`could not mark ${left} more pods ready=${ready}`);
  }

  isNew = (pod: Pod): boolean => pod.metadata.labels?.['controller-revision-hash'] === this.hash;

  private apply(nodesNeedingDaemonPods: readonly string[], podsToDelete: readonly Pod[]): number {
    const doomed = new Set(podsToDelete);
    this.pods = this.pods.filter((pod) => !doomed.has(pod));
    for (const nodeName of nodesNeedingDaemonPods) {
      const pod = newDaemonPod(this.ds, nodeName, this.hash);
      pod.metadata.name = `foo-${this.seq++}`;
      pod.metadata.creationTimestamp = iso(this.now);
      pod.status = {};
      this.pods.push(pod);
    }
    return nodesNeedingDaemonPods.length;
  }
}

/** A step of a scenario: a pass with its expected (creates, deletes), or something the test does between passes. */
type Step =
  | { pass: [number, number]; at?: number }
  | { ready: 'all' | 'new'; count?: number }
  | { unreadyOldAlone: number }
  | { change: (ds: DaemonSet) => void };

const newImage = (image: string, strategy?: DaemonSetUpdateStrategy, minReadySeconds?: number) => (ds: DaemonSet) => {
  ds.spec.template.spec.containers[0]!.image = image;
  if (strategy) ds.spec.updateStrategy = strategy;
  if (minReadySeconds !== undefined) ds.spec.minReadySeconds = minReadySeconds;
};

function runScenario(steps: readonly Step[]): void {
  const sim = new Simulation(newDaemonSet(), addNodes(5));
  steps.forEach((step, index) => {
    if ('pass' in step) {
      if (step.at !== undefined) sim.setTime(step.at);
      assert.deepEqual(sim.pass(), step.pass, `pass at step ${index}`);
    } else if ('ready' in step) {
      sim.setReadiness(true, step.count, step.ready === 'new' ? sim.isNew : undefined);
    } else if ('unreadyOldAlone' in step) {
      // An old pod on a node that has no new pod.
      const nodesWithNew = new Set(sim.pods.filter(sim.isNew).map((pod) => getTargetNodeName(pod)));
      sim.setReadiness(false, step.unreadyOldAlone, (pod) => !sim.isNew(pod) && !nodesWithNew.has(getTargetNodeName(pod)));
    } else {
      step.change(sim.ds);
    }
  });
}

describe('rolling updates pass by pass (upstream update_test.go)', () => {
  const scenarios: { name: string; steps: Step[] }[] = [
    {
      name: 'TestDaemonSetUpdatesPods: maxUnavailable 2 on 5 nodes',
      steps: [
        { pass: [5, 0] },
        { ready: 'all' },
        { change: newImage('foo2/bar2', newUpdateUnavailable(2)) },
        { pass: [0, 2] },
        { pass: [2, 0] },
        { ready: 'all' },
        { pass: [0, 2] },
        { pass: [2, 0] },
        { ready: 'all' },
        { pass: [0, 1] },
        { pass: [1, 0] },
        { ready: 'all' },
        { pass: [0, 0] },
      ],
    },
    {
      name: 'TestDaemonSetUpdatesWhenNewPodIsNotReady: the rollout stalls after maxUnavailable nodes',
      steps: [
        { pass: [5, 0] },
        { ready: 'all' },
        { change: newImage('foo2/bar2', newUpdateUnavailable(3)) },
        { pass: [0, 3] },
        { pass: [3, 0] },
        { pass: [0, 0] },
        { pass: [0, 0] },
      ],
    },
    {
      name: 'TestDaemonSetUpdatesAllOldPodsNotReady: unavailable old pods go beyond the budget',
      steps: [{ pass: [5, 0] }, { change: newImage('foo2/bar2', newUpdateUnavailable(3)) }, { pass: [0, 5] }, { pass: [5, 0] }, { pass: [0, 0] }],
    },
    {
      name: 'TestDaemonSetUpdatesNoTemplateChanged: a new strategy alone changes nothing',
      steps: [{ pass: [5, 0] }, { change: (ds) => (ds.spec.updateStrategy = newUpdateUnavailable(3)) }, { pass: [0, 0] }],
    },
    {
      name: 'TestDaemonSetUpdatesPodsWithMaxSurge: maxSurge 2 on 5 nodes',
      steps: [
        { pass: [5, 0] },
        { ready: 'all' },
        { change: newImage('foo2/bar2', newUpdateSurge(2)) },
        { pass: [2, 0] },
        { pass: [0, 0] },
        { ready: 'all' },
        { pass: [2, 2] },
        { pass: [0, 0] },
        { ready: 'all' },
        { pass: [1, 2] },
        { pass: [0, 0] },
        { ready: 'all' },
        { pass: [0, 1] },
        { pass: [0, 0] },
      ],
    },
    {
      name: 'TestDaemonSetUpdatesAllOldPodsNotReadyMaxSurge: forced replacements, then minReadySeconds',
      steps: [
        { pass: [5, 0] },
        { change: newImage('foo2/bar2', newUpdateSurge(3)) },
        // Every old pod is unavailable: each node gets its replacement at once.
        { pass: [5, 0], at: 100 },
        // manage drops an unready old pod once a new pod sits beside it.
        { pass: [0, 5], at: 200 },
        { ready: 'all', count: 5 },
        { change: newImage('foo3/bar3', undefined, 15) },
        { pass: [3, 0], at: 300 },
        { ready: 'new', count: 2 },
        { unreadyOldAlone: 1 },
        // The new pods wait out minReadySeconds; the unready old pod is replaced at once.
        { pass: [1, 0], at: 310 },
        // Two new pods are available: their old pods go, and so does the unready one; one surge slot frees.
        { pass: [1, 3], at: 320 },
        { ready: 'new', count: 3 },
        { pass: [0, 2], at: 340 },
        { pass: [0, 0], at: 350 },
      ],
    },
    {
      name: 'OnDelete: a template change replaces nothing; a deleted pod comes back new',
      steps: [
        { change: (ds) => (ds.spec.updateStrategy = { type: 'OnDelete' }) },
        { pass: [5, 0] },
        { ready: 'all' },
        { change: newImage('foo2/bar2') },
        { pass: [0, 0] },
        { pass: [0, 0] },
      ],
    },
  ];
  for (const s of scenarios) it(s.name, () => runScenario(s.steps));

  it('OnDelete: the node whose pod was deleted gets a pod of the current template', () => {
    const sim = new Simulation(newDaemonSet(), addNodes(3));
    sim.ds.spec.updateStrategy = { type: 'OnDelete' };
    assert.deepEqual(sim.pass(), [3, 0]);
    const oldHash = sim.hash;
    newImage('foo2/bar2')(sim.ds);
    assert.deepEqual(sim.pass(), [0, 0]);
    sim.pods = sim.pods.slice(1);
    assert.deepEqual(sim.pass(), [1, 0]);
    assert.deepEqual(sim.pods.map((pod) => pod.metadata.labels!['controller-revision-hash']).sort(), [oldHash, oldHash, sim.hash].sort());
  });

  it('rolling back replaces only the pods of the abandoned template', () => {
    const sim = new Simulation(newDaemonSet(), addNodes(4));
    sim.ds.spec.updateStrategy = newUpdateUnavailable(1);
    assert.deepEqual(sim.pass(), [4, 0]);
    sim.setReadiness(true, undefined);
    const originals = names(sim.pods);
    newImage('registry.example/does-not-exist:1')(sim.ds);
    assert.deepEqual([sim.pass(), sim.pass(), sim.pass()], [[0, 1], [1, 0], [0, 0]]);
    newImage('foo/bar')(sim.ds);
    // The pod of the abandoned template is old and unavailable: it goes, whatever the budget.
    assert.deepEqual([sim.pass(), sim.pass()], [[0, 1], [1, 0]]);
    sim.setReadiness(true, undefined);
    assert.deepEqual(sim.pass(), [0, 0]);
    const kept = names(sim.pods).filter((name) => originals.includes(name));
    assert.equal(kept.length, 3);
  });

  it('a node that stops wanting the pod (NoSchedule taint) has it removed within the budget, not replaced', () => {
    const sim = new Simulation(newDaemonSet(), addNodes(3));
    sim.ds.spec.updateStrategy = newUpdateUnavailable(1);
    assert.deepEqual(sim.pass(), [3, 0]);
    sim.setReadiness(true, undefined);
    sim.nodes[2] = newNode('node-2', { taints: [{ key: 'k', effect: 'NoSchedule' }] });
    newImage('foo2/bar2')(sim.ds);
    const passes = Array.from({ length: 8 }, () => {
      const result = sim.pass();
      sim.setReadiness(true, undefined);
      return result;
    });
    assert.deepEqual(
      passes.reduce((sum, [c, d]) => [sum[0]! + c, sum[1]! + d], [0, 0]),
      [2, 3],
    );
    assert.deepEqual(sim.pods.map((pod) => getTargetNodeName(pod)).sort(), ['node-0', 'node-1']);
    assert.ok(sim.pods.every(sim.isNew));
  });
});
