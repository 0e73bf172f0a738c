/**
 * The node lifecycle controller: watches node heartbeats (the node's Lease in kube-node-lease and its
 * Ready condition's lastHeartbeatTime), sets the conditions of a silent node to Unknown, marks its pods
 * not Ready, and keeps the condition taints on every node (upstream's TaintNodeByCondition and the
 * NoExecute tainting pass). Optionally runs the NoExecute taint manager (taint-eviction.ts) too.
 * Upstream: pkg/controller/nodelifecycle/node_lifecycle_controller.go (monitorNodeHealth,
 * tryUpdateNodeHealth, doNoScheduleTaintingPass, doNoExecuteTaintingPass, MarkPodsNotReady).
 *
 * Heartbeats are observed locally, as upstream does with probe timestamps: a node is healthy while this
 * controller has seen its Lease renewTime or its Ready lastHeartbeatTime change within the grace period,
 * measured on this controller's clock, never by comparing the node's timestamps with ours.
 */
import type { Condition, Lease, Node, Pod, Taint } from '../../api/types.js';
import { rfc3339Seconds } from '../../api/time.js';
import { CoalescedRun, EventRecorder, Informer, recordNodeStatusEvent, errorText, objectKey, realClock, refs, retryOnConflict, silentLogger, type Client, type Clock, type Logger, type Timer } from '../../client/index.js';
import {
  taintNodeDiskPressure,
  taintNodeMemoryPressure,
  taintNodeNetworkUnavailable,
  taintNodeNotReady,
  taintNodePIDPressure,
  taintNodeUnreachable,
  taintNodeUnschedulable,
} from '../daemonset/tolerations.js';
import { TaintEvictionController, isConflict, isNotFound } from './taint-eviction.js';

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleControllerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** How long a node may stay silent before it is Unknown (`--node-monitor-grace-period`). @default 40000 */
  nodeMonitorGracePeriodMs?: number;
  /** How long a node that never posted a status gets (`--node-startup-grace-period`). @default 60000 */
  nodeStartupGracePeriodMs?: number;
  /** How often node health is checked (`--node-monitor-period`). @default 5000 */
  nodeMonitorPeriodMs?: number;
  /** Also run the NoExecute taint manager ({@link TaintEvictionController}). @default true */
  runTaintManager?: boolean;
}

/** The conditions set to Unknown when the kubelet goes silent (upstream: nodeConditionTypes plus Ready). */
export const monitoredConditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Condition (type and status) → NoSchedule taint key (upstream: nodeConditionToTaintKeyStatusMap). */
const conditionTaints: { type: string; status: Condition['status']; key: string }[] = [
  { type: 'Ready', status: 'False', key: taintNodeNotReady },
  { type: 'Ready', status: 'Unknown', key: taintNodeUnreachable },
  { type: 'MemoryPressure', status: 'True', key: taintNodeMemoryPressure },
  { type: 'DiskPressure', status: 'True', key: taintNodeDiskPressure },
  { type: 'PIDPressure', status: 'True', key: taintNodePIDPressure },
  { type: 'NetworkUnavailable', status: 'True', key: taintNodeNetworkUnavailable },
];

const managedTaintKeys = new Set([...conditionTaints.map((c) => c.key), taintNodeUnschedulable]);

/** RFC 3339 with whole seconds, as condition and taint times are written. */
export const rfc3339 = rfc3339Seconds;

/**
 * The taints this controller manages that `node` should carry, from its conditions and spec.unschedulable:
 * the NoSchedule taints of TaintNodeByCondition, plus not-ready / unreachable as NoExecute.
 */
export function desiredNodeTaints(node: Node): Pick<Taint, 'key' | 'effect'>[] {
  const conditions = node.status?.conditions ?? [];
  const taints: Pick<Taint, 'key' | 'effect'>[] = [];
  for (const { type, status, key } of conditionTaints) {
    if (conditions.some((c) => c.type === type && c.status === status)) taints.push({ key, effect: 'NoSchedule' });
  }
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') taints.push({ key: taintNodeNotReady, effect: 'NoExecute' });
  if (ready?.status === 'Unknown') taints.push({ key: taintNodeUnreachable, effect: 'NoExecute' });
  if (node.spec?.unschedulable === true) taints.push({ key: taintNodeUnschedulable, effect: 'NoSchedule' });
  return taints;
}

/**
 * `node`'s taints with the managed ones made equal to {@link desiredNodeTaints}: other taints kept in
 * order, managed taints kept (with their timeAdded) when still wanted, missing ones appended (NoExecute
 * ones with timeAdded = now). Returns `undefined` when nothing changes.
 */
