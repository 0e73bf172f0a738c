import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiServer, LocalClient } from '../apiserver/index.js';
import { MemoryStore } from '../store/index.js';
import { EventRecorder } from './events.js';
import { refs } from './types.js';
import type { KubeObject } from '../api/types.js';

describe('LocalClient binding', () => {
  it('binds a pod through create with subresource binding, once', async () => {
    const server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    const client = new LocalClient(server.registry);
    await client.create(refs.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-1' } };
    await client.create(refs.pods, 'default', binding, { subresource: 'binding' });
    const pod = await client.get<KubeObject & { spec: { nodeName?: string } }>(refs.pods, 'default', 'p');
    assert.equal(pod.spec.nodeName, 'node-1');
    await assert.rejects(client.create(refs.pods, 'default', binding, { subresource: 'binding' }), (e: unknown) => (e as { code?: number }).code === 409);
    await server.close();
  });
});

describe('EventRecorder', () => {
  it('creates an Event about an object and counts repeats on it', async () => {
    const server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    const client = new LocalClient(server.registry);
    const ds = await client.create<KubeObject>(refs.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'subject' } });
    const recorder = new EventRecorder(client, { component: 'daemonset-controller' });
    recorder.record(ds, { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: x' });
    recorder.record(ds, { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: x' });
    recorder.record(ds, { type: 'Warning', reason: 'FailedCreate', message: 'nope' });
    await recorder.flush();
    const events = (await client.list(refs.events, { namespace: 'default', fieldSelector: `involvedObject.uid=${ds.metadata.uid}` })).items as unknown as { reason: string; count: number; source: { component: string }; involvedObject: { name: string } }[];
    const byReason = new Map(events.map((e) => [e.reason, e]));
    assert.equal(events.length, 2);
    assert.equal(byReason.get('SuccessfulCreate')?.count, 2);
    assert.equal(byReason.get('FailedCreate')?.count, 1);
    assert.equal(byReason.get('SuccessfulCreate')?.source.component, 'daemonset-controller');
    assert.equal(byReason.get('SuccessfulCreate')?.involvedObject.name, 'subject');
    await server.close();
  });
});
