/**
 * The seed's "Critical Pod Priority": a DaemonSet with priorityClassName system-node-critical lands on a
 * node that a lower-priority pod fills, by preempting it; against a pod of equal priority it waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

function node(name: string, role: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { role }, annotations: { 'everynode.dev/simulated': 'true', 'everynode.dev/cpu': '1' } },
  });
}

function filler(name: string, nodeName: string, priorityClassName?: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'filler' } },
    spec: {
      nodeName,
      ...(priorityClassName ? { priorityClassName } : {}),
      containers: [{ name: 'work', image: 'busybox:1.36', resources: { requests: { cpu: '1' } } }],
    },
  });
}

function criticalDaemonSet(name: string, role: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          priorityClassName: 'system-node-critical',
          nodeSelector: { role },
          containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', resources: { requests: { cpu: '500m' } } }],
        },
      },
    },
  });
}

describe('critical DaemonSet pods and preemption', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ startDelayMs: 100, readyDelayMs: 100 });
  });
  after(async () => {
    await lab?.stop();
  });

  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      assert.ok(Date.now() < deadline, what);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  it('a system-node-critical daemon pod preempts the lower-priority pod that fills its node', async () => {
    await lab.kubectlOk(['apply', '-f', '-'], { input: node('full-a', 'a') });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node/full-a', '--timeout=20s']);
    await lab.kubectlOk(['apply', '-f', '-'], { input: filler('filler-a', 'full-a') });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'pod/filler-a', '--timeout=20s']);

    await lab.kubectlOk(['apply', '-f', '-'], { input: criticalDaemonSet('critical-a', 'a') });
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=1', 'ds/critical-a', '--timeout=20s']);
    const pod = await lab.kubectlOk(['get', 'pods', '-l', 'app=critical-a', '-o', 'jsonpath={.items[0].spec.nodeName} {.items[0].spec.priority}']);
    assert.equal(pod, 'full-a 2000001000');
    await until('the filler is gone', async () => (await lab.kubectl(['get', 'pod', 'filler-a'])).code !== 0);
    const events = await lab.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=filler-a', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    assert.match(events, /^Preempted: Preempted by pod [0-9a-f-]+ on node full-a$/m);
  });

  it('with equal priority the daemon pod stays Pending and the FailedScheduling event says why', async () => {
    await lab.kubectlOk(['apply', '-f', '-'], { input: node('full-b', 'b') });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node/full-b', '--timeout=20s']);
    await lab.kubectlOk(['apply', '-f', '-'], { input: filler('filler-b', 'full-b', 'system-node-critical') });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'pod/filler-b', '--timeout=20s']);

    await lab.kubectlOk(['apply', '-f', '-'], { input: criticalDaemonSet('critical-b', 'b') });
    let message = '';
    await until('a FailedScheduling event for the daemon pod', async () => {
      message = await lab.kubectlOk(['get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={range .items[*]}{.involvedObject.name} {.message}{"\\n"}{end}']);
      return /critical-b-/.test(message);
    });
    assert.match(message, /critical-b-\S+ 0\/2 nodes are available: .*1 Insufficient cpu.*\. preemption: 0\/2 nodes are available: .*1 No preemption victims found for incoming pod/);
    assert.equal(await lab.kubectlOk(['get', 'pods', '-l', 'app=critical-b', '-o', 'jsonpath={.items[0].status.phase}']), 'Pending');
    assert.equal(await lab.kubectlOk(['get', 'pod', 'filler-b', '-o', 'jsonpath={.status.phase}']), 'Running');
    const ds = await lab.kubectlOk(['get', 'ds', 'critical-b', '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.currentNumberScheduled} {.status.numberReady}']);
    assert.equal(ds, '1 1 0');
  });
});
