/**
 * Pod GC against the real API server on the in-memory store, with a FakeClock.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Node, Pod } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { PodGCController, missingNodeNames } from './pod-gc-controller.js';

const pod = (name: string, nodeName?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'main', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
});

describe('missingNodeNames', () => {
  it('names nodes referenced by pods and absent', () => {
    assert.deepEqual([...missingNodeNames([pod('a', 'n1'), pod('b', 'n2'), pod('c'), pod('d', 'n2')], new Set(['n1']))], ['n2']);
  });
});

describe('PodGCController', () => {
  let server: ApiServer;
  let client: Client;
  let clock: FakeClock;
  let controller: PodGCController;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    controller = new PodGCController({ client, clock, quarantineMs: 2_000 });
  });

  afterEach(async () => {
    await controller.stop();
    await server.close();
  });

  const podNames = async () => (await client.list<Pod>(refs.pods, { namespace: 'default' })).items.map((p) => p.metadata.name).sort();
  const createNode = (name: string) => client.create<Node>(refs.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {} });

  it('deletes the pods of a deleted node after the quarantine, and leaves the others', async () => {
    await createNode('node-1');
    await createNode('node-2');
    await client.create(refs.pods, 'default', pod('on-1', 'node-1'));
    await client.create(refs.pods, 'default', pod('on-2', 'node-2'));
    await client.create(refs.pods, 'default', pod('unbound'));
    await controller.start();

    await client.delete(refs.nodes, undefined, 'node-1');
    await controller.gc();
    assert.deepEqual(await podNames(), ['on-1', 'on-2', 'unbound'], 'quarantined');
    clock.advance(1_999);
    await controller.gc();
    assert.deepEqual(await podNames(), ['on-1', 'on-2', 'unbound'], 'quarantined');
    clock.advance(1);
    await waitFor(async () => (await podNames()).length === 2, { describe: podNames });
    assert.deepEqual(await podNames(), ['on-2', 'unbound']);
  });

  it('collects pods bound to a node that never existed, on the periodic pass', async () => {
    await client.create(refs.pods, 'default', pod('ghost', 'nowhere'));
    await controller.start();
    await controller.gc();
    assert.deepEqual(await podNames(), ['ghost']);
    clock.advance(20_000);
    await waitFor(async () => (await podNames()).length === 0, { describe: podNames });
  });

  it('spares pods when the node comes back within the quarantine', async () => {
    await createNode('node-1');
    await client.create(refs.pods, 'default', pod('on-1', 'node-1'));
    await controller.start();
    await client.delete(refs.nodes, undefined, 'node-1');
    await createNode('node-1');
    clock.advance(5_000);
    await controller.gc();
    assert.deepEqual(await podNames(), ['on-1']);
  });
});
