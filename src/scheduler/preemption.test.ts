import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node, Pod } from '../api/types.js';
import { newNodeInfo } from './framework.js';
import { defaultFilterPlugins } from './index.js';
import { filterPodsWithPDBViolation, notEligibleToPreempt, pickOneNodeForPreemption, selectVictimsOnNode, type Candidate, type DisruptionBudget } from './preemption.js';

function node(name: string, cpu: string): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { allocatable: { cpu, memory: '16Gi', pods: '110' } } } as Node;
}

function pod(name: string, priority: number, cpu: string, extra: { started?: string; labels?: Record<string, string>; deleting?: boolean; hostPort?: number } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: extra.labels, ...(extra.deleting ? { deletionTimestamp: '2030-01-01T00:00:00Z' } : {}) },
    spec: {
      nodeName: 'n',
      priority,
      containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } }, ...(extra.hostPort ? { ports: [{ containerPort: 80, hostPort: extra.hostPort }] } : {}) }],
    },
    status: { startTime: extra.started ?? '2030-01-01T00:00:00Z' },
  } as Pod;
}

const preemptor = (cpu: string, priority = 1000, hostPort?: number) => {
  const p = pod('preemptor', priority, cpu, { hostPort });
  delete p.spec.nodeName;
  return p;
};

describe('selectVictimsOnNode', () => {
  const cases: { name: string; cpu: string; pods: Pod[]; incoming: Pod; budgets?: DisruptionBudget[]; want?: string[]; violations?: number }[] = [
    { name: 'evicts the one lower-priority pod in the way', cpu: '2', pods: [pod('low', 0, '2')], incoming: preemptor('1'), want: ['low'], violations: 0 },
    { name: 'never evicts a pod of equal priority', cpu: '2', pods: [pod('same', 1000, '2')], incoming: preemptor('1'), want: undefined },
    { name: 'never evicts a pod of higher priority', cpu: '2', pods: [pod('high', 2000, '2')], incoming: preemptor('1'), want: undefined },
    { name: 'no candidate when removing every lower pod is not enough', cpu: '2', pods: [pod('low', 0, '1'), pod('high', 2000, '1.5')], incoming: preemptor('1'), want: undefined },
    {
      name: 'keeps the most important pods it can and evicts the least important',
      cpu: '3',
      pods: [pod('a', 10, '1'), pod('b', 20, '1'), pod('c', 30, '1')],
      incoming: preemptor('1'),
      want: ['a'],
    },
    {
      name: 'evicts several when one is not enough, most important first in the list',
      cpu: '3',
      pods: [pod('a', 10, '1'), pod('b', 20, '1'), pod('c', 30, '1')],
      incoming: preemptor('2'),
      want: ['b', 'a'],
    },
    {
      name: 'spares a budget-protected pod when another will do, and counts violations when not',
      cpu: '2',
      pods: [pod('guarded', 10, '1', { labels: { app: 'db' } }), pod('free', 10, '1', { labels: { app: 'web' } })],
      incoming: preemptor('1'),
      budgets: [{ namespace: 'default', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 0, disruptedPods: new Set() }],
      want: ['free'],
      violations: 0,
    },
    {
      name: 'a host port conflict is resolved by evicting the pod holding the port',
      cpu: '4',
      pods: [pod('port', 0, '100m', { hostPort: 9100 }), pod('other', 0, '100m')],
      incoming: preemptor('100m', 1000, 9100),
      want: ['port'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const info = newNodeInfo(node('n', c.cpu), c.pods);
      const candidate = selectVictimsOnNode(c.incoming, info, defaultFilterPlugins, c.budgets ?? []);
      assert.deepEqual(candidate?.victims.map((v) => v.metadata.name), c.want);
      if (c.violations !== undefined) assert.equal(candidate?.numPDBViolations, c.violations);
    });
  }
});

describe('filterPodsWithPDBViolation', () => {
  it('spends each budget pod by pod and ignores pods it already counts as disrupted', () => {
    const budget: DisruptionBudget = { namespace: 'default', selector: { matchLabels: { app: 'db' } }, disruptionsAllowed: 1, disruptedPods: new Set(['gone']) };
    const pods = [pod('gone', 0, '1', { labels: { app: 'db' } }), pod('first', 0, '1', { labels: { app: 'db' } }), pod('second', 0, '1', { labels: { app: 'db' } }), pod('web', 0, '1', { labels: { app: 'web' } })];
    const { violating, nonViolating } = filterPodsWithPDBViolation(pods, [budget]);
    assert.deepEqual(violating.map((p) => p.metadata.name), ['second']);
    assert.deepEqual(nonViolating.map((p) => p.metadata.name), ['gone', 'first', 'web']);
  });
});

describe('pickOneNodeForPreemption', () => {
  const c = (nodeName: string, victims: Pod[], numPDBViolations = 0): Candidate => ({ nodeName, victims, numPDBViolations });
  const cases: { name: string; candidates: Candidate[]; want: string }[] = [
    { name: 'fewest budget violations first', candidates: [c('a', [pod('x', 0, '1')], 1), c('b', [pod('y', 5, '1'), pod('z', 5, '1')], 0)], want: 'b' },
    { name: 'then the lowest highest victim priority', candidates: [c('a', [pod('x', 10, '1')]), c('b', [pod('y', 5, '1'), pod('z', 4, '1')])], want: 'b' },
    { name: 'then the smallest sum of priorities', candidates: [c('a', [pod('x', 5, '1'), pod('w', 5, '1')]), c('b', [pod('y', 5, '1'), pod('z', 1, '1')])], want: 'b' },
    { name: 'then the fewest victims', candidates: [c('a', [pod('x', 5, '1'), pod('w', -5, '1')]), c('b', [pod('y', 5, '1')])], want: 'b' },
    {
      name: 'then the latest start of the most important victims',
      candidates: [c('a', [pod('x', 5, '1', { started: '2030-01-01T00:00:00Z' })]), c('b', [pod('y', 5, '1', { started: '2030-01-02T00:00:00Z' })])],
      want: 'b',
    },
    { name: 'then the first', candidates: [c('a', [pod('x', 5, '1')]), c('b', [pod('y', 5, '1')])], want: 'a' },
  ];
  for (const t of cases) it(t.name, () => assert.equal(pickOneNodeForPreemption(t.candidates)?.nodeName, t.want));
  it('has nothing to pick from no candidates', () => assert.equal(pickOneNodeForPreemption([]), undefined));
});

describe('notEligibleToPreempt', () => {
  it('refuses preemptionPolicy Never, waits for a terminating lower pod on the nominated node, allows otherwise', () => {
    const never = preemptor('1');
    never.spec.preemptionPolicy = 'Never';
    assert.equal(notEligibleToPreempt(never, undefined), 'not eligible due to preemptionPolicy=Never.');
    const terminating = newNodeInfo(node('n', '2'), [pod('low', 0, '1', { deleting: true })]);
    assert.equal(notEligibleToPreempt(preemptor('1'), terminating), 'not eligible due to a terminating pod on the nominated node.');
    assert.equal(notEligibleToPreempt(preemptor('1'), newNodeInfo(node('n', '2'), [pod('low', 0, '1')])), undefined);
    assert.equal(notEligibleToPreempt(preemptor('1'), undefined), undefined);
  });
});
