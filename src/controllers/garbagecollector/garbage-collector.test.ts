/**
 * The garbage collector against the real API server on the in-memory store, through LocalClient.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isNotFound } from '../../api/errors.js';
import type { DaemonSet, KubeObject, OwnerReference, Pod, WatchEventType } from '../../api/types.js';
import { ApiServer } from '../../apiserver/server.js';
import { LocalClient } from '../../apiserver/local-client.js';
import { refs, type Client, type ResourceRef } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { breakableClient, waitFor } from '../../testing/controllers.js';
import { GarbageCollector } from './garbage-collector.js';

const namespace = 'default';

function daemonSet(name: string): DaemonSet {
  return {
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } },
    },
  };
}

function ownerRef(owner: KubeObject, blockOwnerDeletion = true, controller = true): OwnerReference {
  return { apiVersion: 'apps/v1', kind: 'DaemonSet', name: owner.metadata.name!, uid: owner.metadata.uid!, controller, blockOwnerDeletion };
}

/** A pod without nodeName: the server deletes it at once, with no grace period. */
function pod(name: string, owners: OwnerReference[], nodeName?: string): Pod {
  return { metadata: { name, ownerReferences: owners }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }], ...(nodeName ? { nodeName } : {}) } };
}

function configMap(name: string, owners: OwnerReference[], finalizers?: string[]): KubeObject {
  return { metadata: { name, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) }, data: { k: 'v' } };
}

