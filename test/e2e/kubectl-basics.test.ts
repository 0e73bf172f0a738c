/**
 * The real kubectl against `everynode` (issue #2's acceptance list): discovery, apply, get in every
 * output form, describe, label/annotate/taint/cordon, patch, edit, set image, delete, explain, wait.
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';

const seeds = join(import.meta.dirname, '../seeds/manifests');

const nodeManifest = (name: string, labels: Record<string, string> = {}) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels }, annotations: { 'everynode.dev/simulated': 'true' } },
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0', architecture: 'amd64', operatingSystem: 'linux', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
    },
  });

/** Splits a kubectl table into rows of cells (columns separated by 2+ spaces). */
function rows(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('kubectl against everynode', () => {
  let lab: TestLab;

  before(async () => {
    lab = await startTestLab();
  });
  after(async () => {
    await lab?.stop();
  });

  it('version reports server minor 32', async () => {
    const out = await lab.kubectlOk(['version']);
    assert.match(out, /Server Version: v1\.32\./);
  });

  it('api-resources lists the served resources with short names', async () => {
    const out = await lab.kubectlOk(['api-resources']);
    const byName = new Map(rows(out).map((cells) => [cells[0], cells]));
    assert.deepEqual(byName.get('daemonsets'), ['daemonsets', 'ds', 'apps/v1', 'true', 'DaemonSet']);
    assert.deepEqual(byName.get('pods'), ['pods', 'po', 'v1', 'true', 'Pod']);
    assert.deepEqual(byName.get('nodes'), ['nodes', 'no', 'v1', 'false', 'Node']);
    assert.deepEqual(byName.get('priorityclasses'), ['priorityclasses', 'pc', 'scheduling.k8s.io/v1', 'false', 'PriorityClass']);
    assert.deepEqual(byName.get('poddisruptionbudgets'), ['poddisruptionbudgets', 'pdb', 'policy/v1', 'true', 'PodDisruptionBudget']);
    assert.ok(byName.has('controllerrevisions'));
    assert.ok(byName.has('leases'));
  });

  it('starts with the built-in namespaces and priority classes', async () => {
    const ns = rows(await lab.kubectlOk(['get', 'ns'])).map((r) => r[0]);
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(ns.includes(name), name);
    const pc = rows(await lab.kubectlOk(['get', 'priorityclass']));
    assert.deepEqual(pc[0], ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY']);
    const critical = pc.find((r) => r[0] === 'system-node-critical');
    assert.equal(critical?.[1], '2000001000');
    assert.equal(critical?.[2], 'false');
  });

  it('creates namespaces and applies every seed manifest', async () => {
    assert.equal((await lab.kubectlOk(['create', 'namespace', 'monitoring'])).trim(), 'namespace/monitoring created');
    for (const ns of ['logging', 'security']) await lab.kubectlOk(['create', 'namespace', ns]);
    const expected: Record<string, string> = {
      'daemonset.yaml': 'daemonset.apps/log-collector created',
      'fluentd-daemonset.yaml': 'daemonset.apps/fluentd created',
      'nginx-daemonset.yaml': 'daemonset.apps/nginx-agent created',
      'node-exporter-daemonset.yaml': 'daemonset.apps/node-exporter created',
      'nvidia-gpu-driver-daemonset.yaml': 'daemonset.apps/nvidia-gpu-driver created',
      'prometheus-node-exporter.yaml': 'daemonset.apps/node-exporter configured',
      'security-agent-daemonset.yaml': 'daemonset.apps/security-agent created',
    };
    for (const [file, output] of Object.entries(expected)) {
      const out = await lab.kubectlOk(['apply', '-f', join(seeds, file)]);
      assert.equal(out.trim(), output, file);
    }
    const again = await lab.kubectlOk(['apply', '-f', join(seeds, 'fluentd-daemonset.yaml')]);
    assert.equal(again.trim(), 'daemonset.apps/fluentd unchanged');
  });

  it('get ds shows upstream columns, -o wide adds containers, images and selector', async () => {
    const table = rows(await lab.kubectlOk(['get', 'ds', '-n', 'logging']));
    assert.deepEqual(table[0], ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    assert.deepEqual(table[1].slice(0, 7), ['fluentd', '0', '0', '0', '0', '0', '<none>']);
    const wide = rows(await lab.kubectlOk(['get', 'ds', 'fluentd', '-n', 'logging', '-o', 'wide']));
    assert.deepEqual(wide[0].slice(-3), ['CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(wide[1].slice(-3), ['fluentd', 'fluent/fluentd-kubernetes-daemonset:v1.14', 'app=fluentd']);
    const gpu = rows(await lab.kubectlOk(['get', 'ds', 'nvidia-gpu-driver']));
    assert.equal(gpu[1][6], 'accelerator=nvidia-gpu');
  });

  it('get -A, -o name, -o jsonpath, -o yaml with upstream defaults, -l and --show-labels', async () => {
    const all = rows(await lab.kubectlOk(['get', 'ds', '-A']));
    assert.equal(all[0][0], 'NAMESPACE');
    assert.ok(all.some((r) => r[0] === 'monitoring' && r[1] === 'node-exporter'));
    assert.equal((await lab.kubectlOk(['get', 'ds', '-n', 'security', '-o', 'name'])).trim(), 'daemonset.apps/security-agent');
    const image = await lab.kubectlOk(['get', 'ds', 'node-exporter', '-n', 'monitoring', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    assert.equal(image, 'prom/node-exporter:v1.7.0');
    const yaml = await lab.kubectlOk(['get', 'ds', 'fluentd', '-n', 'logging', '-o', 'yaml']);
    for (const line of ['type: RollingUpdate', 'maxUnavailable: 1', 'maxSurge: 0', 'revisionHistoryLimit: 10', 'dnsPolicy: ClusterFirst', 'restartPolicy: Always', 'schedulerName: default-scheduler', 'terminationGracePeriodSeconds: 30', 'imagePullPolicy: IfNotPresent', 'generation: 1', 'deprecated.daemonset.template.generation: "1"']) {
      assert.ok(yaml.includes(line), `-o yaml lacks "${line}":\n${yaml}`);
    }
    const json = JSON.parse(await lab.kubectlOk(['get', 'ds', 'security-agent', '-n', 'security', '-o', 'json']));
    assert.equal(json.kind, 'DaemonSet');
    assert.equal(json.spec.template.spec.containers[0].imagePullPolicy, 'Always');
    const labelled = rows(await lab.kubectlOk(['get', 'ds', '-A', '-l', 'app=node-exporter', '--show-labels']));
    assert.equal(labelled.length, 2);
    assert.equal(labelled[1].at(-1), 'app=node-exporter');
    const none = await lab.kubectl(['get', 'ds', '-n', 'monitoring', '-l', 'app notin (node-exporter)']);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No resources found in monitoring namespace\./);
  });

  it('creates nodes from manifests; get, label, annotate, taint, cordon, describe', async () => {
    for (const name of ['node-1', 'node-2']) {
      assert.equal((await lab.kubectlOk(['apply', '-f', '-'], { input: nodeManifest(name) })).trim(), `node/${name} created`);
    }
    const nodes = rows(await lab.kubectlOk(['get', 'nodes']));
    assert.deepEqual(nodes[0], ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']);
    assert.deepEqual([nodes[1][0], nodes[1][1], nodes[1][2], nodes[1][4]], ['node-1', 'Ready', '<none>', 'v1.32.0']);
    assert.equal((await lab.kubectlOk(['label', 'nodes', 'node-1', 'disktype=ssd'])).trim(), 'node/node-1 labeled');
    const again = await lab.kubectl(['label', 'nodes', 'node-1', 'disktype=nvme']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /'disktype' already has a value \(ssd\), and --overwrite is false/);
    assert.equal((await lab.kubectlOk(['label', 'nodes', 'node-1', 'disktype-'])).trim(), 'node/node-1 unlabeled');
    await lab.kubectlOk(['label', 'nodes', 'node-1', 'disktype=ssd']);
    assert.equal((await lab.kubectlOk(['annotate', 'nodes', 'node-1', 'team=platform'])).trim(), 'node/node-1 annotated');
    assert.equal((await lab.kubectlOk(['taint', 'nodes', 'node-1', 'dedicated=monitoring:NoSchedule'])).trim(), 'node/node-1 tainted');
    const taints = JSON.parse(await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.spec.taints}']));
    assert.deepEqual(taints, [{ key: 'dedicated', value: 'monitoring', effect: 'NoSchedule' }]);
    assert.equal((await lab.kubectlOk(['taint', 'nodes', 'node-1', 'dedicated=monitoring:NoSchedule-'])).trim(), 'node/node-1 untainted');
    assert.equal(await lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.spec.taints}']), '');
    assert.equal((await lab.kubectlOk(['cordon', 'node-2'])).trim(), 'node/node-2 cordoned');
    assert.equal(rows(await lab.kubectlOk(['get', 'node', 'node-2']))[1][1], 'Ready,SchedulingDisabled');
    assert.equal((await lab.kubectlOk(['uncordon', 'node-2'])).trim(), 'node/node-2 uncordoned');
    const withLabels = rows(await lab.kubectlOk(['get', 'nodes', '-l', 'disktype=ssd', '--show-labels']));
    assert.equal(withLabels.length, 2);
    assert.match(withLabels[1].at(-1)!, /disktype=ssd/);
    const described = await lab.kubectlOk(['describe', 'node', 'node-1']);
    assert.match(described, /Name:\s+node-1/);
    assert.match(described, /disktype=ssd/);
    assert.match(described, /Annotations:[\s\S]*team: platform/);
  });

  it('describe ds shows the DaemonSet', async () => {
    const out = await lab.kubectlOk(['describe', 'ds', 'fluentd', '-n', 'logging']);
    assert.match(out, /Name:\s+fluentd/);
    assert.match(out, /Selector:\s+app=fluentd/);
    // The two simulated nodes created above each get a pod.
    assert.match(out, /Desired Number of Nodes Scheduled: 2/);
    assert.match(out, /Image:\s+fluent\/fluentd-kubernetes-daemonset:v1\.14/);
  });

  it('patch in the three formats, set image and edit bump generation', async () => {
    const ns = ['-n', 'logging'];
    assert.equal((await lab.kubectlOk(['patch', 'ds', 'fluentd', ...ns, '-p', '{"spec":{"minReadySeconds":5}}'])).trim(), 'daemonset.apps/fluentd patched');
    assert.equal((await lab.kubectlOk(['patch', 'ds', 'fluentd', ...ns, '-p', '{"spec":{"minReadySeconds":5}}'])).trim(), 'daemonset.apps/fluentd patched (no change)');
    await lab.kubectlOk(['patch', 'ds', 'fluentd', ...ns, '--type=merge', '-p', '{"metadata":{"labels":{"tier":"logs"}}}']);
    await lab.kubectlOk(['patch', 'ds', 'fluentd', ...ns, '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"fluentd:p2"}]']);
    assert.equal((await lab.kubectlOk(['set', 'image', 'daemonset/fluentd', ...ns, 'fluentd=fluentd:v2'])).trim(), 'daemonset.apps/fluentd image updated');
    const ds = JSON.parse(await lab.kubectlOk(['get', 'ds', 'fluentd', ...ns, '-o', 'json']));
    assert.equal(ds.metadata.labels.tier, 'logs');
    assert.equal(ds.spec.template.spec.containers[0].image, 'fluentd:v2');
    assert.equal(ds.spec.template.spec.containers[0].env.length, 2, 'set image keeps the other container fields');
    assert.equal(ds.metadata.generation, 4);
    assert.equal(ds.metadata.annotations['deprecated.daemonset.template.generation'], '3');

    const editor = join(lab.dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/image: fluentd:v2/image: fluentd:v3/" "$1"\n');
    chmodSync(editor, 0o755);
    const edited = await lab.kubectlOk(['edit', 'ds', 'fluentd', ...ns], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.equal(edited.trim(), 'daemonset.apps/fluentd edited');
    assert.equal(await lab.kubectlOk(['get', 'ds', 'fluentd', ...ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'fluentd:v3');
  });

  it('apply of a kind: List manifest creates and updates every item; the server still checks each strictly', async () => {
    const list = (image: string, value: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'listed' }, data: { k: value } },
          { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'listed' }, spec: { selector: { matchLabels: { app: 'listed' } }, template: { metadata: { labels: { app: 'listed' } }, spec: { containers: [{ name: 'c', image }] } } } },
        ],
      });
    assert.equal((await lab.kubectlOk(['apply', '-f', '-'], { input: list('busybox:1.36', 'v') })).trim(), 'configmap/listed created\ndaemonset.apps/listed created');
    assert.equal((await lab.kubectlOk(['apply', '-f', '-'], { input: list('busybox:1.37', 'w') })).trim(), 'configmap/listed configured\ndaemonset.apps/listed configured');
    assert.equal(await lab.kubectlOk(['get', 'ds', 'listed', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:1.37');
    const bogus = await lab.kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bogus' }, bogus: 1 }] }) });
    assert.equal(bogus.code, 1, 'an unknown field in an item is refused');
    assert.match(bogus.stderr, /strict decoding error: unknown field "bogus"/);
  });

  it('apply --server-side creates and updates', async () => {
    const manifest = readFileSync(join(seeds, 'nginx-daemonset.yaml'), 'utf8').replace('nginx-agent', 'nginx-ssa');
    assert.equal((await lab.kubectlOk(['apply', '--server-side', '-f', '-'], { input: manifest })).trim(), 'daemonset.apps/nginx-ssa serverside-applied');
    const changed = manifest.replace('nginx:1.21', 'nginx:1.25');
    assert.equal((await lab.kubectlOk(['apply', '--server-side', '-f', '-'], { input: changed })).trim(), 'daemonset.apps/nginx-ssa serverside-applied');
    assert.equal(await lab.kubectlOk(['get', 'ds', 'nginx-ssa', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
  });

  it('explain prints the schema of a field', async () => {
    const out = await lab.kubectlOk(['explain', 'daemonset.spec.updateStrategy']);
    assert.match(out, /KIND:\s+DaemonSet/);
    assert.match(out, /FIELD: updateStrategy <DaemonSetUpdateStrategy>/);
    assert.match(out, /rollingUpdate\s+<RollingUpdateDaemonSet>/);
    assert.match(out, /type\s+<string>/);
    assert.match(out, /enum: OnDelete, RollingUpdate/);
  });

  it('wait --for=jsonpath sees a change made meanwhile', async () => {
    const waiting = lab.kubectl(['wait', '--for=jsonpath={.metadata.labels.ready}=yes', 'ds/nginx-agent', '--timeout=20s']);
    await lab.kubectlOk(['label', 'ds', 'nginx-agent', 'ready=yes']);
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), 'daemonset.apps/nginx-agent condition met');
  });

  it('get pods, events, controllerrevisions and pdbs with their columns; describe pod', async () => {
    await lab.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } }),
    });
    // The scheduler binds it to one of the simulated nodes created above, which runs it.
    await lab.kubectlOk(['wait', '--for=condition=Ready', 'pod/web', '--timeout=20s']);
    const pods = rows(await lab.kubectlOk(['get', 'pod', 'web', '-o', 'wide']));
    assert.deepEqual(pods[0], ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    assert.deepEqual([pods[1][0], pods[1][1], pods[1][2], pods[1][3]], ['web', '1/1', 'Running', '0']);
    assert.match(pods[1][5], /^10\./);
    assert.ok(['node-1', 'node-2'].includes(pods[1][6]), `bound to ${pods[1][6]}`);
    assert.deepEqual(pods[1].slice(7), ['<none>', '<none>']);
    const describedPod = await lab.kubectlOk(['describe', 'pod', 'web']);
    assert.match(describedPod, /Status:\s+Running/);
    assert.match(describedPod, /Image:\s+nginx:1.25/);

    const ds = JSON.parse(await lab.kubectlOk(['get', 'ds', 'fluentd', '-n', 'logging', '-o', 'json']));
    await lab.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'fluentd.1', namespace: 'logging' },
        involvedObject: { kind: 'DaemonSet', name: 'fluentd', namespace: 'logging', uid: ds.metadata.uid, apiVersion: 'apps/v1' },
        reason: 'SuccessfulCreate', message: 'Created pod: fluentd-abcde', type: 'Normal', source: { component: 'daemonset-controller' },
        firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), count: 1,
      }),
    });
    const events = rows(await lab.kubectlOk(['get', 'events', '-n', 'logging']));
    assert.deepEqual(events[0], ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    assert.ok(events.some((row) => row.slice(1).join('|') === 'Normal|SuccessfulCreate|daemonset/fluentd|Created pod: fluentd-abcde'), JSON.stringify(events));
    const describedDs = await lab.kubectlOk(['describe', 'ds', 'fluentd', '-n', 'logging']);
    assert.match(describedDs, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: fluentd-abcde/);

    await lab.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'fluentd-6d4f8c9b7', namespace: 'logging', labels: { app: 'fluentd' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'fluentd', uid: ds.metadata.uid, controller: true }] },
        data: { spec: { template: { $patch: 'replace' } } }, revision: 1,
      }),
    });
    const revisions = rows(await lab.kubectlOk(['get', 'controllerrevisions', '-n', 'logging']));
    assert.deepEqual(revisions[0], ['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    assert.deepEqual(revisions.find((row) => row[0] === 'fluentd-6d4f8c9b7')?.slice(0, 3), ['fluentd-6d4f8c9b7', 'daemonset.apps/fluentd', '1']);

    await lab.kubectlOk(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web-pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }),
    });
    const pdbs = rows(await lab.kubectlOk(['get', 'pdb']));
    assert.deepEqual(pdbs[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual(pdbs[1].slice(0, 4), ['web-pdb', '1', 'N/A', '0']);
  });

  it('get -w prints the list, then each change', async () => {
    const watch = lab.kubectlInBackground(['get', 'ds', '-n', 'logging', '-w']);
    const seen = (pattern: RegExp) => watch.waitFor(pattern, 10_000);
    await seen(/^fluentd\s+\d/m);
    await lab.kubectlOk(['label', 'ds', 'fluentd', '-n', 'logging', 'watched=yes']);
    await seen(/^NAME[^\n]*\n[^\n]*fluentd[^\n]*\n[^\n]*fluentd/m);
    const { stdout } = await watch.stop();
    assert.equal(stdout.split('\n').filter((l) => l.startsWith('NAME')).length, 1, 'the header is printed once');
  });

  it('errors read as on a real cluster', async () => {
    const missing = await lab.kubectl(['get', 'ds', 'nope', '-n', 'monitoring']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): daemonsets.apps "nope" not found');
    const noNs = await lab.kubectl(['get', 'ds', 'x', '-n', 'nonexist']);
    assert.equal(noNs.stderr.trim(), 'Error from server (NotFound): namespaces "nonexist" not found');
    const exists = await lab.kubectl(['create', 'namespace', 'monitoring']);
    assert.equal(exists.stderr.trim(), 'Error from server (AlreadyExists): namespaces "monitoring" already exists');
    const invalidDs = await lab.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'bad' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } } }),
    });
    assert.equal(invalidDs.code, 1);
    assert.match(invalidDs.stderr, /The DaemonSet "bad" is invalid: spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/);
    const unknownField = await lab.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, dta: { a: 'b' } }),
    });
    assert.equal(unknownField.code, 1);
    assert.match(unknownField.stderr, /strict decoding error: unknown field "dta"/);
    const noType = await lab.kubectl(['get', 'widgets']);
    assert.match(noType.stderr, /the server doesn't have a resource type "widgets"/);
  });

  it('delete with each cascade mode is accepted', async () => {
    assert.equal((await lab.kubectlOk(['delete', 'ds', 'nginx-ssa', '--cascade=background'])).trim(), 'daemonset.apps "nginx-ssa" deleted');
    assert.equal((await lab.kubectlOk(['delete', 'ds', 'log-collector', '--cascade=orphan'])).trim(), 'daemonset.apps "log-collector" deleted');
    assert.equal((await lab.kubectlOk(['delete', 'ds', 'nginx-agent', '--cascade=foreground'])).trim(), 'daemonset.apps "nginx-agent" deleted');
    const left = await lab.kubectl(['get', 'ds', 'nginx-agent']);
    assert.equal(left.code, 1);
  });
});
