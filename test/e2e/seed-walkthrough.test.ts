/**
 * Issue #4, item 6: the seed documents walked through with the real kubectl, against a lab shaped like
 * `everynode up` (node-1…node-4 and a tainted control plane).
 *
 * `steps` below is the walkthrough, in document order. Each row is one command line, run with bash
 * exactly as written (pipes included) in a directory holding the seed manifests, plus the check of
 * what the document says happens. Rows marked:
 *   - `glue`    are not in the document; the reason says what the document takes for granted;
 *   - `derived` belong to seed 003, which shows a manifest and makes claims but prints no command:
 *               the command is ours, the claim it checks is the document's;
 *   - `todo`    need a feature not built yet (none today); they run, and report instead of failing;
 *   - `skip`    cannot work in a lab by nature (host files, ssh).
 * Placeholder pod names (`log-collector-abc`) are replaced with real pod names when the row runs.
 *
 * Run it alone with `npm test -- seed-walkthrough`.
 */
import assert from 'node:assert/strict';
import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../../src/testing/eventually.js';
import { startTestLab, type KubectlResult, type TestLab, podInfos, type PodInfo } from '../../src/testing/kubectl.js';

const manifests = join(import.meta.dirname, '../seeds/manifests');

interface Walk {
  lab: TestLab;
  /** The reader's working directory: a copy of the seed manifests. */
  dir: string;
  /** Values a row keeps for a later row's check (pod names before a change, …). */
  saved: Record<string, unknown>;
}

interface Step {
  seed: '000' | '003';
  section: string;
  /** The command line as the document prints it (for glue and derived rows, as we wrote it). */
  command: string;
  /** What the document says happens; `check` verifies it. */
  says: string;
  glue?: string;
  derived?: true;
  todo?: string;
  skip?: string;
  /** Placeholder → the real name to run with. */
  placeholders?: Record<string, (w: Walk) => Promise<string>>;
  /** A shell script run as EDITOR (for `kubectl edit`); `$1` is the file kubectl opens. */
  editor?: string;
  /** Work done instead of a command (a file edit the document describes). */
  action?: (w: Walk) => Promise<void> | void;
  /** Runs just before the command (e.g. to remember the pods as they were). */
  prepare?: (w: Walk) => Promise<void>;
  /** Expected exit code (default 0). */
  exitCode?: number;
  /** Re-run the command until its check passes, as a reader would a moment later. */
  eventually?: true;
  timeoutMs?: number;
  check?: (out: KubectlResult, w: Walk) => Promise<void> | void;
}

// ---------------------------------------------------------------------------------------------------
// Helpers for the checks.

/** A kubectl table as records keyed by column header (columns located from the header line). */
function table(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = lines[0]!;
  const columns = [...header.matchAll(/\S+(?: \S+)*/g)].map((m) => ({ name: m[0], start: m.index ?? 0 }));
  return lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    columns.forEach((c, i) => {
      const end = i + 1 < columns.length ? columns[i + 1]!.start : line.length;
      row[c.name] = line.slice(c.start, end).trim();
    });
    return row;
  });
}

function pods(w: Walk, app: string, ns = 'monitoring'): Promise<PodInfo[]> {
  return podInfos(w.lab, app, ns);
}

/** `node=image` for every pod of an app, by node: the shape most checks compare. */
async function placement(w: Walk, app: string, ns = 'monitoring'): Promise<string[]> {
  return (await pods(w, app, ns)).map((p) => `${p.node}=${p.image}${p.ready ? '' : ' (not ready)'}${p.deleting ? ' (terminating)' : ''}`);
}

/** Waits until the DaemonSet controller has seen the DaemonSet's latest spec (observedGeneration). */
async function observed(w: Walk, ds: string, ns = 'monitoring'): Promise<void> {
  await eventually(`${ds} observed`, async () => {
    const [gen, seen] = (await w.lab.kubectlOk(['get', 'ds', ds, '-n', ns, '-o', 'jsonpath={.metadata.generation} {.status.observedGeneration}'])).split(' ');
    assert.equal(seen, gen);
  });
}

async function podOn(w: Walk, app: string, node: string, ns = 'monitoring'): Promise<string> {
  const pod = (await pods(w, app, ns)).find((p) => p.node === node && !p.deleting);
  assert.ok(pod, `a ${app} pod on ${node}`);
  return pod.name;
}

const everyWorker = (image: string) => ['node-1', 'node-2', 'node-3', 'node-4'].map((n) => `${n}=${image}`);

/** A table row's cells from NAME to the column before `last`. */
function cells(row: Record<string, string> | undefined, ...columns: string[]): string[] {
  assert.ok(row, 'the row is printed');
  return columns.map((c) => row[c] ?? '');
}

const rolloutLine = /^(Waiting for daemon set "[a-z0-9-]+" rollout to finish: \d+ out of \d+ new pods have been updated\.\.\.|Waiting for daemon set "[a-z0-9-]+" rollout to finish: \d+ of \d+ updated pods are available\.\.\.|Waiting for daemon set spec update to be observed\.\.\.|daemon set "[a-z0-9-]+" successfully rolled out)$/;

