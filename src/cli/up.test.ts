import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findResource } from '../apiserver/index.js';
import { request } from '../testing/http.js';
import { leaseRenewMs } from './cluster.js';
import { startLab } from './up.js';

describe('leaseRenewMs', () => {
  const cases: [number | undefined, number][] = [
    [undefined, 10_000],
    [40_000, 10_000],
    [120_000, 10_000],
    [4_000, 1_000],
    [2_000, 500],
    [100, 100],
  ];
  for (const [grace, want] of cases) it(`grace ${grace ?? 'default'} → renew every ${want} ms`, () => assert.equal(leaseRenewMs(grace), want));
});

describe('startLab', () => {
  // The cluster side runs in a worker thread by default; --single-thread keeps it on the API server's.
  for (const singleThread of [false, true]) {
    it(`${singleThread ? 'single-thread' : 'with the cluster thread'}: a DaemonSet gets a Ready pod on each node, and stop ends it all`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'everynode-up-'));
      const lab = await startLab({ port: 0, host: '127.0.0.1', data: join(dir, 'data'), kubeconfig: join(dir, 'kubeconfig'), memory: true, nodes: 2, controlPlane: 0, startDelayMs: 0, readyDelayMs: 0, singleThread });
      try {
        const ds = {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          metadata: { name: 'agent' },
          spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } } },
        };
        assert.equal((await request(lab.url, 'POST', '/apis/apps/v1/namespaces/default/daemonsets', ds)).status, 201);
        for (let tries = 0; ; tries++) {
          const status = (await request(lab.url, 'GET', '/apis/apps/v1/namespaces/default/daemonsets/agent')).json.status;
          if (status?.numberReady === 2) break;
          assert.ok(tries < 200, `two Ready pods, got ${JSON.stringify(status)}`);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      } finally {
        await lab.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a control-plane node runs kubeadm\'s static pods, published as mirror pods in kube-system', { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'everynode-up-'));
    const lab = await startLab({ port: 0, host: '127.0.0.1', data: join(dir, 'data'), kubeconfig: join(dir, 'kubeconfig'), memory: true, nodes: 0, controlPlane: 1, startDelayMs: 0, readyDelayMs: 0 });
    try {
      const want = ['etcd-control-plane', 'kube-apiserver-control-plane', 'kube-controller-manager-control-plane', 'kube-scheduler-control-plane'];
      let pods: { metadata: { name: string; ownerReferences?: { kind: string }[] }; spec: { priority?: number }; status?: { phase?: string } }[] = [];
      for (let tries = 0; ; tries++) {
        pods = (await request(lab.url, 'GET', '/api/v1/namespaces/kube-system/pods')).json.items;
        if (pods.length === want.length && pods.every((p) => p.status?.phase === 'Running')) break;
        assert.ok(tries < 200, `four running mirror pods, got ${pods.map((p) => `${p.metadata.name} ${p.status?.phase}`).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.deepEqual(pods.map((p) => p.metadata.name).sort(), want);
      for (const pod of pods) {
        assert.equal(pod.metadata.ownerReferences?.[0]?.kind, 'Node', 'a mirror pod, owned by its node');
        assert.equal(pod.spec.priority, 2_000_001_000, 'system-node-critical');
      }
    } finally {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('eventTtlMs (--event-ttl): an Event goes once its TTL has passed', { timeout: 10_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'everynode-up-'));
    const lab = await startLab({ port: 0, host: '127.0.0.1', data: join(dir, 'data'), kubeconfig: join(dir, 'kubeconfig'), memory: true, nodes: 0, controlPlane: 0, eventTtlMs: 500 });
    try {
      const event = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'p' }, reason: 'Test' };
      const created = await request(lab.url, 'POST', '/api/v1/namespaces/default/events', event);
      assert.equal(created.status, 201);
      // The server's own watch sees the deletion; waiting on it needs no sleep.
      const gone = new Promise<void>((resolve) => {
        const stop = lab.server.cache.watch({ resource: findResource('', 'v1', 'events')!, fromRevision: Number(created.json.metadata.resourceVersion), onEvent: (type) => type === 'DELETED' && (stop(), resolve()) });
      });
      await gone;
      assert.equal((await request(lab.url, 'GET', '/api/v1/namespaces/default/events/e')).status, 404);
    } finally {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a port already in use fails the start with EADDRINUSE and leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'everynode-up-'));
    const base = { host: '127.0.0.1', memory: true, nodes: 1, controlPlane: 0 };
    const first = await startLab({ ...base, port: 0, data: join(dir, 'a'), kubeconfig: join(dir, 'a.kubeconfig') });
    try {
      const port = Number(new URL(first.url).port);
      await assert.rejects(startLab({ ...base, port, data: join(dir, 'b'), kubeconfig: join(dir, 'b.kubeconfig') }), (error: NodeJS.ErrnoException) => error.code === 'EADDRINUSE');
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    // A cluster thread left behind would keep this test file's process alive until the runner's timeout.
  });
});
