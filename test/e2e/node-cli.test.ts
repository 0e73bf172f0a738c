/**
 * `everynode node add|remove|stop|start` against a running lab: a DaemonSet follows nodes as they join
 * and leave; bad arguments get a one-line error.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const root = join(import.meta.dirname, '../..');

function everynode(lab: TestLab, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args, '--kubeconfig', lab.kubeconfigPath], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const nginx = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'nginx:1.25' }] } } },
});

describe('everynode node', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ nodes: 1, controlPlane: 0, nodeMonitorGracePeriodMs: 2000 });
    await lab.kubectlOk(['apply', '-f', '-'], { input: nginx });
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=1', 'ds/agent', '--timeout=20s']);
  });
  after(async () => {
    await lab?.stop();
  });

  it('node add brings a new node and the DaemonSet puts a pod on it', async () => {
    const added = await everynode(lab, ['node', 'add', 'node-9', '--labels', 'disktype=ssd', '--cpu', '8']);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout.trim(), 'node/node-9 added');
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node/node-9', '--timeout=20s']);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=2', 'ds/agent', '--timeout=20s']);
    const onNode9 = await lab.kubectlOk(['get', 'pods', '-l', 'app=agent', '--field-selector', 'spec.nodeName=node-9', '-o', 'name']);
    assert.equal(onNode9.trim().split('\n').length, 1);
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-9', '-o', 'jsonpath={.status.capacity.cpu}']), '8');
  });

  it('node remove takes the node away, and its pod and DESIRED go with it', async () => {
    const removed = await everynode(lab, ['node', 'remove', 'node-9']);
    assert.equal(removed.stdout.trim(), 'node/node-9 removed');
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.desiredNumberScheduled}=1', 'ds/agent', '--timeout=20s']);
    await lab.kubectlOk(['wait', '--for=delete', 'pod', '-l', 'app=agent', '--field-selector', 'spec.nodeName=node-9', '--timeout=20s']);
  });

  it('node stop: the node goes Unknown and tainted, its daemon pod stays (misscheduled, as upstream); start heals it', async () => {
    assert.equal((await everynode(lab, ['node', 'stop', 'node-1'])).stdout.trim(), 'node/node-1 stopped');
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.metadata.annotations.everynode\\.dev/stopped}']), 'true');
    // The lab under test uses a 2 s node-monitor grace period instead of 40 s.
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.conditions[?(@.type=="Ready")].status}=Unknown', 'node/node-1', '--timeout=30s']);
    const taints = await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.spec.taints[*].key}']);
    assert.match(taints, /node\.kubernetes\.io\/unreachable/);
    assert.match((await lab.kubectlOk(['get', 'nodes'])).split('\n').find((l) => l.startsWith('node-1')) ?? '', /^node-1\s+NotReady/);
    // Upstream: the unreachable NoSchedule taint is not tolerated automatically, so the node leaves
    // DESIRED and its pod (which tolerates the NoExecute taint) stays, counted as misscheduled.
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberMisscheduled}=1', 'ds/agent', '--timeout=20s']);
    assert.equal(await lab.kubectlOk(['get', 'ds', 'agent', '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.numberAvailable}']), '0 ', 'numberAvailable is omitted at 0, as upstream');
    assert.equal((await lab.kubectlOk(['get', 'pods', '-l', 'app=agent', '--field-selector', 'spec.nodeName=node-1', '-o', 'name'])).trim().split('\n').length, 1, 'the pod stays');
    assert.equal((await everynode(lab, ['node', 'start', 'node-1'])).stdout.trim(), 'node/node-1 started');
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.metadata.annotations.everynode\\.dev/stopped}']), '');
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node/node-1', '--timeout=30s']);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=1', 'ds/agent', '--timeout=30s']);
  });

  it('node add --crash-loops and --start-delay shape how pods behave on the new node', async () => {
    const added = await everynode(lab, ['node', 'add', 'node-crashy', '--crash-loops', 'nginx:1.2*', '--start-delay', '100ms']);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-crashy', '-o', 'jsonpath={.metadata.annotations.everynode\\.dev/start-delay}']), '100ms');
    const waiting = ['get', 'pods', '-l', 'app=agent', '--field-selector', 'spec.nodeName=node-crashy', '-o', 'jsonpath={.items[0].status.containerStatuses[0].state.waiting.reason}'];
    const deadline = Date.now() + 20_000;
    while ((await lab.kubectlOk(waiting)) !== 'CrashLoopBackOff') {
      assert.ok(Date.now() < deadline, 'the daemon pod on node-crashy crash-loops');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await everynode(lab, ['node', 'remove', 'node-crashy']);
  });

  it('node add --static-pods runs the manifests as static pods: mirror pods that come back after kubectl delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'everynode-static-'));
    writeFileSync(
      join(dir, 'etcd.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.5.16-0\n',
    );
    try {
      const added = await everynode(lab, ['node', 'add', 'cp-static', '--static-pods', dir]);
      assert.equal(added.code, 0, added.stderr);
      await lab.kubectlOk(['wait', '--for=condition=Ready', '-n', 'kube-system', 'pod/etcd-cp-static', '--timeout=20s']);
      const described = await lab.kubectlOk(['describe', 'pod', '-n', 'kube-system', 'etcd-cp-static']);
      assert.match(described, /Controlled By:\s+Node\/cp-static/);
      assert.match(described, /kubernetes\.io\/config\.mirror/);
      const uid = await lab.kubectlOk(['get', 'pod', '-n', 'kube-system', 'etcd-cp-static', '-o', 'jsonpath={.metadata.uid}']);
      assert.equal((await lab.kubectlOk(['delete', 'pod', '-n', 'kube-system', 'etcd-cp-static'])).trim(), 'pod "etcd-cp-static" deleted');
      const deadline = Date.now() + 20_000;
      for (;;) {
        const now = await lab.kubectl(['get', 'pod', '-n', 'kube-system', 'etcd-cp-static', '-o', 'jsonpath={.metadata.uid}']);
        if (now.code === 0 && now.stdout && now.stdout !== uid) break;
        assert.ok(Date.now() < deadline, 'the mirror pod is published again');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await everynode(lab, ['node', 'remove', 'cp-static']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad arguments get a one-line error', async () => {
    const cases: [string[], RegExp][] = [
      [['node', 'add', 'x', '--taints', 'a=b'], /^error: invalid taint "a=b": expected key\[=value\]:Effect/],
      [['node', 'add', 'x', '--memory', 'lots'], /^error: invalid quantity "lots" for memory/],
      [['node', 'add', 'node-1'], /^error: nodes "node-1" already exists/],
      [['node', 'remove', 'nope'], /^error: nodes "nope" not found/],
      [['node', 'add', 'x', '--start-delay', '5'], /^error: invalid duration "5" for --start-delay: expected e.g. 500ms, 2s, 1m30s/],
      [['node', 'add', 'x', '--static-pods', '/nonexistent/dir'], /^error: --static-pods \/nonexistent\/dir: not a directory of pod manifests$/],
    ];
    for (const [args, pattern] of cases) {
      const result = await everynode(lab, args);
      assert.equal(result.code, 1, args.join(' '));
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      assert.match(result.stderr.trim(), pattern);
    }
  });
});