// ---------------------------------------------------------------------------------------------------
// The walkthrough.

const steps: Step[] = [
  // ===== Seed 000: "DaemonSets: One Pod Per Node" =====
  {
    seed: '000', section: 'Real-World Example: Prometheus Node Exporter',
    command: 'kubectl create namespace monitoring',
    glue: "the manifest names namespace monitoring; the document never creates it",
    says: 'the namespace exists',
    check: (r) => assert.equal(r.stdout.trim(), 'namespace/monitoring created'),
  },
  {
    seed: '000', section: 'Real-World Example: Prometheus Node Exporter',
    command: 'kubectl config set-context --current --namespace=monitoring',
    glue: "the reader works in monitoring: the document deletes log-collector's pods with -n monitoring and lists log-collector with a bare `kubectl get daemonset`, though daemonset.yaml names no namespace",
    says: 'later commands without -n act in monitoring',
    check: (r) => assert.equal(r.stdout.trim(), 'Context "everynode" modified.'),
  },
  {
    seed: '000', section: 'Real-World Example: Prometheus Node Exporter — Deploy it',
    command: 'kubectl apply -f node-exporter-daemonset.yaml',
    says: 'the DaemonSet is created',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter created'),
  },
  {
    seed: '000', section: 'Deploy it',
    command: 'kubectl get daemonset -n monitoring',
    says: 'node-exporter   4   4   4   4   4 (DESIRED CURRENT READY UP-TO-DATE AVAILABLE)',
    eventually: true,
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(Object.keys(rows[0] ?? {}), ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
      assert.deepEqual(cells(rows.find((x) => x.NAME === 'node-exporter'), 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE'), ['4', '4', '4', '4', '4']);
    },
  },
  {
    seed: '000', section: 'Deploy it',
    command: 'kubectl get pods -n monitoring -o wide',
    says: 'one node-exporter pod 1/1 Running on each of node-1…node-4 (none on the tainted control plane)',
    eventually: true,
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => x.NODE).sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
      for (const x of rows) {
        assert.match(x.NAME!, /^node-exporter-[a-z0-9]{5}$/);
        assert.deepEqual([x.READY, x.STATUS], ['1/1', 'Running']);
      }
    },
  },
  {
    seed: '000', section: 'Node Selection — Option 1: Node Selector (label a node)',
    command: 'kubectl label nodes node-1 disktype=ssd',
    says: 'node-1 gets the label',
    check: (r) => assert.equal(r.stdout.trim(), 'node/node-1 labeled'),
  },
  {
    seed: '000', section: 'Node Selection — Option 1: Node Selector (label a node)',
    command: 'kubectl label nodes node-1 zone=us-east-1a',
    says: 'node-1 carries both labels the nodeSelector example asks for',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'node/node-1 labeled');
      assert.equal(await w.lab.kubectlOk(['get', 'node', 'node-1', '-o', 'jsonpath={.metadata.labels.disktype} {.metadata.labels.zone}']), 'ssd us-east-1a');
    },
  },
  {
    seed: '000', section: 'Node Selection — Option 3: Taints and Tolerations (taint a node)',
    command: 'kubectl taint nodes node-1 dedicated=monitoring:NoSchedule',
    says: 'pods without the toleration no longer belong on node-1 (node-exporter: DESIRED 3); a NoSchedule taint evicts nothing, so its pod there stays, counted as misscheduled',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'node/node-1 tainted');
      await eventually('node-exporter to leave node-1 out of DESIRED', async () => {
        const status = await w.lab.kubectlOk(['get', 'ds', 'node-exporter', '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.numberMisscheduled}']);
        assert.equal(status, '3 1');
      });
      assert.ok((await pods(w, 'node-exporter')).some((p) => p.node === 'node-1' && !p.deleting), 'the pod on node-1 stays');
    },
  },
  {
    seed: '000', section: 'Node Selection — Option 3: Taints and Tolerations',
    command: 'kubectl taint nodes node-1 dedicated=monitoring:NoSchedule-',
    glue: 'the sections that follow expect every worker to take pods (DESIRED 4); the document never removes its example taint',
    says: 'node-1 is an ordinary worker again',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'node/node-1 untainted');
      await eventually('node-exporter back to 4 nodes', async () => {
        assert.equal(await w.lab.kubectlOk(['get', 'ds', 'node-exporter', '-o', 'jsonpath={.status.desiredNumberScheduled} {.status.numberMisscheduled}']), '4 0');
      });
    },
  },
  {
    seed: '000', section: 'DaemonSet Updates — RollingUpdate',
    command: 'kubectl apply -f daemonset.yaml',
    glue: 'the update sections work on log-collector, the DaemonSet of "DaemonSet Anatomy" (daemonset.yaml), which the document shows but applies only later',
    says: 'log-collector runs fluentd:v1.14 on the four workers',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector created');
      await w.lab.kubectlOk(['wait', '--for=jsonpath={.status.numberAvailable}=4', 'ds/log-collector', '--timeout=30s']);
      assert.deepEqual(await placement(w, 'log-collector'), everyWorker('fluentd:v1.14'));
    },
  },
  {
    seed: '000', section: 'DaemonSet Updates — RollingUpdate (update the image)',
    command: 'kubectl set image daemonset/log-collector fluentd=fluentd:v1.15',
    says: 'the template changes; the default RollingUpdate strategy starts replacing pods',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector image updated'),
  },
  {
    seed: '000', section: 'DaemonSet Updates — RollingUpdate (watch the rollout)',
    command: 'kubectl rollout status daemonset/log-collector',
    says: 'progress lines in upstream wording, then "successfully rolled out"; every worker runs fluentd:v1.15',
    timeoutMs: 60_000,
    check: async (r, w) => {
      const lines = r.stdout.trimEnd().split('\n');
      for (const line of lines) assert.match(line, rolloutLine);
      assert.equal(lines.at(-1), 'daemon set "log-collector" successfully rolled out');
      assert.deepEqual(await placement(w, 'log-collector'), everyWorker('fluentd:v1.15'));
    },
  },
  {
    seed: '000', section: 'Update Strategy: OnDelete',
    command: '(edit daemonset.yaml: add the section\'s `updateStrategy: {type: OnDelete}` under spec)',
    glue: "the document's \"Update DaemonSet definition\" is the reader editing daemonset.yaml with the snippet shown",
    says: 'the file now asks for OnDelete (and still names fluentd:v1.14)',
    action: (w) => {
      const file = join(w.dir, 'daemonset.yaml');
      const text = readFileSync(file, 'utf8');
      const edited = text.replace('\nspec:\n', '\nspec:\n  updateStrategy:\n    type: OnDelete  # (1)!\n');
      assert.notEqual(edited, text);
      writeFileSync(file, edited);
    },
  },
  {
    seed: '000', section: 'Update Strategy: OnDelete — Manual update',
    command: 'kubectl apply -f daemonset.yaml',
    says: '"Pods DON\'T update automatically": the template goes back to fluentd:v1.14, the pods keep fluentd:v1.15',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector configured');
      assert.equal(await w.lab.kubectlOk(['get', 'ds', 'log-collector', '-o', 'jsonpath={.spec.updateStrategy.type} {.spec.template.spec.containers[0].image}']), 'OnDelete fluentd:v1.14');
      await observed(w, 'log-collector');
      assert.equal(await w.lab.kubectlOk(['get', 'ds', 'log-collector', '-o', 'jsonpath={.status.updatedNumberScheduled}']), '', 'omitted at 0, as on a cluster');
      assert.deepEqual(await placement(w, 'log-collector'), everyWorker('fluentd:v1.15'));
    },
  },
  {
    seed: '000', section: 'Update Strategy: OnDelete — Manual update',
    command: 'kubectl delete pod log-collector-abc -n monitoring',
    placeholders: { 'log-collector-abc': (w) => podOn(w, 'log-collector', 'node-1') },
    says: '"New pod created with updated template": node-1 gets a fluentd:v1.14 pod, the other nodes keep theirs (UP-TO-DATE 1)',
    check: async (r, w) => {
      assert.match(r.stdout.trim(), /^pod "log-collector-[a-z0-9]{5}" deleted$/);
      await eventually('a new pod on node-1', async () => {
        assert.deepEqual(await placement(w, 'log-collector'), ['node-1=fluentd:v1.14', 'node-2=fluentd:v1.15', 'node-3=fluentd:v1.15', 'node-4=fluentd:v1.15']);
        assert.equal(await w.lab.kubectlOk(['get', 'ds', 'log-collector', '-o', 'jsonpath={.status.updatedNumberScheduled}']), '1');
      });
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes',
    command: 'kubectl get daemonset',
    says: 'the DESIRED / CURRENT / READY columns (here a healthy log-collector: 4 4 4; the failure the document shows is reproduced in the todo rows below)',
    eventually: true,
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => x.NAME), ['log-collector', 'node-exporter']);
      assert.deepEqual(cells(rows[0], 'DESIRED', 'CURRENT', 'READY'), ['4', '4', '4']);
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes',
    command: 'kubectl describe daemonset log-collector',
    says: 'an Events section with the controller\'s events',
    check: (r) => {
      assert.match(r.stdout, /^Name:\s+log-collector$/m);
      assert.match(r.stdout, /^Desired Number of Nodes Scheduled: 4$/m);
      assert.match(r.stdout, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n/m);
      assert.match(r.stdout, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: log-collector-[a-z0-9]{5}/);
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl create namespace restricted',
    glue: 'reproduces the document\'s failure (pods "forbidden" by admission, CURRENT below DESIRED) with Pod Security admission, the upstream counterpart of the OpenShift security context constraints it quotes',
    says: 'a namespace for the reproduction',
    check: (r) => assert.equal(r.stdout.trim(), 'namespace/restricted created'),
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl label namespace restricted pod-security.kubernetes.io/enforce=restricted',
    glue: 'the restricted Pod Security level forbids hostPath volumes, which log-collector mounts',
    says: 'the namespace enforces the restricted level',
    check: (r) => assert.equal(r.stdout.trim(), 'namespace/restricted labeled'),
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl apply -f daemonset.yaml -n restricted',
    glue: 'the same DaemonSet in the restricted namespace',
    says: 'the DaemonSet is accepted (its pods are what admission refuses)',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector created'),
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl get daemonset -n restricted',
    glue: 'the document\'s `kubectl get daemonset` for the failing DaemonSet',
    says: 'log-collector   4   0   0: DESIRED counts the nodes, CURRENT and READY only the pods admission let through',
    eventually: true,
    check: (r) => assert.deepEqual(cells(table(r.stdout)[0], 'NAME', 'DESIRED', 'CURRENT', 'READY'), ['log-collector', '4', '0', '0']),
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl describe daemonset log-collector -n restricted',
    glue: 'the document\'s `kubectl describe daemonset log-collector` for the failing DaemonSet',
    says: 'Warning  FailedCreate  … Error creating: pods "log-collector-…" is forbidden: violates PodSecurity "restricted:latest": … restricted volume types (… "hostPath") …',
    check: (r) => assert.match(r.stdout, /Warning\s+FailedCreate\s+.*daemonset-controller\s+Error creating: pods "log-collector-[a-z0-9]{5}" is forbidden: violates PodSecurity "restricted:latest": .*restricted volume types \(volumes "varlog", "varlibdockercontainers" use restricted volume type "hostPath"\)/),
  },
  {
    seed: '000', section: 'Troubleshooting — Pods Not Starting on All Nodes (the failure shown)',
    command: 'kubectl delete namespace restricted',
    glue: 'clears the reproduction away',
    says: 'the namespace and its DaemonSet go',
    timeoutMs: 60_000,
    check: (r) => assert.equal(r.stdout.trim(), 'namespace "restricted" deleted'),
  },
  {
    seed: '000', section: 'Troubleshooting — Debug',
    command: 'kubectl describe nodes | grep Taints',
    says: 'one Taints line per node: the control plane\'s NoSchedule taint, none on the workers',
    check: (r) =>
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        'Taints:             node-role.kubernetes.io/control-plane:NoSchedule',
        'Taints:             <none>',
        'Taints:             <none>',
        'Taints:             <none>',
        'Taints:             <none>',
      ]),
  },
  {
    seed: '000', section: 'Troubleshooting — Debug',
    command: 'kubectl get nodes --show-labels',
    says: 'each node with its labels (node-1 with disktype=ssd and zone=us-east-1a from earlier)',
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => x.NAME), ['control-plane', 'node-1', 'node-2', 'node-3', 'node-4']);
      assert.match(rows[0]!.LABELS!, /node-role\.kubernetes\.io\/control-plane=/);
      assert.equal(rows[1]!.LABELS, 'beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,disktype=ssd,kubernetes.io/arch=amd64,kubernetes.io/hostname=node-1,kubernetes.io/os=linux,zone=us-east-1a');
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Debug',
    command: 'kubectl get pods -l app=log-collector -o wide',
    says: 'the pod status of every log-collector pod, one per worker',
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => x.NODE).sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
      for (const x of rows) assert.deepEqual([x.READY, x.STATUS], ['1/1', 'Running']);
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Permission Denied Errors',
    command: 'kubectl logs log-collector-abc',
    placeholders: { 'log-collector-abc': (w) => podOn(w, 'log-collector', 'node-2') },
    says: "the container's log (the lab's simulated fluentd prints its start-up lines; the permission error is the next row)",
    check: (r) => {
      assert.match(r.stdout, /msg="starting container" container=fluentd image=fluentd:v1\.15/);
      assert.match(r.stdout, /msg="running on node" node=node-2 pod=monitoring\/log-collector-[a-z0-9]{5}/);
    },
  },
  {
    seed: '000', section: 'Troubleshooting — Permission Denied Errors',
    command: '(kubectl logs log-collector-abc shows "Error: permission denied: /var/log/syslog"; the securityContext runAsUser: 0 / privileged: true fix makes it go)',
    skip: 'by nature: simulated containers read no host files, so there is no permission error to see or to fix',
    says: 'Error: permission denied: /var/log/syslog, then none after the fix',
  },
  {
    seed: '000', section: 'Troubleshooting — DaemonSet Won\'t Update',
    command: 'kubectl set image daemonset/log-collector fluentd=fluentd:v1.15',
    prepare: async (w) => {
      w.saved.before = await pods(w, 'log-collector');
    },
    says: '"No pods updated!": with OnDelete no pod is replaced (node-1 keeps its fluentd:v1.14 pod)',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector image updated');
      await observed(w, 'log-collector');
      const now = await pods(w, 'log-collector');
      assert.deepEqual(now.map((p) => [p.name, p.image, p.deleting]), (w.saved.before as PodInfo[]).map((p) => [p.name, p.image, false]));
      assert.deepEqual(now.map((p) => p.image), ['fluentd:v1.14', 'fluentd:v1.15', 'fluentd:v1.15', 'fluentd:v1.15']);
    },
  },
  {
    seed: '000', section: 'Troubleshooting — DaemonSet Won\'t Update (check update strategy)',
    command: 'kubectl get daemonset log-collector -o yaml | grep -A 5 updateStrategy',
    says: 'type: OnDelete ← manual deletion required',
    check: (r) => assert.match(r.stdout, /^ {4}type: OnDelete$/m),
  },
  {
    seed: '000', section: 'Troubleshooting — DaemonSet Won\'t Update (solution)',
    command: `kubectl patch daemonset log-collector -p '{"spec":{"updateStrategy":{"type":"RollingUpdate"}}}'`,
    glue: 'the document\'s "Solution: Change to RollingUpdate" as a command',
    says: 'the rolling update replaces the last old pod: every worker on fluentd:v1.15',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector patched');
      await eventually('the node-1 pod to be replaced', async () => {
        assert.deepEqual(await placement(w, 'log-collector'), everyWorker('fluentd:v1.15'));
      });
    },
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl get daemonsets',
    says: 'the DaemonSets of the current namespace',
    eventually: true,
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => cells(x, 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE')), [
        ['log-collector', '4', '4', '4', '4', '4'],
        ['node-exporter', '4', '4', '4', '4', '4'],
      ]);
    },
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl get ds  # Short form',
    says: 'the same list through the short name',
    check: (r) => assert.deepEqual(table(r.stdout).map((x) => x.NAME), ['log-collector', 'node-exporter']),
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl get ds -n monitoring',
    says: 'the DaemonSets of monitoring',
    check: (r) => assert.deepEqual(table(r.stdout).map((x) => x.NAME), ['log-collector', 'node-exporter']),
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl describe daemonset log-collector',
    says: 'the DaemonSet, its pod template and its counts',
    check: (r) => {
      assert.match(r.stdout, /^Number of Nodes Scheduled with Up-to-date Pods: 4$/m);
      assert.match(r.stdout, /^Pods Status:\s+4 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
      assert.match(r.stdout, /^\s+Image:\s+fluentd:v1\.15$/m);
    },
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl get pods -l app=log-collector -o wide',
    says: 'the pods the DaemonSet created',
    check: (r) => assert.deepEqual(table(r.stdout).map((x) => x.NODE).sort(), ['node-1', 'node-2', 'node-3', 'node-4']),
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl set image daemonset/log-collector fluentd=fluentd:v1.15',
    says: 'the image is already fluentd:v1.15: kubectl sends no change and prints nothing',
    check: async (r, w) => {
      assert.equal(r.stdout, '');
      assert.equal(await w.lab.kubectlOk(['get', 'ds', 'log-collector', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'fluentd:v1.15');
    },
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl rollout status daemonset/log-collector',
    says: 'nothing to roll out: successfully rolled out',
    check: (r) => assert.equal(r.stdout, 'daemon set "log-collector" successfully rolled out\n'),
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl rollout history daemonset/log-collector',
    says: 'two revisions: v1.14 (first revision 1, renumbered 3 when the OnDelete apply brought it back) and v1.15 (revision 2, renumbered 4 by the second set image)',
    check: (r) => assert.equal(r.stdout, 'daemonset.apps/log-collector \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n\n'),
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl rollout undo daemonset/log-collector',
    says: 'back to the previous revision: every worker on fluentd:v1.14; the restored revision takes the next number (history 4, 5)',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/log-collector rolled back');
      await eventually('the rollback to finish', async () => {
        assert.deepEqual(await placement(w, 'log-collector'), everyWorker('fluentd:v1.14'));
      });
      assert.equal(await w.lab.kubectlOk(['rollout', 'history', 'daemonset/log-collector']), 'daemonset.apps/log-collector \nREVISION  CHANGE-CAUSE\n4         <none>\n5         <none>\n\n');
    },
  },
  {
    seed: '000', section: 'Working with DaemonSets',
    command: 'kubectl delete daemonset log-collector',
    says: '"deletes all pods" (and its revisions)',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps "log-collector" deleted');
      await eventually('the pods and revisions to go', async () => {
        assert.deepEqual(await pods(w, 'log-collector'), []);
        assert.equal((await w.lab.kubectlOk(['get', 'controllerrevisions', '-l', 'app=log-collector', '-o', 'name'])).trim(), '');
      });
    },
  },
  {
    seed: '000', section: 'Exercise 1: Deploy a Monitoring Agent',
    command: 'kubectl apply -f nginx-daemonset.yaml',
    says: 'the DaemonSet is created',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/nginx-agent created'),
  },
  {
    seed: '000', section: 'Exercise 1: Deploy a Monitoring Agent',
    command: 'kubectl get pods -o wide -l app=nginx-agent',
    says: '"one pod per node" (per schedulable node: the control plane is tainted)',
    eventually: true,
    check: (r) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => x.NODE).sort(), ['node-1', 'node-2', 'node-3', 'node-4']);
      for (const x of rows) assert.deepEqual([x.READY, x.STATUS], ['1/1', 'Running']);
    },
  },
  {
    seed: '000', section: 'Exercise 1: Deploy a Monitoring Agent',
    command: 'kubectl get daemonset nginx-agent',
    says: '"DESIRED should match your cluster\'s node count": 4 schedulable nodes',
    eventually: true,
    check: (r) => assert.deepEqual(cells(table(r.stdout)[0], 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE'), ['nginx-agent', '4', '4', '4', '4', '4']),
  },
  {
    seed: '000', section: 'Exercise 2: Target Specific Nodes',
    command: 'kubectl label nodes node-1 env=production',
    says: 'node-1 labelled',
    check: (r) => assert.equal(r.stdout.trim(), 'node/node-1 labeled'),
  },
  {
    seed: '000', section: 'Exercise 2: Target Specific Nodes',
    command: 'kubectl label nodes node-2 env=production',
    says: 'node-2 labelled',
    check: (r) => assert.equal(r.stdout.trim(), 'node/node-2 labeled'),
  },
  {
    seed: '000', section: 'Exercise 2: Target Specific Nodes',
    command: 'kubectl edit daemonset nginx-agent',
    editor: '#!/bin/sh\n# "Add nodeSelector" under spec.template.spec, as the exercise says.\nsed -i \'s/^    spec:$/    spec:\\n      nodeSelector:\\n        env: production/\' "$1"\n',
    says: 'the template gains nodeSelector env: production',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/nginx-agent edited');
      assert.equal(await w.lab.kubectlOk(['get', 'ds', 'nginx-agent', '-o', 'jsonpath={.spec.template.spec.nodeSelector}']), '{"env":"production"}');
    },
  },
  {
    seed: '000', section: 'Exercise 2: Target Specific Nodes',
    command: 'kubectl get pods -l app=nginx-agent -o wide',
    says: '"Should only see pods on node-1 and node-2" (new pods, carrying the nodeSelector)',
    eventually: true,
    check: async (r, w) => {
      const rows = table(r.stdout);
      assert.deepEqual(rows.map((x) => `${x.NODE} ${x.READY} ${x.STATUS}`).sort(), ['node-1 1/1 Running', 'node-2 1/1 Running']);
      assert.equal(await w.lab.kubectlOk(['get', 'pods', '-l', 'app=nginx-agent', '-o', 'jsonpath={.items[*].spec.nodeSelector.env}']), 'production production');
    },
  },

  // ===== Seed 003: "Kubernetes DaemonSet" (prints no command: every row is derived) =====
  {
    seed: '003', section: 'prometheus-node-exporter.yaml',
    command: 'kubectl apply -f prometheus-node-exporter.yaml',
    derived: true,
    says: 'the document\'s node-exporter (same name and namespace as seed 000\'s) replaces the one running: a new template',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter configured'),
  },
  {
    seed: '003', section: 'prometheus-node-exporter.yaml ("Monitor the Master Nodes too!")',
    command: 'kubectl rollout status daemonset/node-exporter -n monitoring',
    derived: true,
    says: 'the rolling update finishes; the Exists/NoSchedule toleration puts a pod on the control plane too: 5 pods of prom/node-exporter:v1.7.0 on host port 9100',
    timeoutMs: 60_000,
    check: async (r, w) => {
      assert.equal(r.stdout.trimEnd().split('\n').at(-1), 'daemon set "node-exporter" successfully rolled out');
      assert.deepEqual(await placement(w, 'node-exporter'), ['control-plane', ...['node-1', 'node-2', 'node-3', 'node-4']].map((n) => `${n}=prom/node-exporter:v1.7.0`));
      assert.equal(await w.lab.kubectlOk(['get', 'pods', '-l', 'app=node-exporter', '-o', 'jsonpath={.items[*].spec.containers[0].ports[0].hostPort}']), '9100 9100 9100 9100 9100');
    },
  },
  {
    seed: '003', section: 'Rolling Updates ("maxUnavailable … Default: 1")',
    command: "kubectl get daemonset node-exporter -n monitoring -o jsonpath='{.spec.updateStrategy}'",
    derived: true,
    says: 'RollingUpdate with maxUnavailable 1 by default',
    check: (r) => assert.deepEqual(JSON.parse(r.stdout), { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }),
  },
  {
    seed: '003', section: 'Scheduling ("now handled by the default K8s Scheduler using Node Affinity")',
    command: `kubectl get pods -n monitoring -l app=node-exporter -o jsonpath='{range .items[*]}{.spec.nodeName} {.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]}{"\\n"}{end}'`,
    derived: true,
    says: 'each daemon pod is pinned to its node with a node affinity on metadata.name, and bound there by the scheduler',
    check: (r) => {
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 5);
      for (const line of lines) {
        const [bound, pinned] = line.split(' ');
        assert.equal(bound, pinned);
      }
    },
  },
  {
    seed: '003', section: 'Running on Specific Nodes only',
    command: 'kubectl label nodes node-3 type=gpu-node',
    derived: true,
    says: 'one GPU node',
    check: (r) => assert.equal(r.stdout.trim(), 'node/node-3 labeled'),
  },
  {
    seed: '003', section: 'Running on Specific Nodes only ("nodeSelector: type: gpu-node")',
    command: `kubectl patch daemonset node-exporter -n monitoring -p '{"spec":{"template":{"spec":{"nodeSelector":{"type":"gpu-node"}}}}}'`,
    derived: true,
    says: '"The DaemonSet will ignore all non-GPU nodes": one pod, on node-3',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter patched');
      await eventually('node-exporter to shrink to node-3', async () => {
        assert.deepEqual(await placement(w, 'node-exporter'), ['node-3=prom/node-exporter:v1.7.0']);
      });
    },
  },
  {
    seed: '003', section: 'Running on Specific Nodes only',
    command: 'kubectl rollout undo daemonset/node-exporter -n monitoring',
    derived: true,
    says: 'the nodeSelector goes with the rollback: five pods again',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter rolled back');
      await eventually('node-exporter back on five nodes', async () => {
        assert.equal((await placement(w, 'node-exporter')).length, 5);
        assert.equal(await w.lab.kubectlOk(['get', 'ds', 'node-exporter', '-o', 'jsonpath={.status.numberAvailable}']), '5');
      });
    },
  },
  {
    seed: '003', section: 'Technical Challenges — Failed Updates ("If you push a bad image…")',
    command: 'kubectl set image daemonset/node-exporter -n monitoring node-exporter=prom/node-exporter:v1.8.0-crashloop',
    derived: true,
    says: 'a bad image (the lab crash-loops any tag containing "crashloop")',
    check: (r) => assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter image updated'),
  },
  {
    seed: '003', section: 'Technical Challenges — Failed Updates',
    command: 'kubectl rollout status daemonset/node-exporter -n monitoring --timeout=3s',
    derived: true,
    exitCode: 1,
    says: 'the rollout stops at the first broken node (maxUnavailable 1): status keeps waiting and gives up at the timeout; four nodes keep their working pods',
    check: async (r, w) => {
      assert.equal(r.stderr.trim(), 'error: timed out waiting for the condition');
      for (const line of r.stdout.trimEnd().split('\n')) assert.match(line, rolloutLine);
      assert.match(r.stdout, /Waiting for daemon set "node-exporter" rollout to finish: 1 out of 5 new pods have been updated\.\.\.\n$/);
      const now = await pods(w, 'node-exporter');
      assert.deepEqual(now.filter((p) => p.image.includes('crashloop')).map((p) => p.ready), [false]);
      assert.deepEqual(now.filter((p) => !p.image.includes('crashloop')).map((p) => [p.image, p.ready]), Array(4).fill(['prom/node-exporter:v1.7.0', true]));
    },
  },
  {
    seed: '003', section: 'Technical Challenges — Failed Updates',
    command: 'kubectl rollout undo daemonset/node-exporter -n monitoring',
    derived: true,
    says: 'the rollback heals the broken node; the four healthy pods are left alone',
    prepare: async (w) => {
      w.saved.healthy = (await pods(w, 'node-exporter')).filter((p) => p.ready).map((p) => p.name);
    },
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter rolled back');
      await w.lab.kubectlOk(['rollout', 'status', 'daemonset/node-exporter', '-n', 'monitoring', '--timeout=30s']);
      const now = await pods(w, 'node-exporter');
      assert.deepEqual(now.map((p) => [p.image, p.ready]), Array(5).fill(['prom/node-exporter:v1.7.0', true]));
      for (const name of w.saved.healthy as string[]) assert.ok(now.some((p) => p.name === name), `${name} was not restarted`);
    },
  },
  {
    seed: '003', section: 'Architect Level — Update Strategy for Large Clusters ("maxUnavailable … 10%")',
    command: `kubectl patch daemonset node-exporter -n monitoring -p '{"spec":{"updateStrategy":{"rollingUpdate":{"maxUnavailable":"10%"}}}}'`,
    derived: true,
    says: 'a percentage is accepted (10% of 5 nodes rounds up to 1 at a time)',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter patched');
      assert.equal(await w.lab.kubectlOk(['get', 'ds', 'node-exporter', '-o', 'jsonpath={.spec.updateStrategy.rollingUpdate.maxUnavailable}']), '10%');
    },
  },
  {
    seed: '003', section: 'Technical Challenges — Node Upgrades (PodDisruptionBudgets)',
    command: 'kubectl create poddisruptionbudget node-exporter -n monitoring --selector=app=node-exporter --min-available=4',
    derived: true,
    says: 'a PDB for the critical DaemonSet; an integer minAvailable, since a DaemonSet has no scale subresource (a maxUnavailable or percentage budget over its pods fails to sync upstream: SyncFailed, 0 allowed)',
    check: (r) => assert.equal(r.stdout.trim(), 'poddisruptionbudget.policy/node-exporter created'),
  },
  {
    seed: '003', section: 'Technical Challenges — Node Upgrades (PodDisruptionBudgets)',
    command: 'kubectl get poddisruptionbudget node-exporter -n monitoring',
    derived: true,
    says: 'MIN AVAILABLE 4 of the 5 healthy pods, ALLOWED DISRUPTIONS 1: maintenance may take down one pod at a time',
    eventually: true,
    check: (r) => assert.deepEqual(cells(table(r.stdout)[0], 'NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS'), ['node-exporter', '4', 'N/A', '1']),
  },
  {
    seed: '003', section: 'Architect Level — Critical Pod Priority',
    command: `kubectl patch daemonset node-exporter -n monitoring -p '{"spec":{"template":{"spec":{"priorityClassName":"system-node-critical"}}}}'`,
    derived: true,
    says: 'the new pods carry priority 2000001000 and may preempt others on a full node',
    check: async (r, w) => {
      assert.equal(r.stdout.trim(), 'daemonset.apps/node-exporter patched');
      await eventually('the pods to carry the priority', async () => {
        assert.equal(await w.lab.kubectlOk(['get', 'pods', '-l', 'app=node-exporter', '-o', 'jsonpath={.items[*].spec.priority}']), Array(5).fill('2000001000').join(' '));
      }, 10_000);
    },
  },
  {
    seed: '003', section: 'Architect Level — Static Pods vs. DaemonSets',
    command: '(write a pod manifest into /etc/kubernetes/manifests on a node, then kubectl get pods -A)',
    derived: true,
    skip: 'by nature: lab nodes have no /etc/kubernetes/manifests to write into; `everynode node add NAME --static-pods DIR` does the same (test/e2e/node-cli.test.ts)',
    says: 'the kubelet runs the static pod; the API server shows its mirror pod',
  },
];

