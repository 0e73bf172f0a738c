/**
 * `everynode up --profile FILE`: the profile's pools are the fleet, its timing and fault rules shape how
 * pods behave, and a mistake in it stops the lab with one line naming the field.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runKubectl } from '../../src/testing/kubectl.js';
import { startLabProcess, type LabProcess } from '../../src/testing/lab-process.js';

const root = join(import.meta.dirname, '../..');

const profile = `
apiVersion: everynode.dev/v1alpha1
kind: LabProfile
startDelay: 0s
readyDelay: 0s
pools:
- name: cp
  controlPlane: true
- name: ssd
  count: 2
  labels: {disktype: ssd}
- name: edge
  labels: {disktype: hdd}
  crashLoops: ["nginx:1.2*"]
faults:
- image: registry.internal/*
  fault: ImagePullFailure
  nodeSelector: {matchLabels: {disktype: ssd}}
`;

function daemonSet(name: string, image: string): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  });
}

describe('everynode up --profile', () => {
  let dir: string;
  let lab: LabProcess;
  const kubectl = (args: string[], input?: string) => runKubectl(['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { input });
  const kubectlOk = async (args: string[], input?: string) => {
    const result = await kubectl(args, input);
    assert.equal(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  /** pod's node → its first container's waiting reason, or its phase when not waiting. */
  const stateByNode = async (app: string) => {
    const out = await kubectlOk(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={range .items[*]}{.spec.nodeName}={.status.containerStatuses[0].state.waiting.reason}/{.status.phase}{"\\n"}{end}']);
    return Object.fromEntries(
      out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [node, rest] = line.split('=') as [string, string];
          const [reason, phase] = rest.split('/');
          // ErrImagePull turns into ImagePullBackOff after 10 s; either shows the pull failing.
          return [node, reason === 'ImagePullBackOff' ? 'ErrImagePull' : reason || phase];
        }),
    );
  };
  const waitForStates = async (app: string, want: Record<string, string>) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const got = await stateByNode(app);
      if (JSON.stringify(got, Object.keys(want).sort()) === JSON.stringify(want, Object.keys(want).sort()) && Object.keys(got).length === Object.keys(want).length) return;
      if (Date.now() > deadline) assert.deepEqual(got, want);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'everynode-profile-'));
    writeFileSync(join(dir, 'lab.yaml'), profile);
    lab = await startLabProcess(dir, ['--memory', '--profile', join(dir, 'lab.yaml')]);
  });
  after(async () => {
    lab?.child.kill('SIGTERM');
    await lab?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the pools as the fleet instead of the default nodes', async () => {
    await kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
    const nodes = await kubectlOk(['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,DISK:.metadata.labels.disktype,TAINTS:.spec.taints[*].key', '--no-headers']);
    assert.deepEqual(
      nodes.trim().split('\n').map((line) => line.split(/\s+/).join(' ')),
      ['cp-1 <none> node-role.kubernetes.io/control-plane', 'edge-1 hdd <none>', 'ssd-1 ssd <none>', 'ssd-2 ssd <none>'],
    );
  });

  it('fails the pull of a matching image only on the nodes the fault rule selects', async () => {
    await kubectlOk(['apply', '-f', '-'], daemonSet('internal', 'registry.internal/agent:1.0'));
    await waitForStates('internal', { 'edge-1': 'Running', 'ssd-1': 'ErrImagePull', 'ssd-2': 'ErrImagePull' });
  });

  it('crash-loops the images a pool names', async () => {
    await kubectlOk(['apply', '-f', '-'], daemonSet('web', 'nginx:1.27'));
    await waitForStates('web', { 'edge-1': 'CrashLoopBackOff', 'ssd-1': 'Running', 'ssd-2': 'Running' });
    const restarts = await kubectlOk(['get', 'pods', '-l', 'app=web', '--field-selector', 'spec.nodeName=edge-1', '-o', 'jsonpath={.items[0].status.containerStatuses[0].restartCount}']);
    assert.ok(Number(restarts) >= 1);
  });

  it('refuses a profile with a mistake, in one line naming the field', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'pools:\n- name: a\n  count: many\n');
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'up', '--memory', '--port', '0', '--kubeconfig', join(dir, 'kc2'), '--profile', join(dir, 'bad.yaml')], { cwd: root }, (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
      );
    });
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), `error: profile ${join(dir, 'bad.yaml')}: pools[0].count: must be a whole number from 0 to 100000`);
  });
});
