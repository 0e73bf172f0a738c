/**
 * The seeds' node selection with the real kubectl: nodeSelector, node affinity, taints and
 * tolerations, relabelling; a pod that fits nowhere; deleting a DaemonSet with and without its pods.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const daemonSet = (name: string, spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { ...spec, containers: [{ name: 'main', image: 'busybox:1.36', ...container }] } },
    },
  });

describe('placement with kubectl', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ nodes: 4, controlPlane: 1 });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
  });
  after(async () => {
    await lab?.stop();
  });

  /** Node names of the pods of a DaemonSet, sorted. */
  const nodesOf = async (app: string): Promise<string[]> => {
    const out = await lab.kubectlOk(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}']);
    return out.split('\n').filter(Boolean).sort();
  };
  const desired = (name: string, n: number) => lab.kubectlOk(['wait', `--for=jsonpath={.status.desiredNumberScheduled}=${n}`, `ds/${name}`, '--timeout=20s']);

  it('nodeSelector: only labelled nodes get a pod; relabelling a node removes it', async () => {
    await lab.kubectlOk(['label', 'nodes', 'node-1', 'node-2', 'disktype=ssd']);
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('ssd-agent', { nodeSelector: { disktype: 'ssd' } }) });
    await desired('ssd-agent', 2);
    await eventually('pods on node-1 and node-2', async () => (await nodesOf('ssd-agent')).join() === 'node-1,node-2', 20_000);
    await lab.kubectlOk(['label', 'nodes', 'node-2', 'disktype=hdd', '--overwrite']);
    await desired('ssd-agent', 1);
    await eventually('the pod on node-2 to go', async () => (await nodesOf('ssd-agent')).join() === 'node-1', 20_000);
  });

  it('node affinity disktype In [ssd, nvme]', async () => {
    await lab.kubectlOk(['label', 'nodes', 'node-3', 'disktype=nvme']);
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd', 'nvme'] }] }] } } };
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('fast-disk', { affinity }) });
    await desired('fast-disk', 2);
    await eventually('pods on node-1 and node-3', async () => (await nodesOf('fast-disk')).join() === 'node-1,node-3', 20_000);
  });

  it('a NoSchedule taint keeps pods off until tolerated; added later it leaves the pod (misscheduled); NoExecute removes it', async () => {
    await lab.kubectlOk(['taint', 'nodes', 'node-4', 'dedicated=monitoring:NoSchedule']);
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('monitor') });
    await desired('monitor', 3);
    await eventually('no pod on the tainted node', async () => (await nodesOf('monitor')).join() === 'node-1,node-2,node-3', 20_000);
    const toleration = [{ key: 'dedicated', operator: 'Equal', value: 'monitoring', effect: 'NoSchedule' }];
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('monitor', { tolerations: toleration }) });
    await desired('monitor', 4);
    await eventually('a pod on node-4 once tolerated', async () => (await nodesOf('monitor')).includes('node-4'), 20_000);

    await lab.kubectlOk(['taint', 'nodes', 'node-1', 'maintenance=true:NoSchedule']);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberMisscheduled}=1', 'ds/monitor', '--timeout=20s']);
    assert.ok((await nodesOf('monitor')).includes('node-1'), 'a NoSchedule taint added later keeps the pod');
    await lab.kubectlOk(['taint', 'nodes', 'node-1', 'maintenance=true:NoExecute']);
    await eventually('the NoExecute taint to remove the pod', async () => !(await nodesOf('monitor')).includes('node-1'), 20_000);
    await lab.kubectlOk(['taint', 'nodes', 'node-1', 'maintenance-']);
  });

  it('a pod whose requests fit no node stays Pending with a FailedScheduling event; a big node fixes it', async () => {
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('hungry', { nodeSelector: { size: 'xl' } }, { resources: { requests: { cpu: '6' } } }) });
    await lab.kubectlOk(['label', 'nodes', 'node-3', 'size=xl']);
    await desired('hungry', 1);
    await eventually('a FailedScheduling event', async () => (await lab.kubectlOk(['get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'name'])).trim() !== '', 20_000);
    const events = await lab.kubectlOk(['get', 'events', '--field-selector', 'reason=FailedScheduling']);
    assert.match(events, /0\/5 nodes are available: 1 Insufficient cpu/);
    const pod = await lab.kubectlOk(['get', 'pods', '-l', 'app=hungry', '-o', 'jsonpath={.items[0].status.phase} {.items[0].status.conditions[0].reason}']);
    assert.equal(pod, 'Pending Unschedulable');
    const status = await lab.kubectlOk(['get', 'ds', 'hungry', '-o', 'jsonpath={.status.currentNumberScheduled} {.status.numberReady}']);
    assert.equal(status, '1 0');

    const big = JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'big-1', labels: { size: 'xl' }, annotations: { 'everynode.dev/simulated': 'true', 'everynode.dev/cpu': '16' } } });
    await lab.kubectlOk(['label', 'nodes', 'node-3', 'size-']);
    await lab.kubectlOk(['apply', '-f', '-'], { input: big });
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=1', 'ds/hungry', '--timeout=20s']);
    assert.deepEqual(await nodesOf('hungry'), ['big-1']);
  });

  it('describe ds shows the events; delete removes pods and revisions; --cascade=orphan keeps pods for adoption', async () => {
    const described = await lab.kubectlOk(['describe', 'ds', 'monitor']);
    assert.match(described, /SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: monitor-/);

    await lab.kubectlOk(['delete', 'ds', 'fast-disk']);
    await eventually('fast-disk pods to go', async () => (await nodesOf('fast-disk')).length === 0, 20_000);
    assert.equal((await lab.kubectlOk(['get', 'controllerrevisions', '-l', 'app=fast-disk', '-o', 'name'])).trim(), '');

    const before = await nodesOf('ssd-agent');
    await lab.kubectlOk(['delete', 'ds', 'ssd-agent', '--cascade=orphan']);
    const owners = await lab.kubectlOk(['get', 'pods', '-l', 'app=ssd-agent', '-o', 'jsonpath={.items[*].metadata.ownerReferences}']);
    assert.equal(owners.trim(), '', 'orphaned pods have no ownerReferences');
    assert.deepEqual(await nodesOf('ssd-agent'), before);
    const names = (await lab.kubectlOk(['get', 'pods', '-l', 'app=ssd-agent', '-o', 'name'])).trim();
    await lab.kubectlOk(['apply', '-f', '-'], { input: daemonSet('ssd-agent', { nodeSelector: { disktype: 'ssd' } }) });
    await eventually('adoption', async () => (await lab.kubectlOk(['get', 'pods', '-l', 'app=ssd-agent', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].kind}'])).trim() === 'DaemonSet', 20_000);
    assert.equal((await lab.kubectlOk(['get', 'pods', '-l', 'app=ssd-agent', '-o', 'name'])).trim(), names, 'the same pods, adopted');
  });
});
