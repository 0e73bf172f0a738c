import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { findResourceKind, type ResourceKind } from '../shared/index.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { OwnershipGraph } from './graph.js';
import { identityOfObject } from './identity.js';

const daemonsets = findResourceKind('apps/v1', 'DaemonSet')!;
const pods = findResourceKind('v1', 'Pod')!;

function ds(uid: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name: `ds-${uid}`, namespace: 'default', uid, ...meta } };
}

function pod(uid: string, owners: OwnerReference[] = [], meta: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { metadata: { name: `pod-${uid}`, namespace: 'default', uid, ownerReferences: owners, ...meta } };
}

function ownedBy(uid: string, blockOwnerDeletion = true): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', name: `ds-${uid}`, uid, controller: true, blockOwnerDeletion };
}

const marked = { deletionTimestamp: '2026-01-01T00:00:00Z' };

type Event = ['observe' | 'delete', ResourceKind, KubeObject] | ['synced'] | ['removeVirtual', string];

interface Case {
  name: string;
  /** Events before the ones under test; their enqueues are not checked. */
  setup?: Event[];
  events: Event[];
  attemptToDelete: string[];
  attemptToOrphan?: string[];
}

function newGraph() {
  const enqueued = { attemptToDelete: [] as string[], attemptToOrphan: [] as string[] };
  const absentOwners = new AbsentOwnerCache();
  const graph = new OwnershipGraph({
    attemptToDelete: (uid) => enqueued.attemptToDelete.push(uid),
    attemptToOrphan: (uid) => enqueued.attemptToOrphan.push(uid),
    absentOwners,
  });
  const apply = (events: Event[]) => {
    for (const event of events) {
      if (event[0] === 'observe') graph.observe(event[1], event[2]);
      else if (event[0] === 'delete') graph.observeDeletion(event[1], event[2]);
      else if (event[0] === 'removeVirtual') graph.removeVirtualNode(event[1]);
      else graph.markSynced();
    }
  };
  return { graph, enqueued, absentOwners, apply };
}

