/**
 * `kubectl logs` against pods on simulated nodes: the lines the simulated containers write, container
 * selection, --tail, --timestamps, --previous, -f, and the errors kubectl prints when there is no log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const manifests = [
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'hello' },
    spec: {
      selector: { matchLabels: { app: 'hello' } },
      template: {
        metadata: { labels: { app: 'hello' } },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36', command: ['sh', '-c', 'while true; do echo "hello from $HOSTNAME"; sleep 0.5; done'] }] },
      },
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: {
          initContainers: [{ name: 'setup', image: 'busybox:1.36', command: ['sh', '-c', 'echo preparing; echo done'] }],
          containers: [
            { name: 'exporter', image: 'prom/node-exporter:v1.8.0', ports: [{ containerPort: 9100 }] },
            { name: 'counter', image: 'busybox:1.36', args: ['/bin/sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 0.5; done'] },
          ],
        },
      },
    },
  },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crash' }, spec: { containers: [{ name: 'app', image: 'example/app:crashloop' }] } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pull' }, spec: { containers: [{ name: 'app', image: 'registry.example/does-not-exist:1.0' }] } },
];

describe('kubectl logs', () => {
  let lab: TestLab;
  let hello: string;
  let agent: string;

  const firstPod = async (app: string) => (await lab.kubectlOk(['get', 'pods', '-l', `app=${app}`, '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
  const waitingReason = async (pod: string) => lab.kubectlOk(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.reason}']);

  before(async () => {
    // Short simulated start and ready delays keep the file quick.
    lab = await startTestLab({ nodes: 2, controlPlane: 0, startDelayMs: 200, readyDelayMs: 200 });
    await lab.kubectlOk(['apply', '-f', '-'], { input: manifests.map((m) => JSON.stringify(m)).join('\n') });
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'pod', '-l', 'app in (hello, agent)', '--timeout=20s']);
    hello = await firstPod('hello');
    agent = await firstPod('agent');
  });
  after(async () => {
    await lab?.stop();
  });

  it('prints what a running daemon pod wrote', async () => {
    await eventually('a first line', async () => (await lab.kubectlOk(['logs', hello])).trim() !== '', 20_000);
    const lines = (await lab.kubectlOk(['logs', hello])).trimEnd().split('\n');
    for (const line of lines) assert.equal(line, `hello from ${hello}`);
  });

  it('defaults to the first container of several, with the note kubectl prints; -c picks another', async () => {
    const result = await lab.kubectl(['logs', agent]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr.trim(), `Defaulted container "exporter" out of: exporter, counter, setup (init)`);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ts=\S+ level=info msg="starting container" container=exporter image=prom\/node-exporter:v1\.8\.0$/);
    assert.match(lines[1]!, new RegExp(`msg="running on node" node=node-\\d pod=default/${agent} podIP=10\\.244\\.`));
    assert.match(lines[2]!, /msg=listening port=9100 protocol=TCP$/);

    const counter = (await lab.kubectlOk(['logs', agent, '-c', 'counter'])).trimEnd().split('\n');
    assert.match(counter[0]!, /^0: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}$/);
    assert.deepEqual((await lab.kubectlOk(['logs', agent, '-c', 'setup'])).trimEnd().split('\n'), ['preparing', 'done']);
  });

  it('--tail and --timestamps', async () => {
    await eventually('three counter lines', async () => (await lab.kubectlOk(['logs', agent, '-c', 'counter'])).trimEnd().split('\n').length >= 3, 20_000);
    const tail = (await lab.kubectlOk(['logs', agent, '-c', 'counter', '--tail=2'])).trimEnd().split('\n');
    assert.equal(tail.length, 2);
    const [a, b] = tail.map((l) => Number(l.split(':')[0]));
    assert.equal(b, a! + 1);
    const stamped = (await lab.kubectlOk(['logs', agent, '-c', 'counter', '--timestamps', '--tail=3'])).trimEnd().split('\n');
    assert.equal(stamped.length, 3);
    for (const line of stamped) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \d+: /);
  });

  it('--previous shows the crashed run of a crash-looping pod; without one it is an error', async () => {
    await eventually('crash to crash', async () => (await waitingReason('crash')) === 'CrashLoopBackOff', 20_000);
    const previous = (await lab.kubectlOk(['logs', 'crash', '--previous'])).trimEnd().split('\n');
    assert.match(previous.at(-1)!, /level=error msg="exiting after a fatal error" error="simulated crash: the image tag contains \\"crashloop\\"" exitCode=1$/);
    // While it waits to restart, the kubelet serves the last run without --previous too.
    assert.deepEqual((await lab.kubectlOk(['logs', 'crash'])).trimEnd().split('\n'), previous);

    const none = await lab.kubectl(['logs', hello, '--previous']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr.trim(), `Error from server (BadRequest): previous terminated container "main" in pod "${hello}" not found`);
  });

  it('-f streams new lines and exits 0 when the pod is deleted', { timeout: 30_000 }, async () => {
    // One line from the log so far, then at least two written while kubectl waits.
    const follower = lab.kubectlInBackground(['logs', '-f', '--tail=1', hello], { killAfterMs: 25_000 });
    await follower.waitFor(/(?:.+\n){3}/, 10_000);
    await lab.kubectlOk(['delete', 'pod', hello, '--wait=false']);
    const { code, stdout } = await follower.exit;
    assert.equal(code, 0);
    for (const line of stdout.trimEnd().split('\n')) assert.equal(line, `hello from ${hello}`);
  });

  it('a container that cannot start yet, and a missing pod, are errors as on a cluster', async () => {
    await eventually('the image pull to fail', async () => /ErrImagePull|ImagePullBackOff/.test(await waitingReason('pull')), 20_000);
    const waiting = await lab.kubectl(['logs', 'pull']);
    assert.equal(waiting.code, 1);
    assert.match(waiting.stderr.trim(), /^Error from server \(BadRequest\): container "app" in pod "pull" is waiting to start: (image can't be pulled|trying and failing to pull image)$/);

    const missing = await lab.kubectl(['logs', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /pods "nope" not found/);
  });

  it('exec, attach and port-forward say that simulated nodes run no containers, and point to logs', async () => {
    const pod = await firstPod('hello');
    const node = (await lab.kubectlOk(['get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName}'])).trim();
    const because = `node ${node} is simulated and runs no containers; kubectl logs shows what its containers print`;
    const exec = await lab.kubectl(['exec', pod, '--', 'ls', '/']);
    assert.equal(exec.code, 1);
    assert.equal(exec.stderr.trim(), `Error from server (BadRequest): exec is not available: ${because}`);
    const forward = await lab.kubectl(['port-forward', pod, '18080:80']);
    assert.equal(forward.code, 1);
    assert.match(forward.stderr, new RegExp(`port-forward is not available: ${because.replace(/[.;]/g, '\\$&')}`));
  });
});