export function reconcileNodeTaints(node: Node, nowMs: number): Taint[] | undefined {
  const existing = node.spec?.taints ?? [];
  const desired = desiredNodeTaints(node);
  const same = (a: Pick<Taint, 'key' | 'effect'>, b: Pick<Taint, 'key' | 'effect'>) => a.key === b.key && a.effect === b.effect;
  const kept = existing.filter((t) => !managedTaintKeys.has(t.key) || desired.some((d) => same(d, t)));
  const added: Taint[] = desired
    .filter((d) => !kept.some((t) => same(d, t)))
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: rfc3339(nowMs) } : { ...d }));
  if (added.length === 0 && kept.length === existing.length) return undefined;
  return [...kept, ...added];
}

/**
 * The conditions of a node whose kubelet stopped posting: every monitored condition Unknown (added when
 * missing). Returns `undefined` when they already are.
 */
export function unknownNodeConditions(conditions: readonly Condition[] | undefined, nowMs: number): Condition[] | undefined {
  const now = rfc3339(nowMs);
  const result = [...(conditions ?? [])];
  let changed = false;
  for (const type of monitoredConditionTypes) {
    const index = result.findIndex((c) => c.type === type);
    if (index < 0) {
      result.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: now,
        lastTransitionTime: now,
      });
      changed = true;
    } else if (result[index]!.status !== 'Unknown') {
      result[index] = {
        ...result[index]!,
        status: 'Unknown',
        reason: 'NodeStatusUnknown',
        message: 'Kubelet stopped posting node status.',
        lastTransitionTime: now,
      };
      changed = true;
    }
  }
  return changed ? result : undefined;
}

/** The event source of this controller (upstream: its recorder's component). */
export const nodeControllerComponent = 'node-controller';

/** What this controller last saw of a node's heartbeats (upstream: nodeHealthData). */
interface NodeHealth {
  probeTimestamp: number;
  readyHeartbeat?: string;
  leaseRenewTime?: string;
}

/**
 * @example
 * const lifecycle = new NodeLifecycleController({ client });
 * await lifecycle.start();
 * // ...
 * await lifecycle.stop();
 */
