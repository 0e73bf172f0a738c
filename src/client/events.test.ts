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

  it('combines similar events after ten messages and drops what exceeds the spam budget, as upstream', async () => {
    const server = new ApiServer({ store: new MemoryStore() });
    await server.start();
    const client = new LocalClient(server.registry);
    const subject = await client.create<KubeObject>(refs.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'busy' } });
    let now = Date.parse('2030-01-01T00:00:00Z');
    const recorder = new EventRecorder(client, { component: 'daemonset-controller' }, () => now);
    for (let i = 1; i <= 40; i++) recorder.record(subject, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: p-${i}` });
    await recorder.flush();
    type Ev = { message: string; count: number };
    const list = async () => (await client.list(refs.events, { namespace: 'default', fieldSelector: `involvedObject.uid=${subject.metadata.uid}` })).items as unknown as Ev[];
    let events = await list();
    // 9 single events; from the 10th on, one combined event; after the 25th, nothing (the budget is spent).
    assert.equal(events.length, 10);
    assert.deepEqual(events.filter((e) => !e.message.startsWith('(combined')).map((e) => e.message).sort(), Array.from({ length: 9 }, (_, i) => `Created pod: p-${i + 1}`).sort());
    const combined = events.find((e) => e.message.startsWith('(combined'));
    assert.equal(combined?.message, '(combined from similar events): Created pod: p-25');
    assert.equal(combined?.count, 16);

    // One more token every five minutes.
    now += 300_000;
    recorder.record(subject, { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: p-41' });
    recorder.record(subject, { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: p-42' });
    await recorder.flush();
    events = await list();
    assert.equal(events.find((e) => e.message.startsWith('(combined'))?.message, '(combined from similar events): Created pod: p-41');
    assert.equal(events.find((e) => e.message.startsWith('(combined'))?.count, 17);
    await server.close();
  });
});
