import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatusError } from '../../api/errors.js';
import type { Pod, PriorityClass } from '../../api/types.js';
import { findResource } from '../resources.js';
import type { AdmissionRequest, ClusterView } from './index.js';
import { defaultPriorityClass, priorityPlugin } from './priority.js';

const pods = findResource('', 'v1', 'pods')!;
const priorityClasses = findResource('scheduling.k8s.io', 'v1', 'priorityclasses')!;

const pc = (name: string, value: number, extra: Partial<PriorityClass> = {}): PriorityClass => ({
  apiVersion: 'scheduling.k8s.io/v1',
  kind: 'PriorityClass',
  metadata: { name },
  value,
  preemptionPolicy: 'PreemptLowerPriority',
  ...extra,
});
const builtIn = [pc('system-node-critical', 2000001000), pc('system-cluster-critical', 2000000000)];

const viewOf = (classes: PriorityClass[]): ClusterView => ({
  namespace: () => undefined,
  priorityClass: (name) => classes.find((c) => c.metadata.name === name),
  priorityClasses: () => classes,
  pods: () => [],
});

const pod = (spec: Partial<Pod['spec']> = {}): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

const createPod = (object: Pod, name = 'p'): AdmissionRequest => ({ operation: 'CREATE', resource: pods, namespace: 'team', name, object });

interface Case {
  name: string;
  classes: PriorityClass[];
  spec: Partial<Pod['spec']>;
  want?: { priority: number; preemptionPolicy?: string; priorityClassName?: string };
  refused?: string;
}

const cases: Case[] = [
  { name: 'no class and no default: priority 0, PreemptLowerPriority, no class name', classes: builtIn, spec: {}, want: { priority: 0, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: undefined } },
  { name: 'system-node-critical in any namespace', classes: builtIn, spec: { priorityClassName: 'system-node-critical' }, want: { priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: 'system-node-critical' } },
  { name: 'system-cluster-critical', classes: builtIn, spec: { priorityClassName: 'system-cluster-critical' }, want: { priority: 2000000000, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: 'system-cluster-critical' } },
  { name: 'a user class, non-preempting', classes: [...builtIn, pc('batch', 10, { preemptionPolicy: 'Never' })], spec: { priorityClassName: 'batch' }, want: { priority: 10, preemptionPolicy: 'Never', priorityClassName: 'batch' } },
  {
    name: 'no class name: the global default class, name included',
    classes: [...builtIn, pc('everyday', 100, { globalDefault: true })],
    spec: {},
    want: { priority: 100, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: 'everyday' },
  },
  {
    name: 'two global defaults (a race): the lower value wins',
    classes: [pc('high', 500, { globalDefault: true }), pc('low', 50, { globalDefault: true })],
    spec: {},
    want: { priority: 50, preemptionPolicy: 'PreemptLowerPriority', priorityClassName: 'low' },
  },
  { name: 'an unknown class is refused', classes: builtIn, spec: { priorityClassName: 'gold' }, refused: 'pods "p" is forbidden: no PriorityClass with name gold was found' },
  { name: 'a priority equal to the computed one is accepted', classes: builtIn, spec: { priorityClassName: 'system-node-critical', priority: 2000001000 }, want: { priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' } },
  {
    name: 'a different priority is refused',
    classes: builtIn,
    spec: { priorityClassName: 'system-node-critical', priority: 5 },
    refused: 'pods "p" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 2000001000 from the given PriorityClass name',
  },
  {
    name: 'a priority without class and default is compared with 0',
    classes: builtIn,
    spec: { priority: 7 },
    refused: 'pods "p" is forbidden: the integer value of priority (7) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
  },
  {
    name: 'a different preemption policy is refused',
    classes: builtIn,
    spec: { priorityClassName: 'system-cluster-critical', preemptionPolicy: 'Never' },
    refused: 'pods "p" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name',
  },
];

describe('priorityPlugin.admit() on pod create', () => {
  for (const t of cases) {
    it(t.name, () => {
      const object = pod(t.spec);
      const run = () => priorityPlugin.admit!(createPod(object), viewOf(t.classes));
      if (t.refused) {
        assert.throws(run, (error: unknown) => error instanceof StatusError && error.code === 403 && error.message === t.refused);
        return;
      }
      run();
      assert.equal(object.spec.priority, t.want!.priority);
      assert.equal(object.spec.preemptionPolicy, t.want!.preemptionPolicy);
      if ('priorityClassName' in t.want!) assert.equal(object.spec.priorityClassName, t.want!.priorityClassName);
    });
  }

  it('names a pod by its generateName while the name is not generated yet', () => {
    const object = pod({ priorityClassName: 'gold' });
    object.metadata = { generateName: 'agent-', namespace: 'team' };
    assert.throws(() => priorityPlugin.admit!(createPod(object, 'agent-'), viewOf(builtIn)), { message: 'pods "agent-" is forbidden: no PriorityClass with name gold was found' });
  });

  it('leaves subresources and other resources alone', () => {
    const object = pod({ priorityClassName: 'gold' });
    priorityPlugin.admit!({ ...createPod(object), subresource: 'status' }, viewOf(builtIn));
    assert.equal(object.spec.priority, undefined);
  });
});

describe('priorityPlugin.admit() on pod update', () => {
  it('keeps the priority and preemption policy resolved at create when the update omits them', () => {
    const old = pod({ priorityClassName: 'system-node-critical', priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
    const next = pod({ priorityClassName: 'system-node-critical' });
    priorityPlugin.admit!({ operation: 'UPDATE', resource: pods, namespace: 'team', name: 'p', object: next, oldObject: old }, viewOf([]));
    assert.equal(next.spec.priority, 2000001000);
    assert.equal(next.spec.preemptionPolicy, 'PreemptLowerPriority');
  });
});

describe('priorityPlugin.validate() on PriorityClasses', () => {
  const request = (operation: 'CREATE' | 'UPDATE', object: PriorityClass): AdmissionRequest => ({ operation, resource: priorityClasses, name: object.metadata.name!, object });
  const withDefault = [...builtIn, pc('everyday', 100, { globalDefault: true })];

  it('refuses a second global default', () => {
    assert.throws(() => priorityPlugin.validate!(request('CREATE', pc('another', 5, { globalDefault: true })), viewOf(withDefault)), {
      message: 'priorityclasses.scheduling.k8s.io "another" is forbidden: PriorityClass everyday is already marked as default. Only one default can exist',
    });
  });
  it('refuses making another class the default by update', () => {
    assert.throws(() => priorityPlugin.validate!(request('UPDATE', pc('batch', 5, { globalDefault: true })), viewOf([...withDefault, pc('batch', 5)])), /PriorityClass everyday is already marked as default/);
  });
  it('accepts updating the default class itself, and any class that is not a default', () => {
    assert.deepEqual(priorityPlugin.validate!(request('UPDATE', pc('everyday', 100, { globalDefault: true, description: 'd' })), viewOf(withDefault)), []);
    assert.deepEqual(priorityPlugin.validate!(request('CREATE', pc('batch', 5)), viewOf(withDefault)), []);
  });
  it('accepts the first global default', () => {
    assert.deepEqual(priorityPlugin.validate!(request('CREATE', pc('everyday', 100, { globalDefault: true })), viewOf(builtIn)), []);
  });
});

describe('defaultPriorityClass()', () => {
  it('is undefined without a global default', () => assert.equal(defaultPriorityClass(viewOf(builtIn)), undefined));
});