// ---------------------------------------------------------------------------------------------------

/** Every command line in a document's code blocks that starts with `kubectl`, in order. */
function documentCommands(file: string): string[] {
  const commands: string[] = [];
  let inBlock = false;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) inBlock = !inBlock;
    else if (inBlock && line.startsWith('kubectl ')) commands.push(line);
  }
  return commands;
}

describe('the walkthrough table covers the seed documents', () => {
  const seeds = join(import.meta.dirname, '../seeds');
  const fromTable = (seed: string) => steps.filter((s) => s.seed === seed && !s.glue && !s.derived && !s.skip).map((s) => s.command);

  it('000: every kubectl command of its code blocks, verbatim and in order', () => {
    const commands = documentCommands(join(seeds, '000_235a33d6cfe65462.txt'));
    assert.equal(commands.length, 35);
    assert.deepEqual(fromTable('000'), commands);
  });

  it('003: prints no kubectl command, so all its rows are derived', () => {
    assert.ok(!readFileSync(join(seeds, '003_641faa37a90a1ecd.txt'), 'utf8').includes('kubectl'), '003 mentions kubectl');
    assert.deepEqual(fromTable('003'), []);
  });
});

describe('seed walkthrough (000 then 003), with the real kubectl', () => {
  const w = { saved: {} } as Walk;

  before(async () => {
    w.lab = await startTestLab({ nodes: 4, controlPlane: 1, startDelayMs: 100, readyDelayMs: 100 });
    w.dir = join(w.lab.dir, 'reader');
    cpSync(manifests, w.dir, { recursive: true });
    await w.lab.kubectlOk(['wait', '--for=condition=Ready', 'node', '--all', '--timeout=20s']);
  });
  after(async () => {
    await w.lab?.stop();
  });

  steps.forEach((step, i) => {
    const tag = step.glue ? ' [glue]' : step.derived ? ' [derived]' : '';
    const title = `${String(i + 1).padStart(2, '0')} ${step.seed} ${step.section}${tag}: ${step.command}`;
    const options = step.skip ? { skip: step.skip } : step.todo ? { todo: step.todo } : {};
    it(title, options, async () => {
      if (step.action) return step.action(w);
      await step.prepare?.(w);
      let line = step.command;
      for (const [placeholder, resolve] of Object.entries(step.placeholders ?? {})) line = line.replaceAll(placeholder, await resolve(w));
      const env: Record<string, string> = {};
      if (step.editor) {
        const editor = join(w.lab.dir, `editor-${i + 1}.sh`);
        writeFileSync(editor, step.editor);
        chmodSync(editor, 0o755);
        env.EDITOR = editor;
        env.KUBE_EDITOR = editor;
      }
      const attempt = async () => {
        const out = await w.lab.sh(line, { cwd: w.dir, env, timeoutMs: step.timeoutMs });
        assert.equal(out.code, step.exitCode ?? 0, `\`${line}\` exited ${out.code}\nstdout: ${out.stdout}\nstderr: ${out.stderr}`);
        try {
          await step.check?.(out, w);
        } catch (error) {
          (error as Error).message += `\n--- \`${line}\` printed:\n${out.stdout}${out.stderr ? `--- stderr:\n${out.stderr}` : ''}`;
          throw error;
        }
      };
      // A todo row fails until its feature lands: let it fail quickly.
      if (step.eventually) await eventually(`\`${line}\` to show what the document says`, attempt, step.todo ? 5_000 : 30_000);
      else await attempt();
    });
  });
});