async function exists(client: Client, ref: ResourceRef, name: string): Promise<boolean> {
  try {
    await client.get(ref, namespace, name);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function gone(client: Client, ref: ResourceRef, ...names: string[]): Promise<boolean> {
  for (const name of names) if (await exists(client, ref, name)) return false;
  return true;
}

/** Records every event of the given resources in `default`, in the order the server emits them. */
function recordEvents(client: Client, resources: ResourceRef[]): { events: string[]; stop(): void } {
  const events: string[] = [];
  const watches = resources.map((ref) =>
    client.watch(ref, { namespace, resourceVersion: undefined }, (type: WatchEventType, obj: KubeObject) => {
      const marks = obj.metadata.deletionTimestamp ? `(deleting:${(obj.metadata.finalizers ?? []).join(',')})` : '';
      events.push(`${type} ${ref.resource}/${obj.metadata.name}${marks}`);
    }),
  );
  return { events, stop: () => watches.forEach((w) => w.stop()) };
}

describe('GarbageCollector', () => {
  let server: ApiServer;
  let client: Client;
  let gc: GarbageCollector;
  const logs: string[] = [];

  before(async () => {
    server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    client = new LocalClient(server.registry);
    gc = new GarbageCollector({ client, log: (message, fields) => logs.push(`${message} ${JSON.stringify(fields)}`) });
    await gc.start();
  });

  after(async () => {
    await gc?.stop();
    await server?.close();
    if (process.env.GC_TEST_LOGS) console.log(logs.join('\n'));
  });

  const describeState = async () => ({
    daemonsets: (await client.list(refs.daemonsets, { namespace })).items.map((o) => ({ name: o.metadata.name, finalizers: o.metadata.finalizers, deleting: o.metadata.deletionTimestamp })),
    pods: (await client.list(refs.pods, { namespace })).items.map((o) => ({ name: o.metadata.name, owners: o.metadata.ownerReferences, deleting: o.metadata.deletionTimestamp })),
    configmaps: (await client.list(refs.configmaps, { namespace })).items.map((o) => ({ name: o.metadata.name, owners: o.metadata.ownerReferences })),
    logs: logs.slice(-20),
  });

  it('deletes the dependents of an owner deleted in the background', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('bg'));
    await client.create(refs.pods, namespace, pod('bg-a', [ownerRef(owner)]));
    await client.create(refs.pods, namespace, pod('bg-b', [ownerRef(owner)]));
    await client.create(refs.configmaps, namespace, configMap('bg-config', [ownerRef(owner, false)]));

    await client.delete(refs.daemonsets, namespace, 'bg', { propagationPolicy: 'Background' });

    assert.equal(await exists(client, refs.daemonsets, 'bg'), false, 'the owner goes at once');
    await waitFor(async () => (await gone(client, refs.pods, 'bg-a', 'bg-b')) && (await gone(client, refs.configmaps, 'bg-config')), { describe: describeState });
  });

  it('deletes dependents first, then the owner, in the foreground', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('fg'));
    await client.create(refs.pods, namespace, pod('fg-a', [ownerRef(owner)]));
    await client.create(refs.pods, namespace, pod('fg-b', [ownerRef(owner)]));
    const recorder = recordEvents(client, [refs.daemonsets, refs.pods]);

    await client.delete(refs.daemonsets, namespace, 'fg', { propagationPolicy: 'Foreground' });

    await waitFor(async () => gone(client, refs.daemonsets, 'fg'), { describe: describeState });
    recorder.stop();
    assert.deepEqual(await gone(client, refs.pods, 'fg-a', 'fg-b'), true);
    const ofThisTest = recorder.events.filter((e) => / (daemonsets\/fg|pods\/fg-)/.test(e) && !e.startsWith('ADDED'));
    const ownerDeleted = ofThisTest.indexOf('DELETED daemonsets/fg(deleting:foregroundDeletion)');
    assert.ok(ofThisTest[0].startsWith('MODIFIED daemonsets/fg(deleting:foregroundDeletion)'), `owner marked first: ${ofThisTest.join('\n')}`);
    assert.ok(ownerDeleted > ofThisTest.indexOf('DELETED pods/fg-a'), `pods before the owner: ${ofThisTest.join('\n')}`);
    assert.ok(ownerDeleted > ofThisTest.indexOf('DELETED pods/fg-b'), `pods before the owner: ${ofThisTest.join('\n')}`);
  });

  it('keeps a foreground owner until a terminating dependent is really gone', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('fg-grace'));
    // Bound to a node: the server gives it a grace period instead of deleting it at once.
    await client.create(refs.pods, namespace, pod('fg-grace-a', [ownerRef(owner)], 'node-1'));

    await client.delete(refs.daemonsets, namespace, 'fg-grace', { propagationPolicy: 'Foreground' });

    await waitFor(async () => (await client.get(refs.pods, namespace, 'fg-grace-a')).metadata.deletionTimestamp, { describe: describeState });
    const waiting = await client.get(refs.daemonsets, namespace, 'fg-grace');
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion'], 'the owner waits for the terminating pod');
    // What the kubelet does once the containers have stopped.
    await client.delete(refs.pods, namespace, 'fg-grace-a', { gracePeriodSeconds: 0 });
    await waitFor(async () => gone(client, refs.daemonsets, 'fg-grace'), { describe: describeState });
  });

  it('deletes a whole ownership chain in the foreground, deepest first', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('chain'));
    const middle = await client.create(refs.configmaps, namespace, configMap('chain-middle', [ownerRef(owner)]));
    const middleRef: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'chain-middle', uid: middle.metadata.uid!, blockOwnerDeletion: true };
    await client.create(refs.configmaps, namespace, configMap('chain-leaf', [middleRef]));
    const recorder = recordEvents(client, [refs.daemonsets, refs.configmaps]);

    await client.delete(refs.daemonsets, namespace, 'chain', { propagationPolicy: 'Foreground' });

    await waitFor(async () => gone(client, refs.daemonsets, 'chain'), { describe: describeState });
    recorder.stop();
    const deletions = recorder.events.filter((e) => e.startsWith('DELETED') && e.includes('chain')).map((e) => e.replace(/\(.*\)$/, ''));
    assert.deepEqual(deletions, ['DELETED configmaps/chain-leaf', 'DELETED configmaps/chain-middle', 'DELETED daemonsets/chain']);
  });

  it('breaks an ownership cycle in a foreground deletion instead of waiting forever', async () => {
    const a = await client.create(refs.configmaps, namespace, configMap('cycle-a', []));
    const refTo = (o: KubeObject): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, blockOwnerDeletion: true });
    const b = await client.create(refs.configmaps, namespace, configMap('cycle-b', [refTo(a)]));
    await client.patch(refs.configmaps, namespace, 'cycle-a', 'merge', { metadata: { ownerReferences: [refTo(b)] } });

    await client.delete(refs.configmaps, namespace, 'cycle-a', { propagationPolicy: 'Foreground' });

    await waitFor(async () => gone(client, refs.configmaps, 'cycle-a', 'cycle-b'), { describe: describeState });
  });

  it('orphans the dependents of an owner deleted with Orphan', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('orphan'));
    await client.create(refs.pods, namespace, pod('orphan-a', [ownerRef(owner)]));
    await client.create(refs.pods, namespace, pod('orphan-b', [ownerRef(owner)]));

    await client.delete(refs.daemonsets, namespace, 'orphan', { propagationPolicy: 'Orphan' });

    await waitFor(async () => gone(client, refs.daemonsets, 'orphan'), { describe: describeState });
    for (const name of ['orphan-a', 'orphan-b']) {
      const left = await client.get(refs.pods, namespace, name);
      assert.equal(left.metadata.ownerReferences, undefined, `${name} keeps no reference to the owner`);
      assert.equal(left.metadata.deletionTimestamp, undefined, `${name} is not deleted`);
    }
  });

  it('keeps a dependent that has another owner, removing only the dangling reference', async () => {
    const first = await client.create(refs.daemonsets, namespace, daemonSet('two-a'));
    const second = await client.create(refs.daemonsets, namespace, daemonSet('two-b'));
    await client.create(refs.configmaps, namespace, configMap('two-owners', [ownerRef(first, false, false), ownerRef(second, false, false)]));

    await client.delete(refs.daemonsets, namespace, 'two-a');

    const kept = await waitFor(
      async () => {
        const cm = await client.get(refs.configmaps, namespace, 'two-owners');
        return cm.metadata.ownerReferences?.length === 1 ? cm : undefined;
      },
      { describe: describeState },
    );
    assert.equal(kept.metadata.ownerReferences![0].uid, second.metadata.uid);
    assert.equal(kept.metadata.deletionTimestamp, undefined);

    await client.delete(refs.daemonsets, namespace, 'two-b');
    await waitFor(async () => gone(client, refs.configmaps, 'two-owners'), { describe: describeState });
  });

  it('collects a dependent whose owner never existed', async () => {
    const ghost: OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'never-was', uid: '00000000-0000-0000-0000-000000000001' };
    await client.create(refs.configmaps, namespace, configMap('ghost-child', [ghost]));
    await waitFor(async () => gone(client, refs.configmaps, 'ghost-child'), { describe: describeState });
    assert.equal(gc.graphHasUid(ghost.uid), false, 'the virtual owner left the graph');
  });

  it('collects a dependent whose owner reference names a namesake with another uid', async () => {
    await client.create(refs.daemonsets, namespace, daemonSet('namesake'));
    const stale: OwnerReference = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'namesake', uid: '00000000-0000-0000-0000-000000000002' };
    await client.create(refs.configmaps, namespace, configMap('namesake-child', [stale]));
    await waitFor(async () => gone(client, refs.configmaps, 'namesake-child'), { describe: describeState });
    assert.equal(await exists(client, refs.daemonsets, 'namesake'), true, 'the namesake is untouched');
  });

  it('leaves alone a dependent whose owner exists', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('alive'));
    await client.create(refs.configmaps, namespace, configMap('alive-child', [ownerRef(owner)]));
    // Deleting an unrelated owner makes the collector busy; the live owner's dependent must stay.
    const other = await client.create(refs.daemonsets, namespace, daemonSet('alive-other'));
    await client.create(refs.configmaps, namespace, configMap('alive-other-child', [ownerRef(other)]));
    await client.delete(refs.daemonsets, namespace, 'alive-other');
    await waitFor(async () => gone(client, refs.configmaps, 'alive-other-child'), { describe: describeState });
    assert.equal(await exists(client, refs.configmaps, 'alive-child'), true);
  });

  it('honours the finalizers of a collected dependent (an orphan finalizer stays Orphan)', async () => {
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('keep-cascade'));
    const middle = await client.create(refs.configmaps, namespace, configMap('keep-cascade-middle', [ownerRef(owner)], ['orphan']));
    const middleRef: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'keep-cascade-middle', uid: middle.metadata.uid! };
    await client.create(refs.configmaps, namespace, configMap('keep-cascade-leaf', [middleRef]));

    await client.delete(refs.daemonsets, namespace, 'keep-cascade');

    await waitFor(async () => gone(client, refs.configmaps, 'keep-cascade-middle'), { describe: describeState });
    const leaf = await client.get(refs.configmaps, namespace, 'keep-cascade-leaf');
    assert.equal(leaf.metadata.ownerReferences, undefined, 'the leaf was orphaned, not deleted');
  });
});

