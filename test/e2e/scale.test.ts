/**
 * Issue #6, item 3: correct at scale. One lab of 300 simulated workers (and a tainted control-plane node)
 * on the SQLite store, a DaemonSet with `maxUnavailable: 10%`, and three phases checked for correctness
 * only — no timing assertion, every wait a poll with a generous deadline:
 *
 * 1. convergence: DESIRED = CURRENT = READY = UP-TO-DATE = AVAILABLE = 300, one pod per worker, each pod
 *    bound to the node its pinning affinity names, observedGeneration current;
 * 2. a rolling update watched event by event: never more than 30 nodes without an available pod, never
 *    two non-terminating pods on one node; 300 Ready pods of the new image, revisions 1 and 2, and
 *    `kubectl rollout status` succeeds;
 * 3. node churn: 20 nodes deleted in the middle of a second rollout, 20 new nodes added, 10 nodes'
 *    kubelets stopped (NotReady, unreachable-tainted: they leave DESIRED, their pods stay, misscheduled)
 *    and started again; after each step the DaemonSet converges to the right numbers, no pod is left on
 *    a deleted node, every new node gets exactly one pod, no pod is replaced without reason.
 *
 * Three watches (pods, the DaemonSet, nodes) run from start to end and check invariants on every event;
 * the converged states are checked again through the real kubectl.
 *
 * Timing: start 20 ms and ready 30 ms lab-wide; nodes 1–100 add up to 40 ms of jitter per pod, nodes
 * 101–200 take 100 ms to stop a pod (so terminating pods linger beside their replacements). The node
 * monitor grace period is 4 s; the lab then has the simulated kubelets renew their Lease every second
 * (a quarter of it), so healthy nodes never flap Unknown (the node watch would report it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestLab, type TestLab } from '../../src/testing/kubectl.js';
import { request, watchEach, type WatchEventJson, type WatchStream } from '../../src/testing/http.js';

const namespace = 'scale';
const workers = 300;
const maxUnavailable = 30; // 10% of 300
const deadlineMs = 120_000;
const image = { v1: 'registry.example/agent:1.0', v2: 'registry.example/agent:2.0', v3: 'registry.example/agent:3.0' };
const range = (from: number, to: number, prefix = 'node-') => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

const daemonSet = JSON.stringify({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: image.v1 }] } },
  },
});

/** New simulated nodes as a stream of JSON documents (every other one with 40 ms of jitter). */
const simulatedNodes = (names: string[]) =>
  names
    .map((name, i) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name,
          labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' },
          annotations: { 'everynode.dev/simulated': 'true', ...(i % 2 === 0 ? { 'everynode.dev/jitter': '40ms' } : {}) },
        },
      }),
    )
    .join('\n');

// --- what the tests know of a pod ------------------------------------------------------------------

interface PodView {
  name: string;
  uid: string;
  /** spec.nodeName, or '' while unbound. */
  node: string;
  /** The single value of the single `metadata.name In [...]` term of the required node affinity, or ''. */
  pinned: string;
  image: string;
  ready: boolean;
  terminating: boolean;
  terminal: boolean;
  hash: string;
}

// Pods as the API returns them (watch events, kubectl -o json).
function podView(pod: any): PodView {
  const terms: any[] = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const pins: string[] = terms.flatMap((t) => (t.matchFields ?? []).filter((r: any) => r.key === 'metadata.name' && r.operator === 'In').flatMap((r: any) => r.values ?? []));
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    node: pod.spec?.nodeName ?? '',
    pinned: terms.length === 1 && pins.length === 1 ? pins[0]! : '',
    image: pod.spec?.containers?.[0]?.image ?? '',
    ready: pod.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false,
    terminating: pod.metadata.deletionTimestamp !== undefined,
    terminal: pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed',
    hash: pod.metadata.labels?.['controller-revision-hash'] ?? '',
  };
}

const running = (p: PodView) => !p.terminating && !p.terminal;
const available = (p: PodView) => running(p) && p.ready;

