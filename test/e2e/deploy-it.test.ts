/**
 * Seed 000, "Deploy it": a lab with its default nodes (node-1…node-4 and a tainted control plane),
 * the node-exporter DaemonSet applied with kubectl: one Ready pod per worker, none on the control plane;
 * seed 003's manifest tolerates NoSchedule and also lands on the control plane.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const seeds = join(import.meta.dirname, '../seeds/manifests');
const rows = (text: string) => text.trim().split('\n').map((line) => line.trim().split(/\s{2,}/));

describe('seed 000: deploy it', () => {
  let lab: TestLab;
  before(async () => {
    lab = await startTestLab({ nodes: 4, controlPlane: 1 });
  });
  after(async () => {
    await lab?.stop();
  });

  it('the lab starts with four Ready workers and a tainted control plane', async () => {
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
    const nodes = rows(await lab.kubectlOk(['get', 'nodes']));
    assert.deepEqual(nodes.slice(1).map((r) => [r[0], r[1], r[2]]), [
      ['control-plane', 'Ready', 'control-plane'],
      ['node-1', 'Ready', '<none>'],
      ['node-2', 'Ready', '<none>'],
      ['node-3', 'Ready', '<none>'],
      ['node-4', 'Ready', '<none>'],
    ]);
  });

  it('node-exporter runs one Ready pod on each worker and none on the control plane', async () => {
    await lab.kubectlOk(['create', 'namespace', 'monitoring']);
    await lab.kubectlOk(['apply', '-f', join(seeds, 'node-exporter-daemonset.yaml')]);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=4', 'ds/node-exporter', '-n', 'monitoring', '--timeout=30s']);
    const ds = rows(await lab.kubectlOk(['get', 'daemonset', '-n', 'monitoring']));
    assert.deepEqual(ds[1].slice(0, 7), ['node-exporter', '4', '4', '4', '4', '4', '<none>']);
    const pods = rows(await lab.kubectlOk(['get', 'pods', '-n', 'monitoring', '-o', 'wide']));
    assert.deepEqual(pods.slice(1).map((r) => r[6]).sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
    for (const pod of pods.slice(1)) assert.deepEqual([pod[1], pod[2]], ['1/1', 'Running']);
  });

  it("seed 003's manifest tolerates NoSchedule and also runs on the control plane", async () => {
    await lab.kubectlOk(['apply', '-f', join(seeds, 'prometheus-node-exporter.yaml')]);
    await lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=5', 'ds/node-exporter', '-n', 'monitoring', '--timeout=30s']);
    const nodesWithPods = rows(await lab.kubectlOk(['get', 'pods', '-n', 'monitoring', '-o', 'wide'])).slice(1).map((r) => r[6]);
    assert.ok(nodesWithPods.includes('control-plane'), JSON.stringify(nodesWithPods));
  });
});