const cases: Case[] = [
  {
    name: 'an owner deleted sends each of its dependents to attemptToDelete',
    setup: [['synced'], ['observe', daemonsets, ds('o')], ['observe', pods, pod('p1', [ownedBy('o')])], ['observe', pods, pod('p2', [ownedBy('o')])]],
    events: [['delete', daemonsets, ds('o')]],
    attemptToDelete: ['p1', 'p2'],
  },
  {
    name: 'an object without dependents deleted enqueues nothing',
    setup: [['synced'], ['observe', daemonsets, ds('o')]],
    events: [['delete', daemonsets, ds('o')]],
    attemptToDelete: [],
  },
  {
    name: 'an unknown owner during the initial lists is verified only after markSynced',
    events: [['observe', pods, pod('p', [ownedBy('ghost')])], ['synced']],
    attemptToDelete: ['ghost'],
  },
  {
    name: 'an unknown owner listed later in the initial lists is not verified',
    events: [['observe', pods, pod('p', [ownedBy('o')])], ['observe', daemonsets, ds('o')], ['synced']],
    attemptToDelete: [],
  },
  {
    name: 'an unknown owner after the initial lists is verified at once',
    setup: [['synced']],
    events: [['observe', pods, pod('p', [ownedBy('ghost')])]],
    attemptToDelete: ['ghost'],
  },
  {
    name: 'a virtual owner verified absent sends its dependents to attemptToDelete',
    setup: [['synced'], ['observe', pods, pod('p', [ownedBy('ghost')])]],
    events: [['removeVirtual', 'ghost']],
    attemptToDelete: ['p'],
  },
  {
    name: 'an owner marked with foregroundDeletion enqueues itself and its dependents',
    setup: [['synced'], ['observe', daemonsets, ds('o')], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })]],
    attemptToDelete: ['o', 'p'],
  },
  {
    name: 'an owner marked with orphan goes to attemptToOrphan',
    setup: [['synced'], ['observe', daemonsets, ds('o')], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['observe', daemonsets, ds('o', { ...marked, finalizers: ['orphan'] })]],
    attemptToDelete: [],
    attemptToOrphan: ['o'],
  },
  {
    name: 'a finalizer without a deletionTimestamp starts nothing',
    setup: [['synced'], ['observe', daemonsets, ds('o')]],
    events: [['observe', daemonsets, ds('o', { finalizers: ['orphan', 'foregroundDeletion'] })]],
    attemptToDelete: [],
    attemptToOrphan: [],
  },
  {
    name: 'a dependent deleted wakes its owner that is deleting dependents',
    setup: [['synced'], ['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['delete', pods, pod('p', [ownedBy('o')])]],
    attemptToDelete: ['o'],
  },
  {
    name: 'a dependent that stops blocking wakes its owner that is deleting dependents',
    setup: [['synced'], ['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['observe', pods, pod('p', [ownedBy('o', false)])]],
    attemptToDelete: ['o'],
  },
  {
    name: 'a dependent that drops its reference wakes its owner that is deleting dependents',
    setup: [['synced'], ['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['observe', pods, pod('p', [])]],
    attemptToDelete: ['o'],
  },
  {
    name: 'a dependent appearing under an owner deleting dependents is enqueued',
    setup: [['synced'], ['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })]],
    events: [['observe', pods, pod('p', [ownedBy('o')])]],
    attemptToDelete: ['p'],
  },
  {
    name: 'an ordinary update enqueues nothing',
    setup: [['synced'], ['observe', daemonsets, ds('o')], ['observe', pods, pod('p', [ownedBy('o')])]],
    events: [['observe', pods, pod('p', [ownedBy('o')], { labels: { a: 'b' } })]],
    attemptToDelete: [],
  },
];

describe('OwnershipGraph', () => {
  for (const c of cases) {
    it(c.name, () => {
      const { enqueued, apply } = newGraph();
      apply(c.setup ?? []);
      enqueued.attemptToDelete.length = 0;
      enqueued.attemptToOrphan.length = 0;
      apply(c.events);
      assert.deepEqual([...new Set(enqueued.attemptToDelete)].sort(), [...c.attemptToDelete].sort());
      assert.deepEqual([...new Set(enqueued.attemptToOrphan)].sort(), [...(c.attemptToOrphan ?? [])].sort());
    });
  }

  it('links owners and dependents both ways, and unlinks on change', () => {
    const { graph, apply } = newGraph();
    apply([['observe', daemonsets, ds('a')], ['observe', daemonsets, ds('b')], ['observe', pods, pod('p', [ownedBy('a'), ownedBy('b', false)])]]);
    const p = graph.node('p')!;
    assert.ok(graph.node('a')!.dependents.has(p));
    assert.ok(graph.node('b')!.dependents.has(p));
    assert.deepEqual(graph.node('a')!.blockingDependents(), [p]);
    assert.deepEqual(graph.node('b')!.blockingDependents(), [], 'blockOwnerDeletion false does not block');
    apply([['observe', pods, pod('p', [ownedBy('b')])]]);
    assert.equal(graph.node('a')!.dependents.size, 0);
    assert.deepEqual(graph.node('b')!.blockingDependents(), [p]);
  });

  it('turns a virtual node into an observed one', () => {
    const { graph, apply } = newGraph();
    apply([['observe', pods, pod('p', [ownedBy('o')])]]);
    assert.equal(graph.node('o')!.virtual, true);
    assert.deepEqual(graph.node('o')!.identity, { apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'default', name: 'ds-o', uid: 'o' });
    apply([['observe', daemonsets, ds('o')]]);
    assert.equal(graph.node('o')!.virtual, false);
    assert.equal(graph.node('o')!.dependents.size, 1);
  });

  it('drops a virtual node once nothing refers to it', () => {
    const { graph, apply } = newGraph();
    apply([['observe', pods, pod('p', [ownedBy('ghost')])]]);
    assert.ok(graph.node('ghost'));
    apply([['delete', pods, pod('p', [ownedBy('ghost')])]]);
    assert.equal(graph.node('ghost'), undefined);
    assert.equal(graph.size, 0);
  });

  it('does not remove an observed node on removeVirtualNode', () => {
    const { graph, apply } = newGraph();
    apply([['observe', daemonsets, ds('o')], ['removeVirtual', 'o']]);
    assert.ok(graph.node('o'));
  });

  it('remembers a deleted owner with dependents as absent', () => {
    const { absentOwners, apply } = newGraph();
    apply([['observe', daemonsets, ds('o')], ['observe', pods, pod('p', [ownedBy('o')])], ['delete', daemonsets, ds('o')]]);
    assert.equal(absentOwners.has(identityOfObject(daemonsets, ds('o'))), true);
  });

  it('records deletion states on the node', () => {
    const { graph, apply } = newGraph();
    apply([['observe', daemonsets, ds('o', { ...marked, finalizers: ['foregroundDeletion'] })]]);
    const o = graph.node('o')!;
    assert.equal(o.beingDeleted, true);
    assert.equal(o.deletingDependents, true);
    assert.equal(o.orphaningDependents, false);
  });
});

describe('AbsentOwnerCache', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const cache = new AbsentOwnerCache(2);
    const id = (uid: string) => ({ apiVersion: 'v1', kind: 'Pod', namespace: 'default', name: uid, uid });
    cache.add(id('a'));
    cache.add(id('b'));
    assert.equal(cache.has(id('a')), true); // a is now the most recent
    cache.add(id('c'));
    assert.equal(cache.has(id('b')), false);
    assert.equal(cache.has(id('a')), true);
    assert.equal(cache.has(id('c')), true);
  });

  it('tells references with other coordinates for the same uid apart', () => {
    const cache = new AbsentOwnerCache();
    cache.add({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'default', name: 'wrong-name', uid: 'u' });
    assert.equal(cache.has({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespace: 'default', name: 'right-name', uid: 'u' }), false);
    assert.equal(cache.has({ apiVersion: 'apps/v2', kind: 'DaemonSet', namespace: 'default', name: 'wrong-name', uid: 'u' }), true, 'versions of one group are the same object');
  });
});