export class NodeLifecycleController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly gracePeriodMs: number;
  private readonly startupGracePeriodMs: number;
  private readonly periodMs: number;
  private readonly nodes: Informer<Node>;
  private readonly leases: Informer<Lease>;
  private readonly pods: Informer<Pod>;
  private readonly health = new Map<string, NodeHealth>();
  private readonly recorder: EventRecorder;
  readonly taintManager?: TaintEvictionController;
  private timer?: Timer;
  private readonly passes = new CoalescedRun(() => this.pass(), () => this.stopped);
  private started = false;
  private stopped = false;

  constructor(config: NodeLifecycleControllerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.gracePeriodMs = config.nodeMonitorGracePeriodMs ?? 40_000;
    this.startupGracePeriodMs = config.nodeStartupGracePeriodMs ?? 60_000;
    this.periodMs = config.nodeMonitorPeriodMs ?? 5_000;
    const common = { client: this.client, clock: this.clock, log: this.log };
    this.nodes = new Informer<Node>({ ...common, resource: refs.nodes });
    this.leases = new Informer<Lease>({ ...common, resource: refs.leases, query: { namespace: nodeLeaseNamespace } });
    this.pods = new Informer<Pod>({ ...common, resource: refs.pods });
    this.recorder = new EventRecorder(this.client, { component: nodeControllerComponent }, () => this.clock.now(), (error) =>
      this.log('event write failed', { error: errorText(error) }),
    );
    if (config.runTaintManager ?? true) this.taintManager = new TaintEvictionController(common);
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the node lifecycle controller is already started');
    this.started = true;
    await Promise.all([this.nodes.start(), this.leases.start(), this.pods.start(), this.taintManager?.start()]);
    if (this.stopped) return;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.nodes.stop();
    this.leases.stop();
    this.pods.stop();
    await this.passes.settled();
    await this.recorder.flush();
    await this.taintManager?.stop();
  }

  /**
   * Runs one health pass now, or right after the one under way. Resolves when the pass that reflects
   * the clock's current time has finished.
   */
  monitorNodeHealth(): Promise<void> {
    return this.passes.trigger();
  }

  // ----------------------------------------------------------------------------------------------

  private tick(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(() => this.tick(), this.periodMs);
    this.monitorNodeHealth().catch((error) => this.log('node health pass failed', { error: errorText(error) }));
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    const seen = new Set<string>();
    for (const node of this.nodes.list()) {
      if (this.stopped) return;
      const name = node.metadata.name ?? '';
      seen.add(name);
      try {
        await this.monitorNode(node, now);
      } catch (error) {
        this.log('node health update failed', { node: name, error: errorText(error) });
      }
    }
    for (const name of [...this.health.keys()]) if (!seen.has(name)) this.health.delete(name);
  }

  /** Upstream: tryUpdateNodeHealth, then the tainting passes for one node. */
  private async monitorNode(observed: Node, now: number): Promise<void> {
    const name = observed.metadata.name ?? '';
    const ready = observed.status?.conditions?.find((c) => c.type === 'Ready');
    const renewTime = this.leases.get(nodeLeaseNamespace, name)?.spec?.renewTime;
    let health = this.health.get(name);
    if (!health) {
      health = { probeTimestamp: now, readyHeartbeat: ready?.lastHeartbeatTime, leaseRenewTime: renewTime };
      this.health.set(name, health);
    }
    if (ready?.lastHeartbeatTime !== undefined && ready.lastHeartbeatTime !== health.readyHeartbeat) {
      health.readyHeartbeat = ready.lastHeartbeatTime;
      health.probeTimestamp = now;
    }
    if (renewTime !== undefined && (health.leaseRenewTime === undefined || renewTime > health.leaseRenewTime)) {
      health.leaseRenewTime = renewTime;
      health.probeTimestamp = now;
    }
    let node = observed;
    const grace = ready ? this.gracePeriodMs : this.startupGracePeriodMs;
    if (now - health.probeTimestamp > grace) {
      const conditions = unknownNodeConditions(node.status?.conditions, now);
      if (conditions) {
        this.log('node stopped posting status; marking it Unknown', { node: name, silentMs: now - health.probeTimestamp });
        // The resourceVersion makes this a precondition: a status the kubelet posted meanwhile wins, and
        // the next pass looks again (upstream updates with the version it read, too).
        const patch = { metadata: { resourceVersion: node.metadata.resourceVersion }, status: { conditions } };
        try {
          node = await this.client.patch<Node>(refs.nodes, undefined, name, 'merge', patch, { subresource: 'status' });
        } catch (error) {
          if (isConflict(error)) return;
          throw error;
        }
        if (ready?.status === 'True') recordNodeStatusEvent(this.recorder, name, 'NodeNotReady');
        if (ready?.status !== 'Unknown') await this.markPodsNotReady(name, now);
      }
    }
    await this.updateTaints(node, now);
  }

  /** Makes the managed taints of `node` right, re-reading it on conflicts (taints are a list: no merging). */
  private async updateTaints(first: Node, now: number): Promise<void> {
    const name = first.metadata.name ?? '';
    let node = first;
    let attempt = 0;
    await retryOnConflict(async () => {
      if (attempt++ > 0) node = await this.client.get<Node>(refs.nodes, undefined, name);
      const taints = reconcileNodeTaints(node, now);
      if (!taints) return;
      this.log('updating node taints', { node: name, taints: taints.map((t) => `${t.key}:${t.effect}`) });
      const patch = { metadata: { resourceVersion: node.metadata.resourceVersion }, spec: { taints: taints.length ? taints : null } };
      await this.client.patch(refs.nodes, undefined, name, 'merge', patch);
    });
  }

  /** Sets Ready=False on every pod bound to `nodeName` (upstream: MarkPodsNotReady). */
  private async markPodsNotReady(nodeName: string, now: number): Promise<void> {
    for (const pod of this.pods.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conditions = pod.status?.conditions ?? [];
      const index = conditions.findIndex((c) => c.type === 'Ready');
      if (index < 0 || conditions[index]!.status === 'False') continue;
      const updated = [...conditions];
      updated[index] = { ...conditions[index]!, status: 'False', lastTransitionTime: rfc3339(now) };
      const key = objectKey(pod.metadata.namespace, pod.metadata.name ?? '');
      try {
        const patch = { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions: updated } };
        await this.client.patch(refs.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', patch, { subresource: 'status' });
        // After the write, so that the pod still exists (as upstream records it).
        this.recorder.record(pod, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' });
      } catch (error) {
        // A conflict means the kubelet posted the pod's status meanwhile: its word is fresher.
        if (!isNotFound(error) && !isConflict(error)) this.log('marking pod not ready failed', { pod: key, error: errorText(error) });
      }
    }
  }
}