describe('GarbageCollector at start', () => {
  it('collects dependents whose owners were deleted while it was not running', async () => {
    const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    const client = new LocalClient(server.registry);
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('before'));
    await client.create(refs.pods, namespace, pod('before-a', [ownerRef(owner)]));
    await client.create(refs.configmaps, namespace, configMap('before-owner-alive', [ownerRef(await client.create(refs.daemonsets, namespace, daemonSet('still-here')))]));
    await client.delete(refs.daemonsets, namespace, 'before');
    assert.equal(await exists(client, refs.pods, 'before-a'), true, 'nobody collected it yet');

    const gc = new GarbageCollector({ client });
    try {
      await gc.start();
      await waitFor(async () => gone(client, refs.pods, 'before-a'));
      assert.equal(await exists(client, refs.configmaps, 'before-owner-alive'), true);
    } finally {
      await gc.stop();
      await server.close();
    }
  });

  it('finishes a foreground deletion that was started while it was not running', async () => {
    const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    const client = new LocalClient(server.registry);
    const owner = await client.create(refs.daemonsets, namespace, daemonSet('pending'));
    await client.create(refs.pods, namespace, pod('pending-a', [ownerRef(owner)]));
    await client.delete(refs.daemonsets, namespace, 'pending', { propagationPolicy: 'Foreground' });

    const gc = new GarbageCollector({ client });
    try {
      await gc.start();
      await waitFor(async () => (await gone(client, refs.daemonsets, 'pending')) && (await gone(client, refs.pods, 'pending-a')));
    } finally {
      await gc.stop();
      await server.close();
    }
  });

  it('collects dependents of an owner deleted while its watches were broken', async () => {
    const server = new ApiServer({ store: new MemoryStore(), log: () => {} });
    await server.start();
    const client = breakableClient(new LocalClient(server.registry));
    const gc = new GarbageCollector({ client });
    try {
      await gc.start();
      const owner = await client.create(refs.daemonsets, namespace, daemonSet('unseen'));
      await client.create(refs.pods, namespace, pod('unseen-a', [ownerRef(owner)]));
      client.breakWatches();
      await client.delete(refs.daemonsets, namespace, 'unseen');
      // The informers list again after their backoff and notice the owner is gone.
      await waitFor(async () => gone(client, refs.pods, 'unseen-a'));
    } finally {
      await gc.stop();
      await server.close();
    }
  });
});
