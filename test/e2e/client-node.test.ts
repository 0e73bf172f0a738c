/**
 * The official JavaScript client (`@kubernetes/client-node`) against everynode: typed create, list,
 * the four patch content types, watch, and an informer — what a program would do.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

describe('@kubernetes/client-node against everynode', () => {
  let lab: TestLab;
  let kc: k8s.KubeConfig;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;

  before(async () => {
    lab = await startTestLab();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(lab.kubeconfigPath);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    await lab?.stop();
  });

  const daemonSet: k8s.V1DaemonSet = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', labels: { app: 'agent' } },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }, { name: 'sidecar', image: 'side:1' }] } },
    },
  };

  it('creates, reads and lists typed objects', async () => {
    const created = await apps.createNamespacedDaemonSet({ namespace: 'default', body: daemonSet });
    assert.equal(created.metadata?.generation, 1);
    assert.equal(created.spec?.updateStrategy?.type, 'RollingUpdate');
    const read = await apps.readNamespacedDaemonSet({ name: 'agent', namespace: 'default' });
    assert.equal(read.metadata?.uid, created.metadata?.uid);
    const list = await apps.listNamespacedDaemonSet({ namespace: 'default', labelSelector: 'app=agent' });
    assert.deepEqual(list.items.map((d) => d.metadata?.name), ['agent']);
    const namespaces = await core.listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'kube-system'));
  });

  it('patches with strategic merge, merge and JSON patch', async () => {
    const strategic = await apps.patchNamespacedDaemonSet(
      { name: 'agent', namespace: 'default', body: { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategic.spec?.template.spec?.containers.map((c) => c.image), ['agent:2', 'side:1']);
    const merge = await apps.patchNamespacedDaemonSet(
      { name: 'agent', namespace: 'default', body: { metadata: { annotations: { owner: 'team-a' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.equal(merge.metadata?.annotations?.owner, 'team-a');
    const json = await apps.patchNamespacedDaemonSet(
      { name: 'agent', namespace: 'default', body: [{ op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'side:2' }] },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch),
    );
    assert.equal(json.spec?.template.spec?.containers[1].image, 'side:2');
    assert.equal(json.metadata?.generation, 3);
  });

  it('reports API errors with their code', async () => {
    await assert.rejects(apps.readNamespacedDaemonSet({ name: 'missing', namespace: 'default' }), (error: unknown) => (error as { code?: number }).code === 404);
  });

  it('watches and runs an informer', async () => {
    const watch = new k8s.Watch(kc);
    const seen: string[] = [];
    const modified = new Promise<void>((resolve, reject) => {
      watch
        .watch(
          '/api/v1/namespaces/default/configmaps',
          { resourceVersion: '0' },
          (type, obj: k8s.V1ConfigMap) => {
            seen.push(`${type} ${obj.metadata?.name}`);
            if (type === 'MODIFIED') resolve();
          },
          (err) => (err ? reject(err) : undefined),
        )
        .then((req) => modified.finally(() => req.abort()));
    });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { a: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'watched', namespace: 'default', body: { data: { a: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await modified;
    assert.deepEqual(seen, ['ADDED watched', 'MODIFIED watched']);

    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const added = new Promise<void>((resolve) => informer.on('add', (obj) => obj.metadata?.name === 'informed' && resolve()));
    await informer.start();
    assert.ok(informer.list().some((c) => c.metadata?.name === 'watched'));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'informed' } } });
    await added;
    await informer.stop();
  });
});
