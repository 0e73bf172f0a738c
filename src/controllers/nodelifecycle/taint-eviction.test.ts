/**
 * The NoExecute taint manager against the real API server on the in-memory store, with a FakeClock.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Event, Node, Pod, Taint, Toleration } from '../../api/types.js';
import { ApiServer, LocalClient } from '../../apiserver/index.js';
import { FakeClock, refs, type Client } from '../../client/index.js';
import { MemoryStore } from '../../store/index.js';
import { waitFor } from '../../testing/controllers.js';
import { TaintEvictionController, getMatchingTolerations, getMinTolerationTimeMs } from './taint-eviction.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
const dedicated: Taint = { key: 'dedicated', value: 'db', effect: 'NoExecute' };

describe('taint eviction pure functions', () => {
  it('getMatchingTolerations: one toleration per taint, or undefined when one is not tolerated', () => {
    const tolerations: Toleration[] = [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'dedicated', operator: 'Equal', value: 'db' },
    ];
    assert.deepEqual(getMatchingTolerations([unreachable, dedicated], tolerations), tolerations);
    assert.equal(getMatchingTolerations([unreachable, { ...dedicated, value: 'web' }], tolerations), undefined);
    assert.equal(getMatchingTolerations([unreachable], undefined), undefined);
    assert.deepEqual(getMatchingTolerations([unreachable, dedicated], [{ operator: 'Exists' }]), [{ operator: 'Exists' }, { operator: 'Exists' }]);
  });

  const cases: { name: string; tolerations: Toleration[]; want: number }[] = [
    { name: 'no seconds: forever', tolerations: [{ operator: 'Exists' }], want: -1 },
    { name: 'smallest wins', tolerations: [{ tolerationSeconds: 300 }, { tolerationSeconds: 30 }, { operator: 'Exists' }], want: 30_000 },
    { name: 'negative counts as zero', tolerations: [{ tolerationSeconds: -5 }], want: 0 },
    { name: 'empty: forever', tolerations: [], want: -1 },
  ];
  for (const c of cases) {
    it(`getMinTolerationTimeMs: ${c.name}`, () => assert.equal(getMinTolerationTimeMs(c.tolerations), c.want));
  }
});

describe('TaintEvictionController', () => {
  let server: ApiServer;
  let client: Client;
  let clock: FakeClock;
  let controller: TaintEvictionController;

  beforeEach(async () => {
    server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    client = new LocalClient(server.registry);
    clock = new FakeClock(Date.UTC(2026, 0, 1));
    controller = new TaintEvictionController({ client, clock });
    await client.create<Node>(refs.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec: {} });
    await controller.start();
  });

  afterEach(async () => {
    await controller.stop();
    await server.close();
  });

  async function createPod(name: string, tolerations?: Toleration[]): Promise<void> {
    await client.create<Pod>(refs.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx' }], ...(tolerations ? { tolerations } : {}) },
    });
  }

  const taintNode = (taints: Taint[]) => client.patch(refs.nodes, undefined, 'node-1', 'merge', { spec: { taints } });
  /** Pods not being deleted (bound pods are deleted gracefully: they linger, terminating, without a kubelet). */
  const podNames = async () =>
    (await client.list<Pod>(refs.pods, { namespace: 'default' })).items
      .filter((p) => !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort();

  it('evicts pods after their tolerationSeconds (300 s unless they say: admission adds it), never those tolerating forever', async () => {
    await createPod('defaulted');
    await createPod('thirty', [{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    await createPod('forever', [{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }]);
    await createPod('other-taint', [{ key: 'dedicated', operator: 'Exists' }]);
    assert.deepEqual(await podNames(), ['defaulted', 'forever', 'other-taint', 'thirty']);

    await taintNode([{ ...unreachable, timeAdded: '2026-01-01T00:00:00Z' }]);
    await waitFor(() => controller.scheduledEvictions().size === 3);
    assert.deepEqual(await podNames(), ['defaulted', 'forever', 'other-taint', 'thirty'], 'no pod goes at once');

    clock.advance(29_999);
    await waitFor(() => controller.scheduledEvictions().size === 3);
    assert.deepEqual(await podNames(), ['defaulted', 'forever', 'other-taint', 'thirty'], 'not before 30 s');
    clock.advance(1);
    await waitFor(async () => (await podNames()).length === 3, { describe: podNames });
    assert.deepEqual(await podNames(), ['defaulted', 'forever', 'other-taint']);

    clock.advance(269_999);
    await waitFor(() => controller.scheduledEvictions().size === 2);
    assert.deepEqual(await podNames(), ['defaulted', 'forever', 'other-taint'], 'not before 300 s');
    clock.advance(1);
    await waitFor(async () => (await podNames()).length === 1, { describe: podNames });
    assert.deepEqual(await podNames(), ['forever']);

    clock.advance(3_600_000);
    assert.deepEqual(await podNames(), ['forever']);

    await controller.flushEvents();
    const events = (await client.list<Event>(refs.events, { namespace: 'default' })).items.filter((e) => e.reason === 'TaintManagerEviction');
    assert.deepEqual(events.map((e) => e.message).sort(), [
      'Marking for deletion Pod default/defaulted',
      'Marking for deletion Pod default/other-taint',
      'Marking for deletion Pod default/thirty',
    ]);
    assert.ok(events.every((e) => e.type === 'Normal'));
  });

  it('cancels a pending eviction when the taint goes', async () => {
    await createPod('thirty', [{ operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }]);
    await taintNode([unreachable]);
    await waitFor(() => controller.scheduledEvictions().size === 1);
    clock.advance(10_000);
    await taintNode([]);
    await waitFor(() => controller.scheduledEvictions().size === 0);
    clock.advance(60_000);
    assert.deepEqual(await podNames(), ['thirty']);
  });

  it('evicts at once a pod that lands on a node already tainted', async () => {
    await taintNode([dedicated]);
    await createPod('late');
    await waitFor(async () => (await podNames()).length === 0, { describe: podNames });
  });
});