/** Keeps the first few messages of a kind of invariant violation, and how many there were. */
class Violations {
  readonly first: string[] = [];
  count = 0;
  add(message: string): void {
    this.count++;
    if (this.first.length < 15) this.first.push(message);
  }
  toString(): string {
    return `${this.count} violation(s):\n${this.first.join('\n')}`;
  }
}

/**
 * The DaemonSet's pods, followed through one watch from before the DaemonSet exists. On every event:
 * a pod must be pinned to exactly one node and, once bound, be bound to it; no node may carry two
 * non-terminating pods; while a window is open, the nodes of the window without an available pod are
 * counted (the largest count is kept).
 */
class PodWatch {
  readonly pods = new Map<string, PodView>();
  private readonly byNode = new Map<string, Set<string>>();
  readonly violations = new Violations();
  added = 0;
  deleted = 0;
  private window?: { nodes: Set<string>; unavailable: Set<string>; most: number; when: string };

  handle(event: WatchEventJson): void {
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'ERROR') return this.violations.add(`watch error: ${JSON.stringify(event.object)}`);
    const view = podView(event.object);
    const before = this.pods.get(view.name);
    if (before) this.byNode.get(before.pinned)?.delete(view.name);
    if (event.type === 'DELETED') {
      this.pods.delete(view.name);
      this.deleted++;
    } else {
      if (event.type === 'ADDED') this.added++;
      if (!view.pinned) this.violations.add(`pod ${view.name} is not pinned to exactly one node`);
      if (view.node && view.node !== view.pinned) this.violations.add(`pod ${view.name} is pinned to ${view.pinned} but bound to ${view.node}`);
      this.pods.set(view.name, view);
      let names = this.byNode.get(view.pinned);
      if (!names) this.byNode.set(view.pinned, (names = new Set()));
      names.add(view.name);
    }
    for (const node of new Set([before?.pinned, view.pinned])) if (node !== undefined) this.recheck(node);
  }

  on(node: string): PodView[] {
    return [...(this.byNode.get(node) ?? [])].map((name) => this.pods.get(name)!);
  }

  private recheck(node: string): void {
    const pods = this.on(node);
    const live = pods.filter(running);
    if (live.length > 1) this.violations.add(`node ${node} has ${live.length} non-terminating pods: ${live.map((p) => `${p.name} (${p.image})`).join(', ')}`);
    const w = this.window;
    if (w?.nodes.has(node)) {
      if (pods.some(available)) w.unavailable.delete(node);
      else w.unavailable.add(node);
      if (w.unavailable.size > w.most) {
        w.most = w.unavailable.size;
        w.when = [...w.unavailable].sort().join(' ');
      }
    }
  }

  /** Starts counting the nodes of `nodes` that have no available pod. */
  openWindow(nodes: Iterable<string>): void {
    const w = { nodes: new Set(nodes), unavailable: new Set<string>(), most: 0, when: '' };
    this.window = w;
    for (const node of w.nodes) if (!this.on(node).some(available)) w.unavailable.add(node);
    w.most = w.unavailable.size;
  }

  /** Stops counting; the most nodes seen at once without an available pod, and which they were. */
  closeWindow(): { most: number; nodes: string } {
    const w = this.window!;
    this.window = undefined;
    return { most: w.most, nodes: w.when };
  }
}

interface DaemonSetStatus {
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  numberMisscheduled?: number;
  numberReady?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  updatedNumberScheduled?: number;
  observedGeneration?: number;
}

/** The DaemonSet through a watch: the latest object, and every status it went through. */
class DaemonSetWatch {
  generation = 0;
  status: DaemonSetStatus = {};
  readonly history: { generation: number; status: DaemonSetStatus }[] = [];
  handle(event: WatchEventJson): void {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    this.generation = event.object.metadata.generation;
    this.status = event.object.status ?? {};
    this.history.push({ generation: this.generation, status: this.status });
  }
}

/**
 * Nodes through a watch: once a node has settled (Ready, without a not-ready or unreachable taint), it
 * may go NotReady/Unknown or get such a taint again only when the test stopped its kubelet.
 */
