/**
 * `kubectl drain` and PodDisruptionBudgets with the real kubectl: the budget's table and status, kubectl's
 * own refusals (DaemonSet pods, pods without a controller), evictions blocked by a budget and retried until
 * the budget allows them, `--timeout`, DaemonSet pods left running, and `kubectl uncordon`.
 *
 * The workload: three pods `web-1..3` whose controller is a ConfigMap (any controller reference satisfies
 * drain, which only asks whether a pod declares one; everynode serves no ReplicaSets), two of them on
 * node-1; an unmanaged pod `loner` on node-1; and a DaemonSet `agent` on both nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

/** `kubectl get` table output as rows of cells (split on runs of 2+ spaces). */
function table(output: string): string[][] {
  return output
    .trimEnd()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

const pod = (name: string, node: string, owner?: { name: string; uid: string }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    labels: { app: owner ? 'web' : 'loner' },
    ...(owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, controller: true }] } : {}),
  },
  spec: { nodeName: node, containers: [{ name: 'main', image: 'nginx:1.25' }] },
});

const agent = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'prom/node-exporter:v1.7.0' }] } } },
};

const blocked = /error when evicting pods\/"web-[12]" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./;

describe("kubectl drain and PodDisruptionBudgets", { timeout: 120_000 }, () => {
  let lab: TestLab;
  let agentOnNode1 = '';

  before(async () => {
    lab = await startTestLab({ nodes: 2, controlPlane: 0 });
    await lab.kubectlOk(['create', 'configmap', 'web']);
    const uid = await lab.kubectlOk(['get', 'configmap', 'web', '-o', 'jsonpath={.metadata.uid}']);
    const manifests = [pod('web-1', 'node-1', { name: 'web', uid }), pod('web-2', 'node-1', { name: 'web', uid }), pod('web-3', 'node-2', { name: 'web', uid }), pod('loner', 'node-1'), agent];
    await lab.kubectlOk(['apply', '-f', '-'], { input: manifests.map((m) => JSON.stringify(m)).join('\n') });
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=2', 'ds/agent', '--timeout=30s']);
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'pod/web-1', 'pod/web-2', 'pod/web-3', 'pod/loner', '--timeout=30s']);
    agentOnNode1 = await lab.kubectlOk(['get', 'pods', '-l', 'app=agent', '--field-selector', 'spec.nodeName=node-1', '-o', 'jsonpath={.items[0].metadata.name}']);
  });

  after(async () => {
    await lab?.stop();
  });

  it('kubectl get pdb shows the budgets and the controller fills in their status', async () => {
    assert.equal((await lab.kubectlOk(['create', 'pdb', 'web', '--selector=app=web', '--min-available=3'])).trim(), 'poddisruptionbudget.policy/web created');
    // maxUnavailable over DaemonSet pods: upstream cannot find a scale for a DaemonSet and fails safe.
    await lab.kubectlOk(['create', 'pdb', 'agent', '--selector=app=agent', '--max-unavailable=1']);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.observedGeneration}=1', 'pdb/web', '--timeout=10s']);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.conditions[0].reason}=SyncFailed', 'pdb/agent', '--timeout=10s']);

    const rows = table(await lab.kubectlOk(['get', 'pdb']));
    assert.deepEqual(rows[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual(rows.slice(1).map((r) => r.slice(0, 4)), [
      ['agent', 'N/A', '1', '0'],
      ['web', '3', 'N/A', '0'],
    ]);
    const web = await lab.kubectlOk(['get', 'pdb', 'web', '-o', 'jsonpath={.status.expectedPods} {.status.currentHealthy} {.status.desiredHealthy} {.status.disruptionsAllowed} {.status.conditions[0].type}={.status.conditions[0].status}/{.status.conditions[0].reason}']);
    assert.equal(web, '3 3 3 0 DisruptionAllowed=False/InsufficientPods');
    const agentPdb = await lab.kubectlOk(['get', 'pdb', 'agent', '-o', 'jsonpath={.status.conditions[0].status} {.status.conditions[0].message}']);
    assert.equal(agentPdb, 'False daemonsets.apps does not implement the scale subresource');
    const events = await lab.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=agent,reason=CalculateExpectedPodCountFailed', '-o', 'jsonpath={.items[0].message}']);
    assert.equal(events, 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource');
  });

  it('without --ignore-daemonsets or --force, kubectl refuses (after cordoning) and evicts nothing', async () => {
    const plain = await lab.kubectl(['drain', 'node-1', '--timeout=10s']);
    assert.equal(plain.code, 1);
    assert.equal(plain.stdout.trim(), 'node/node-1 cordoned');
    assert.ok(plain.stderr.includes(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/${agentOnNode1}`), plain.stderr);
    assert.ok(plain.stderr.includes('Pods that declare no controller (use --force to override): default/loner'), plain.stderr);

    const noForce = await lab.kubectl(['drain', 'node-1', '--ignore-daemonsets', '--timeout=10s']);
    assert.equal(noForce.code, 1);
    assert.equal(noForce.stdout.trim(), 'node/node-1 already cordoned');
    assert.ok(noForce.stderr.includes('Pods that declare no controller (use --force to override): default/loner'), noForce.stderr);
    assert.ok(!noForce.stderr.includes('DaemonSet-managed Pods (use'), noForce.stderr);

    const names = await lab.kubectlOk(['get', 'pods', '--field-selector', 'spec.nodeName=node-1', '-o', 'jsonpath={.items[*].metadata.name}']);
    assert.deepEqual(names.split(' ').sort(), [agentOnNode1, 'loner', 'web-1', 'web-2'].sort());
  });

  it('--timeout: a drain the budget blocks retries every 5 s, then gives up (the unmanaged pod is gone by then)', async () => {
    const result = await lab.kubectl(['drain', 'node-1', '--ignore-daemonsets', '--force', '--timeout=3s'], { timeoutMs: 30_000 });
    assert.equal(result.code, 1);
    assert.match(result.stderr, blocked);
    // kubectl joins its two warnings in map order, so either may come first.
    assert.match(result.stderr, /^Warning: .*ignoring DaemonSet-managed Pods: default\/agent-\w+/m, 'the DaemonSet pod is left alone');
    assert.match(result.stderr, /^Warning: .*deleting Pods that declare no controller: default\/loner/m, 'the unmanaged pod is deleted');
    assert.match(result.stderr, /error when evicting pods\/"web-[12]" -n "default": global timeout reached: 3s/);
    assert.match(result.stdout, /^pod\/loner evicted$/m);
    await lab.kubectlOk(['wait', '--for=delete', 'pod/loner', '--timeout=10s']);
    assert.equal(await lab.kubectlOk(['get', 'pod', 'web-1', 'web-2', '-o', 'jsonpath={.items[*].status.phase}']), 'Running Running');
  });

  it('a blocked drain goes through once the budget allows it, and DaemonSet pods keep running', async () => {
    const drain = lab.kubectlInBackground(['drain', 'node-1', '--ignore-daemonsets', '--force', '--timeout=60s'], { killAfterMs: 120_000 });
    await drain.waitFor(blocked, 15_000, 'stderr');
    // While kubectl waits to retry, the owner of the budget lowers it: 3 healthy, 1 needed.
    await lab.kubectlOk(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    const result = await drain.exit;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^pod\/web-1 evicted$/m);
    assert.match(result.stdout, /^pod\/web-2 evicted$/m);
    assert.match(result.stdout.trimEnd(), /node\/node-1 drained$/);
    assert.match(result.stderr, /Warning: ignoring DaemonSet-managed Pods: default\/agent-\w+/);

    const left = await lab.kubectlOk(['get', 'pods', '--field-selector', 'spec.nodeName=node-1', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.phase}{"\\n"}{end}']);
    assert.equal(left.trim(), `${agentOnNode1} Running`);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.expectedPods}=1', 'pdb/web', '--timeout=10s']);
    assert.equal(await lab.kubectlOk(['get', 'pdb', 'web', '-o', 'jsonpath={.status.currentHealthy} {.status.disruptionsAllowed}']), '1 0');
    assert.equal(table(await lab.kubectlOk(['get', 'nodes']))[1]?.slice(0, 2).join(' '), 'node-1 Ready,SchedulingDisabled');
  });

  it('kubectl uncordon makes the node schedulable again', async () => {
    assert.equal((await lab.kubectlOk(['uncordon', 'node-1'])).trim(), 'node/node-1 uncordoned');
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.spec.unschedulable}']), '');
    assert.equal(table(await lab.kubectlOk(['get', 'nodes']))[1]?.slice(0, 2).join(' '), 'node-1 Ready');
  });
});