class NodeWatch {
  readonly settled = new Set<string>();
  readonly maySilence = new Set<string>();
  readonly violations = new Violations();
  handle(event: WatchEventJson): void {
    const name: string = event.object.metadata?.name;
    if (event.type === 'DELETED') {
      this.settled.delete(name);
      return;
    }
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') return;
    const ready: string = event.object.status?.conditions?.find((c: any) => c.type === 'Ready')?.status ?? '';
    const health: string[] = (event.object.spec?.taints ?? [])
      .filter((t: any) => /^node\.kubernetes\.io\/(not-ready|unreachable)$/.test(t.key))
      .map((t: any) => `${t.key}:${t.effect}`);
    if (ready === 'True' && health.length === 0) {
      this.settled.add(name);
      return;
    }
    if (this.settled.has(name) && !this.maySilence.has(name)) {
      this.violations.add(`node ${name} went Ready=${ready || '(none)'}${health.length ? `, tainted ${health.join(', ')}` : ''} without being stopped`);
    }
  }
}

/** Polls `check` (which throws while not there) until it passes; fails with its last message at the deadline. */
async function until<T>(what: string, check: () => T | Promise<T>, ms = deadlineMs, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

// --- expected states ------------------------------------------------------------------------------

interface Expected {
  image: string;
  /** Nodes where the DaemonSet should run. */
  schedulable: string[];
  /** Stopped nodes: out of DESIRED, their pod kept (misscheduled). */
  silent?: string[];
}

/** Throws (with what differs) unless the pods are exactly one per expected node, as `e` says. */
function checkPods(pods: PodView[], e: Expected, source: string): void {
  const silent = new Set(e.silent ?? []);
  const wanted = new Set([...e.schedulable, ...silent]);
  const byNode = new Map<string, PodView[]>();
  for (const p of pods) byNode.set(p.pinned, [...(byNode.get(p.pinned) ?? []), p]);
  const problems: string[] = [];
  for (const [node, list] of byNode) if (!wanted.has(node)) problems.push(`${list.length} pod(s) on ${node || '(no node)'}, which should have none: ${list.map((p) => p.name).join(' ')}`);
  for (const node of wanted) {
    const list = byNode.get(node) ?? [];
    if (list.length !== 1) {
      problems.push(`${node} has ${list.length} pods${list.length ? `: ${list.map((p) => `${p.name}${p.terminating ? ' (terminating)' : ''}`).join(' ')}` : ''}`);
      continue;
    }
    const p = list[0]!;
    if (p.node !== node) problems.push(`${p.name} is pinned to ${node} but bound to ${p.node || 'nothing'}`);
    if (!running(p)) problems.push(`${p.name} on ${node} is ${p.terminating ? 'terminating' : 'terminal'}`);
    if (silent.has(node)) continue;
    if (p.image !== e.image) problems.push(`${p.name} on ${node} runs ${p.image}`);
    if (!p.ready) problems.push(`${p.name} on ${node} is not Ready`);
  }
  assert.equal(problems.length, 0, `${source}: ${problems.length} problem(s) with the pods, e.g.\n${problems.slice(0, 10).join('\n')}`);
}

function checkStatus(generation: number, status: DaemonSetStatus, e: Expected, source: string): void {
  const n = e.schedulable.length;
  assert.equal(status.observedGeneration, generation, `${source}: observedGeneration ${status.observedGeneration}, generation ${generation}`);
  const counts = {
    desired: status.desiredNumberScheduled,
    current: status.currentNumberScheduled,
    ready: status.numberReady,
    updated: status.updatedNumberScheduled,
    available: status.numberAvailable,
    unavailable: status.numberUnavailable ?? 0,
    misscheduled: status.numberMisscheduled,
  };
  const want = { desired: n, current: n, ready: n, updated: n, available: n, unavailable: 0, misscheduled: e.silent?.length ?? 0 };
  assert.deepEqual(counts, want, `${source}: status ${JSON.stringify(counts)}, want ${JSON.stringify(want)}`);
}

// ----------------------------------------------------------------------------------------------------

describe('at scale: a DaemonSet on 300 simulated nodes (SQLite store)', { timeout: 600_000 }, () => {
  let lab: TestLab;
  const pods = new PodWatch();
  const ds = new DaemonSetWatch();
  const nodes = new NodeWatch();
  const watches: WatchStream[] = [];
  /** The workers the test expects to exist, in order. */
  let fleet = range(1, workers);

  before(async () => {
    lab = await startTestLab({ nodes: workers, controlPlane: 1, memory: false, startDelayMs: 20, readyDelayMs: 30, nodeMonitorGracePeriodMs: 4_000 });
    watches.push(
      watchEach(lab.url, `/api/v1/namespaces/${namespace}/pods?watch=true&labelSelector=app%3Dagent`, (e) => pods.handle(e)),
      watchEach(lab.url, `/apis/apps/v1/namespaces/${namespace}/daemonsets?watch=true`, (e) => ds.handle(e)),
      watchEach(lab.url, '/api/v1/nodes?watch=true', (e) => nodes.handle(e)),
    );
    await Promise.all(watches.map((w) => w.opened));
    // Straight to the API: kubectl's client-side throttling (5 requests/s past a burst of 10) would make
    // per-node kubectl commands take 0.1–0.2 s per node here.
    const annotate = (names: string[], annotations: Record<string, string>) =>
      Promise.all(
        names.map(async (name) => {
          const answer = await request(lab.url, 'PATCH', `/api/v1/nodes/${name}`, { metadata: { annotations } }, 'application/merge-patch+json');
          assert.equal(answer.status, 200, `annotating ${name}: ${JSON.stringify(answer.json)}`);
        }),
      );
    await annotate(range(1, 100), { 'everynode.dev/jitter': '40ms' });
    await annotate(range(101, 200), { 'everynode.dev/stop-delay': '100ms' });
    await lab.kubectlOk(['create', 'namespace', namespace]);
    await until('every node to be Ready', () => assert.equal(nodes.settled.size, workers + 1, `${nodes.settled.size} nodes Ready`));
  });
  after(async () => {
    for (const w of watches) w.close();
    await lab?.stop();
  });

  const kubectlOk = (args: string[], options: { input?: string } = {}) => lab.kubectlOk(['-n', namespace, ...args], { ...options, timeoutMs: 60_000 });

  /** The watches are alive and have seen nothing wrong. */
  const checkInvariants = () => {
    for (const w of watches) {
      assert.equal(w.error?.message, undefined, 'a watch failed');
      assert.ok(!w.done, 'a watch ended early: the invariants were not followed to the end');
    }
    assert.equal(pods.violations.count, 0, `pod invariants: ${pods.violations}`);
    assert.equal(nodes.violations.count, 0, `node invariants: ${nodes.violations}`);
  };

  /** Waits until the watches show the expected state, then checks it again through kubectl. */
  const converge = async (what: string, e: Expected): Promise<number> => {
    const started = Date.now();
    await until(what, () => {
      checkStatus(ds.generation, ds.status, e, 'DaemonSet watch');
      checkPods([...pods.pods.values()], e, 'pod watch');
    });
    const seconds = (Date.now() - started) / 1000;
    await until(`${what}, as kubectl shows it`, async () => {
      const n = String(e.schedulable.length);
      const row = (await kubectlOk(['get', 'ds', 'agent', '--no-headers'])).trim().split(/\s+/);
      assert.deepEqual(row.slice(0, 6), ['agent', n, n, n, n, n], `kubectl get ds: NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE = ${row.slice(0, 6).join(' ')}`);
      const object = JSON.parse(await kubectlOk(['get', 'ds', 'agent', '-o', 'json']));
      checkStatus(object.metadata.generation, object.status, e, 'kubectl get ds');
      const list = JSON.parse(await kubectlOk(['get', 'pods', '-l', 'app=agent', '-o', 'json']));
      checkPods(list.items.map(podView), e, 'kubectl get pods');
      const names = (await lab.kubectlOk(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort();
      assert.deepEqual(names, ['control-plane', ...fleet].sort(), 'kubectl get nodes: the nodes the test expects');
    }, 30_000, 500);
    checkInvariants();
    return seconds;
  };

  const revisions = async () => {
    const list = JSON.parse(await kubectlOk(['get', 'controllerrevisions', '-l', 'app=agent', '-o', 'json']));
    return (list.items as any[])
      .map((r) => ({ revision: r.revision as number, hash: r.metadata.labels?.['controller-revision-hash'] as string, owner: `${r.metadata.ownerReferences?.[0]?.kind}/${r.metadata.ownerReferences?.[0]?.name}` }))
      .sort((a, b) => a.revision - b.revision);
  };

  /** `kubectl rollout status` started now, awaited later. */
  const rolloutStatus = () => lab.kubectl(['-n', namespace, 'rollout', 'status', 'ds/agent', '--timeout=120s'], { timeoutMs: 130_000 });
  const checkRolloutStatus = (result: { code: number; stdout: string; stderr: string }) => {
    assert.equal(result.code, 0, `kubectl rollout status exited ${result.code}: ${result.stderr}`);
    assert.equal(result.stdout.trimEnd().split('\n').at(-1), 'daemon set "agent" successfully rolled out', `kubectl rollout status: ${result.stdout.slice(-500)}`);
  };

  /**
   * The statuses written for `generation` since `from`: desired within `desired` (fewest, most), nothing
   * misscheduled, at most 30 unavailable; with `monotonic`, updatedNumberScheduled never goes back.
   */
  const checkStatusesDuringRollout = (from: number, generation: number, desired: [number, number], monotonic: boolean) => {
    const seen = ds.history.slice(from).filter((h) => h.status.observedGeneration === generation);
    assert.ok(seen.length > 0, `statuses for generation ${generation} were seen (${ds.history.length - from} in all)`);
    let updated = 0;
    for (const { status } of seen) {
      const text = JSON.stringify(status);
      const d = status.desiredNumberScheduled ?? 0;
      assert.ok(d >= desired[0] && d <= desired[1], `desired stays within ${desired.join('–')} during the rollout: ${text}`);
      assert.equal(status.numberMisscheduled ?? 0, 0, `nothing misscheduled during the rollout: ${text}`);
      const unavailable = (status.desiredNumberScheduled ?? 0) - (status.numberAvailable ?? 0);
      assert.ok(unavailable <= maxUnavailable, `the status never shows more than ${maxUnavailable} unavailable: ${text}`);
      if (monotonic) {
        assert.ok((status.updatedNumberScheduled ?? 0) >= updated, `updatedNumberScheduled never goes back: ${updated}, then ${text}`);
        updated = status.updatedNumberScheduled ?? 0;
      }
    }
  };

  it('converges: DESIRED = CURRENT = READY = UP-TO-DATE = AVAILABLE = 300, one pod per worker, each bound where it is pinned', async (t) => {
    await kubectlOk(['apply', '-f', '-'], { input: daemonSet });
    const seconds = await converge('the DaemonSet to run on 300 workers', { image: image.v1, schedulable: fleet });
    assert.equal(pods.added, workers, `exactly ${workers} pods were ever created (${pods.added})`);
    assert.equal(pods.deleted, 0, `no pod was deleted (${pods.deleted})`);
    const history = await revisions();
    assert.deepEqual(history.map((r) => `${r.revision} ${r.owner}`), ['1 DaemonSet/agent'], 'one ControllerRevision, owned by the DaemonSet');
    assert.deepEqual([...new Set([...pods.pods.values()].map((p) => p.hash))], [history[0]!.hash], 'every pod carries the hash of revision 1');
    t.diagnostic(`converged on ${workers} nodes in ${seconds.toFixed(1)} s`);
  });

  it('rolling update with maxUnavailable 10%: never more than 30 nodes without an available pod, never two live pods on a node', async (t) => {
    const before = { added: pods.added, deleted: pods.deleted, statuses: ds.history.length };
    pods.openWindow(fleet);
    await kubectlOk(['set', 'image', 'ds/agent', `agent=${image.v2}`]);
    const status = rolloutStatus();
    const generation = Number(await kubectlOk(['get', 'ds', 'agent', '-o', 'jsonpath={.metadata.generation}']));
    const seconds = await converge('the rollout to 2.0', { image: image.v2, schedulable: fleet });
    const { most, nodes: worst } = pods.closeWindow();
    checkRolloutStatus(await status);

    assert.ok(most <= maxUnavailable, `at most ${maxUnavailable} nodes without an available pod at once; saw ${most}: ${worst}`);
    assert.ok(most > 0, 'the pod watch saw nodes without an available pod: it followed the rollout');
    checkStatusesDuringRollout(before.statuses, generation, [workers, workers], true);
    assert.equal(pods.added - before.added, workers, `one new pod per node (${pods.added - before.added})`);
    assert.equal(pods.deleted - before.deleted, workers, `every old pod deleted (${pods.deleted - before.deleted})`);

    const history = await revisions();
    assert.deepEqual(history.map((r) => `${r.revision} ${r.owner}`), ['1 DaemonSet/agent', '2 DaemonSet/agent'], 'two ControllerRevisions, numbered 1 and 2');
    const hashes = new Set([...pods.pods.values()].map((p) => p.hash));
    assert.deepEqual([...hashes], [history[1]!.hash], 'every pod carries the hash of revision 2');
    assert.equal(await kubectlOk(['rollout', 'history', 'ds/agent']), 'daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n', 'kubectl rollout history');
    t.diagnostic(`rolled out in ${seconds.toFixed(1)} s; at most ${most} nodes without an available pod at once`);
  });

  it('20 nodes deleted in the middle of a rollout: it finishes on the other 280, and no pod is left on a deleted node', async (t) => {
    const removed = fleet.filter((_, i) => i % 15 === 14); // node-15, node-30, … node-300
    assert.equal(removed.length, 20, 'twenty nodes to remove');
    const survivors = fleet.filter((n) => !removed.includes(n));
    const before = ds.history.length;
    pods.openWindow(survivors);
    await kubectlOk(['set', 'image', 'ds/agent', `agent=${image.v3}`]);
    const status = rolloutStatus();
    const generation = Number(await kubectlOk(['get', 'ds', 'agent', '-o', 'jsonpath={.metadata.generation}']));
    // After the first wave, so that some removed nodes run the new pod, some the old one, some neither.
    await until('the first wave of the rollout to 3.0', () =>
      assert.ok(ds.status.observedGeneration === generation && (ds.status.updatedNumberScheduled ?? 0) >= maxUnavailable, `updated ${ds.status.updatedNumberScheduled}`),
    );
    const removedAt = [...pods.pods.values()].filter((p) => p.image === image.v3 && p.ready && running(p)).length;
    const deleting = Date.now();
    // Two kubectl commands of ten nodes each: within kubectl's burst, so the nodes go at once.
    await Promise.all([removed.slice(0, 10), removed.slice(10)].map((names) => lab.kubectlOk(['delete', 'node', ...names])));
    const deletedAt = [...pods.pods.values()].filter((p) => p.image === image.v3 && p.ready && running(p)).length;
    const deleteSeconds = (Date.now() - deleting) / 1000;
    fleet = survivors;
    const seconds = await converge('the rollout to 3.0 on the 280 remaining nodes', { image: image.v3, schedulable: fleet });
    const { most, nodes: worst } = pods.closeWindow();
    checkRolloutStatus(await status);

    assert.ok(deletedAt < survivors.length, `the nodes went while the rollout was under way (${deletedAt} new pods Ready when they were gone)`);
    assert.ok(most <= maxUnavailable, `at most ${maxUnavailable} of the remaining nodes without an available pod at once; saw ${most}: ${worst}`);
    checkStatusesDuringRollout(before, generation, [survivors.length, workers], false);
    for (const node of removed) assert.equal(pods.on(node).length, 0, `no pod left on deleted node ${node}`);
    t.diagnostic(`20 nodes deleted in ${deleteSeconds.toFixed(1)} s while ${removedAt}→${deletedAt} new pods were Ready; rolled out and cleaned up ${seconds.toFixed(1)} s later`);
  });

  it('20 new nodes: each gets exactly one pod of the current image, nothing else moves', async (t) => {
    const before = { added: pods.added, deleted: pods.deleted };
    const added = range(1, 20, 'new-');
    await lab.kubectlOk(['create', '-f', '-'], { input: simulatedNodes(added) });
    fleet = [...fleet, ...added];
    const seconds = await converge('the DaemonSet to cover the 20 new nodes', { image: image.v3, schedulable: fleet });
    assert.equal(pods.added - before.added, 20, `exactly 20 pods created (${pods.added - before.added})`);
    assert.equal(pods.deleted - before.deleted, 0, `no pod deleted (${pods.deleted - before.deleted})`);
    for (const node of added) assert.equal(pods.on(node).length, 1, `exactly one pod on ${node}`);
    t.diagnostic(`20 new nodes covered in ${seconds.toFixed(1)} s`);
  });

  const stopped = [...range(1, 4), ...range(101, 103), ...range(201, 202), 'new-1'];

  it('10 nodes stop posting: they go Unknown and unreachable-tainted, leave DESIRED; their pods stay, misscheduled', async (t) => {
    assert.equal(stopped.length, 10, 'ten nodes to stop');
    const before = { added: pods.added, deleted: pods.deleted };
    const kept = new Map(stopped.map((node) => [node, pods.on(node).map((p) => p.uid)]));
    for (const node of stopped) nodes.maySilence.add(node);
    await lab.kubectlOk(['annotate', 'node', ...stopped, 'everynode.dev/stopped=true']);
    const seconds = await converge('the 10 stopped nodes to leave DESIRED', { image: image.v3, schedulable: fleet.filter((n) => !stopped.includes(n)), silent: stopped });

    const list = JSON.parse(await lab.kubectlOk(['get', 'nodes', ...stopped, '-o', 'json']));
    for (const node of list.items) {
      const ready = node.status.conditions.find((c: any) => c.type === 'Ready');
      assert.equal(ready?.status, 'Unknown', `${node.metadata.name} is Ready=Unknown`);
      const taints = (node.spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();
      assert.deepEqual(taints, ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'], `${node.metadata.name} is tainted unreachable`);
    }
    for (const node of stopped) {
      assert.deepEqual(pods.on(node).map((p) => p.uid), kept.get(node), `the pod on ${node} is the one from before`);
      await until(`the pod on ${node} to be marked not Ready`, () => assert.equal(pods.on(node)[0]?.ready, false, `the pod on ${node} is Ready=False`));
    }
    assert.equal(pods.added - before.added, 0, `no pod created (${pods.added - before.added})`);
    assert.equal(pods.deleted - before.deleted, 0, `no pod deleted (${pods.deleted - before.deleted})`);
    t.diagnostic(`10 nodes out of DESIRED ${seconds.toFixed(1)} s after their kubelets stopped (grace period 4 s)`);
  });

  it('the 10 nodes start again: back in DESIRED with the same pods, Ready again; nothing misscheduled', async (t) => {
    const before = { added: pods.added, deleted: pods.deleted };
    const kept = new Map(stopped.map((node) => [node, pods.on(node).map((p) => p.uid)]));
    await lab.kubectlOk(['annotate', 'node', ...stopped, 'everynode.dev/stopped-']);
    const seconds = await converge('the 10 nodes to come back', { image: image.v3, schedulable: fleet });
    for (const node of stopped) assert.deepEqual(pods.on(node).map((p) => p.uid), kept.get(node), `the pod on ${node} was kept`);
    assert.equal(pods.added - before.added, 0, `no pod created (${pods.added - before.added})`);
    assert.equal(pods.deleted - before.deleted, 0, `no pod deleted (${pods.deleted - before.deleted})`);
    await until('the restarted nodes to lose their taints', async () => {
      const taints = await lab.kubectlOk(['get', 'nodes', ...stopped, '-o', 'jsonpath={.items[*].spec.taints}']);
      assert.equal(taints.trim(), '', `no taints left on the restarted nodes: ${taints}`);
    });
    for (const node of stopped) nodes.maySilence.delete(node);

    checkRolloutStatus(await rolloutStatus());
    assert.deepEqual((await revisions()).map((r) => r.revision), [1, 2, 3], 'three ControllerRevisions, numbered 1 to 3');
    checkInvariants();
    t.diagnostic(`back in ${seconds.toFixed(1)} s; ${watches.map((w) => w.events).join(' + ')} watch events checked`);
  });
});
