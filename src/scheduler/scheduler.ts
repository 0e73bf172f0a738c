/**
 * The scheduler: watches nodes and pods, takes pods that are its own and have no node, filters the nodes,
 * picks one and binds the pod to it through pods/binding. A pod that fits nowhere is marked
 * `PodScheduled=False` (reason Unschedulable), gets a FailedScheduling event, and waits among the
 * unschedulable pods until the cluster changes in a way that may let it fit.
 *
 * Upstream: `pkg/scheduler/scheduler.go` (wiring, event handlers), `pkg/scheduler/schedule_one.go`
 * (`scheduleOne`, `selectHost`, `handleSchedulingFailure`), `pkg/scheduler/internal/queue` (the active
 * queue, the unschedulable pods and `MoveAllToActiveOrBackoffQueue` with its move request cycle) and
 * `pkg/scheduler/internal/cache` (assumed pods).
 *
 * Simplifications: one scheduling profile and one worker; every cluster event of interest moves every unschedulable pod
 * back (upstream asks each plugin's queueing hints); a backoff for unschedulable pods is the work queue's
 * rate limiter. Preemption (DefaultPreemption, `preemption.ts`) evicts lower-priority pods and nominates
 * the node; pods nominated to a node count there for pods of no higher priority, as upstream's
 * `addNominatedPods` makes them.
 */
import { isConflict, isNotFound } from '../api/errors.js';
import type { Condition, KubeObject, Node, Pod, PodDisruptionBudget } from '../api/types.js';
import { rfc3339Seconds } from '../api/time.js';
import {
  EventRecorder,
  Informer,
  WorkQueue,
  errorText,
  objectKey,
  realClock,
  refs,
  runWorkers,
  silentLogger,
  splitObjectKey,
  type Client,
  type Clock,
  type Logger,
  type SyncResult,
  type Workers,
} from '../client/index.js';
import { failedSchedulingMessage, fitErrorMessage, preemptionMessage, runFilters, type Diagnosis } from './filter.js';
import { findCandidates, notEligibleToPreempt, pickOneNodeForPreemption, podPriority, type Candidate, type DisruptionBudget } from './preemption.js';
import { computePodResourceRequest, newNodeInfo, type FilterPlugin, type NodeInfo } from './framework.js';
import { defaultFilterPlugins } from './index.js';

/** The scheduler name this scheduler answers to (`spec.schedulerName`; empty means this one too). */
export const defaultSchedulerName = 'default-scheduler';

/** Event reason, and reporting component, of a pod that could not be scheduled. */
export const failedSchedulingReason = 'FailedScheduling';

/** `PodScheduled=False` reason when no node fits. */
export const unschedulableReason = 'Unschedulable';

/**
 * How often an unschedulable pod is tried again even if nothing it depends on changed. Upstream flushes
 * pods that stayed unschedulable for 5 minutes; we retry sooner because our event handling is coarser.
 */
export const unschedulableRetryMs = 30_000;

export interface SchedulerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** Filter plugins in order. @default defaultFilterPlugins */
  plugins?: readonly FilterPlugin[];
  /** @default unschedulableRetryMs */
  unschedulableRetryMs?: number;
}

/** Whether this scheduler is responsible for the pod (upstream `responsibleForPod`). */
export function responsibleForPod(pod: Pod): boolean {
  const name = pod.spec?.schedulerName;
  return !name || name === defaultSchedulerName;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Whether the pod waits for this scheduler: its own, not bound, not being deleted, not finished. */
export function needsScheduling(pod: Pod): boolean {
  return responsibleForPod(pod) && !pod.spec?.nodeName && !pod.metadata.deletionTimestamp && !isTerminal(pod);
}

/**
 * Upstream's LeastAllocated score (0–100 per resource, cpu and memory weighted equally): the share of the
 * node left free once the pod is added. Upstream counts a pod without requests as 100m cpu and 200Mi
 * memory when scoring; so do we.
 */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): bigint {
  const request = computePodResourceRequest(pod);
  const cpu = request.milliCPU === 0n ? 100n : request.milliCPU;
  const memory = request.memory === 0n ? 200n * 1024n * 1024n : request.memory;
  const part = (requested: bigint, allocatable: bigint): bigint =>
    allocatable <= 0n || requested > allocatable ? 0n : ((allocatable - requested) * 100n) / allocatable;
  return (part(info.requested.milliCPU + cpu, info.allocatable.milliCPU) + part(info.requested.memory + memory, info.allocatable.memory)) / 2n;
}

/**
 * Picks among feasible nodes: the highest LeastAllocated score, ties broken by node name so the choice is
 * reproducible (upstream breaks ties at random). A pod pinned to one node has only that node to pick.
 */
export function selectHost(pod: Pod, feasible: readonly NodeInfo[]): NodeInfo | undefined {
  let best: NodeInfo | undefined;
  let bestScore = -1n;
  for (const info of feasible) {
    const score = leastAllocatedScore(pod, info);
    if (score > bestScore || (score === bestScore && best !== undefined && info.name < best.name)) {
      best = info;
      bestScore = score;
    }
  }
  return best;
}

/** The fields of a node whose change may make an unschedulable pod fit (upstream's node update events). */
function schedulingRelevantNodeFields(node: Node): string {
  return JSON.stringify([node.metadata.labels ?? {}, node.spec?.taints ?? [], node.spec?.unschedulable ?? false, node.status?.allocatable ?? {}]);
}

/** What of a pod the scheduler's decision depends on; status and resourceVersion are not part of it. */
function schedulingRelevantPodFields(pod: Pod): string {
  return JSON.stringify([pod.metadata.labels ?? {}, pod.metadata.annotations ?? {}, pod.spec]);
}

/**
 * @example
 * const scheduler = new Scheduler({ client });
 * await scheduler.start();
 * // ... later
 * await scheduler.stop();
 */
export class Scheduler {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly plugins: readonly FilterPlugin[];
  private readonly retryMs: number;
  private readonly recorder: EventRecorder;
  private readonly queue: WorkQueue;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly budgets: Informer<PodDisruptionBudget>;
  private workers?: Workers;
  /** Binding writes in flight. */
  private readonly bindings = new Set<Promise<void>>();
  private started = false;
  private stopped = false;

  /** Node name → key → pod, for every pod bound to a node (as the informer saw it) or assumed onto one. */
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  /**
   * Pods this scheduler bound (or is binding) that the informer has not yet seen bound, by key. They
   * count on their node at once, so a quick next decision does not place a second pod into the same room.
   */
  private readonly assumed = new Map<string, Pod>();
  /** Node name → key → unbound pod nominated to run there (status.nominatedNodeName) after a preemption. */
  private readonly nominated = new Map<string, Map<string, Pod>>();
  /** NodeInfos built since their node or its pods last changed, by node name. */
  private readonly nodeInfoCache = new Map<string, NodeInfo>();
  /** Node names in order; rebuilt when a node is added or removed. */
  private sortedNodeNames?: string[];
  /** Keys of pods that fit nowhere at their last attempt, waiting for a cluster change. */
  private readonly unschedulable = new Set<string>();
  /**
   * Bumped whenever unschedulable pods are moved back to the queue. An attempt that fails after a move
   * request arrived retries at once instead of parking, so the event that might have helped is not lost.
   */
  private moveRequestCycle = 0;

  constructor(config: SchedulerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.plugins = config.plugins ?? defaultFilterPlugins;
    this.retryMs = config.unschedulableRetryMs ?? unschedulableRetryMs;
    this.recorder = new EventRecorder(this.client, { component: defaultSchedulerName }, () => this.clock.now(), (error) =>
      this.log('recording event failed', { error: errorText(error) }),
    );
    this.queue = new WorkQueue({ clock: this.clock });
    this.nodes = new Informer<Node>({ client: this.client, resource: refs.nodes, clock: this.clock, log: this.log });
    this.pods = new Informer<Pod>({ client: this.client, resource: refs.pods, clock: this.clock, log: this.log });
    this.budgets = new Informer<PodDisruptionBudget>({ client: this.client, resource: refs.poddisruptionbudgets, clock: this.clock, log: this.log });
    this.nodes.addHandlers({
      onAdd: (node) => this.onNodeAdd(node),
      onUpdate: (oldNode, newNode) => this.onNodeUpdate(oldNode, newNode),
      onDelete: (node) => this.onNodeDelete(node),
    });
    this.pods.addHandlers({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (oldPod, newPod) => this.onPodUpdate(oldPod, newPod),
      onDelete: (pod) => this.onPodDelete(pod),
    });
  }

  /** Lists and watches nodes and pods, then starts scheduling. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the scheduler is already started');
    this.started = true;
    await this.nodes.start();
    await this.budgets.start();
    await this.pods.start();
    // stop() may have been called while the lists were loading.
    if (this.stopped) return;
    // One worker: upstream schedules one pod at a time, so each decision sees the previous one.
    this.workers = runWorkers({
      queue: this.queue,
      sync: (key) => this.scheduleOne(key),
      onError: (error, key) => this.log('scheduling attempt failed', { pod: key, error: errorText(error) }),
    });
  }

  /** Stops watching and waits for the attempt in progress; pending writes of events are flushed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.nodes.stop();
    this.pods.stop();
    this.budgets.stop();
    if (this.workers) await this.workers.stop();
    else this.queue.shutDown();
    await Promise.all(this.bindings);
    await this.recorder.flush();
  }

  /** Keys of the pods waiting as unschedulable (for tests and diagnostics). */
  unschedulablePods(): string[] {
    return [...this.unschedulable].sort();
  }

  // ----------------------------------------------------------------------------------------------
  // Scheduling

  /**
   * One attempt for one pod, from the caches: filter every node, pick one, assume the pod there and bind.
   * Level-based: whatever woke the key, the pod is read afresh and skipped if it no longer waits.
   */
  async scheduleOne(key: string): Promise<void | SyncResult> {
    const { namespace, name } = splitObjectKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || !needsScheduling(pod) || this.assumed.has(key)) {
      this.unschedulable.delete(key);
      return;
    }
    const cycle = this.moveRequestCycle;
    const nodeNames = this.nodeNames();
    const nodeInfos = this.snapshot(pod, nodeNames);
    const { feasible, diagnosis } = runFilters(pod, nodeInfos, this.plugins);
    const host = selectHost(pod, feasible);

    if (!host) {
      const preemption = nodeNames.length === 0 ? {} : await this.postFilter(pod, nodeNames.length, diagnosis, nodeInfos);
      const message =
        nodeNames.length === 0 ? failedSchedulingMessage(pod, 0, diagnosis) : fitErrorMessage(nodeNames.length, { ...diagnosis, postFilterMsg: preemption.message });
      this.log('pod is unschedulable', { pod: key, message });
      this.recorder.record(pod, { type: 'Warning', reason: failedSchedulingReason, message });
      await this.markUnschedulable(pod, message, preemption.nominatedNodeName);
      // A cluster change arrived during the attempt: it may be the one that lets the pod fit.
      if (this.moveRequestCycle !== cycle) return { requeue: true };
      this.unschedulable.add(key);
      return { requeueAfterMs: this.retryMs };
    }

    // Assume before binding: from now on the pod counts on the node for every later decision.
    const assumedPod: Pod = { ...pod, spec: { ...pod.spec, nodeName: host.name } };
    this.assumed.set(key, assumedPod);
    this.addToNode(host.name, key, assumedPod);
    this.unschedulable.delete(key);
    // The binding cycle runs on its own, as upstream's does: the next pod is decided while this write commits.
    const binding = this.bind(pod, host.name).finally(() => this.bindings.delete(binding));
    this.bindings.add(binding);
  }

  /** Writes the binding; on failure forgets the assumption and retries later unless the pod no longer needs it. */
  private async bind(pod: Pod, nodeName: string): Promise<void> {
    const namespace = pod.metadata.namespace;
    const name = pod.metadata.name ?? '';
    const key = objectKey(namespace, name);
    try {
      const binding: KubeObject = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
      await this.client.create(refs.pods, namespace, binding, { subresource: 'binding' });
      this.recorder.record(pod, { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${nodeName}` });
    } catch (error) {
      this.forgetAssumed(key);
      // Bound by someone else, or being deleted: nothing left for us to do; a later change re-enqueues it.
      if (isConflict(error) || isNotFound(error) || errorCode(error) === 409) {
        this.log('binding refused, forgetting pod', { pod: key, error: errorText(error) });
        return;
      }
      this.log('binding failed, retrying', { pod: key, error: errorText(error) });
      this.queue.addRateLimited(key);
    }
  }

  /**
   * DefaultPreemption after a failed attempt: when the pod may preempt, find the nodes where evicting
   * lower-priority pods lets it fit, pick one, evict the victims there and nominate it. Returns the
   * `preemption: …` sentence when preemption cannot help, and the nomination to write (`''` clears it;
   * undefined keeps the pod's current one).
   */
  private async postFilter(pod: Pod, totalNodes: number, diagnosis: Diagnosis, nodeInfos: readonly NodeInfo[]): Promise<{ message?: string; nominatedNodeName?: string }> {
    const nominatedName = pod.status?.nominatedNodeName;
    const notEligible = notEligibleToPreempt(pod, nominatedName ? this.nodeInfo(nominatedName) : undefined);
    if (notEligible) return { message: `preemption: ${notEligible}` };
    const potential = nodeInfos.filter((info) => {
      const status = diagnosis.nodeToStatus.get(info.name);
      return status !== undefined && !status.unresolvable;
    });
    const best = pickOneNodeForPreemption(findCandidates(pod, potential, this.plugins, this.disruptionBudgets()));
    if (!best) return { message: preemptionMessage(pod, totalNodes, diagnosis, { nodeInfos, plugins: this.plugins }), nominatedNodeName: nominatedName ? '' : undefined };
    await this.prepareCandidate(pod, best);
    return { nominatedNodeName: best.nodeName };
  }

  /**
   * Evicts the candidate's victims (a DisruptionTarget condition, then a graceful delete and a Preempted
   * event on each) and clears the nomination of lower-priority pods nominated to the same node.
   */
  private async prepareCandidate(pod: Pod, candidate: Candidate): Promise<void> {
    const schedulerName = pod.spec.schedulerName ?? defaultSchedulerName;
    const stamp = rfc3339Seconds(this.clock.now());
    await Promise.all(
      candidate.victims
        .filter((victim) => !victim.metadata.deletionTimestamp)
        .map(async (victim) => {
          const namespace = victim.metadata.namespace;
          const name = victim.metadata.name ?? '';
          const condition: Condition = {
            type: 'DisruptionTarget',
            status: 'True',
            reason: 'PreemptionByScheduler',
            message: `${schedulerName}: preempting to accommodate a higher priority pod`,
            lastTransitionTime: stamp,
          };
          try {
            await this.client.patch(refs.pods, namespace, name, 'strategic', { status: { conditions: [condition] } }, { subresource: 'status' });
            await this.client.delete(refs.pods, namespace, name);
            this.recorder.record(victim, { type: 'Normal', reason: 'Preempted', message: `Preempted by pod ${pod.metadata.uid ?? ''} on node ${candidate.nodeName}` });
          } catch (error) {
            if (!isNotFound(error)) this.log('preempting a pod failed', { victim: objectKey(namespace, name), error: errorText(error) });
          }
        }),
    );
    const priority = podPriority(pod);
    for (const other of this.nominated.get(candidate.nodeName)?.values() ?? []) {
      if (other.metadata.uid === pod.metadata.uid || podPriority(other) >= priority) continue;
      await this.client
        .patch(refs.pods, other.metadata.namespace, other.metadata.name ?? '', 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' })
        .catch((error: unknown) => this.log('clearing a nomination failed', { pod: podKey(other), error: errorText(error) }));
    }
  }

  private disruptionBudgets(): DisruptionBudget[] {
    return this.budgets.list().map((budget) => ({
      namespace: budget.metadata.namespace ?? '',
      selector: budget.spec?.selector,
      disruptionsAllowed: budget.status?.disruptionsAllowed ?? 0,
      disruptedPods: new Set(Object.keys(budget.status?.disruptedPods ?? {})),
    }));
  }

  /** NodeInfos for the nodes the pod could land on (all, unless a pre-filter confines it to named nodes). */
  private snapshot(pod: Pod, nodeNames: readonly string[]): NodeInfo[] {
    let allowed: Set<string> | undefined;
    for (const plugin of this.plugins) {
      const result = plugin.preFilter?.(pod);
      if (result && 'nodeNames' in result) {
        allowed = allowed ? new Set([...allowed].filter((n) => result.nodeNames.has(n))) : new Set(result.nodeNames);
      }
    }
    // Building only the named nodes keeps a pinned daemon pod's attempt cheap on a large cluster (no pass
    // over every node); the message still counts every node, since it is given the total.
    const names = allowed ? [...allowed].filter((n) => this.nodes.get(undefined, n) !== undefined).sort() : nodeNames;
    const infos: NodeInfo[] = [];
    for (const nodeName of names) {
      const info = this.nodeInfo(nodeName);
      if (info) infos.push(this.withNominatedPods(pod, info));
    }
    return infos;
  }

  private nodeInfo(nodeName: string): NodeInfo | undefined {
    const cached = this.nodeInfoCache.get(nodeName);
    if (cached) return cached;
    const node = this.nodes.get(undefined, nodeName);
    if (!node) return undefined;
    const info = newNodeInfo(node, [...(this.podsByNode.get(nodeName)?.values() ?? [])]);
    this.nodeInfoCache.set(nodeName, info);
    return info;
  }

  /**
   * The node as `pod` must see it: with the pods nominated to it that are at least as important (upstream's
   * addNominatedPods), so the room a preemption freed is not taken by a pod of lower priority.
   */
  private withNominatedPods(pod: Pod, info: NodeInfo): NodeInfo {
    const nominated = this.nominated.get(info.name);
    if (!nominated) return info;
    const priority = podPriority(pod);
    const extra = [...nominated.values()].filter((other) => other.metadata.uid !== pod.metadata.uid && podPriority(other) >= priority);
    return extra.length === 0 ? info : newNodeInfo(info.node, [...info.pods, ...extra.map((other) => ({ ...other, spec: { ...other.spec, nodeName: info.name } }))]);
  }

  private nodeNames(): string[] {
    this.sortedNodeNames ??= this.nodes
      .list()
      .map((node) => node.metadata.name ?? '')
      .sort();
    return this.sortedNodeNames;
  }

  /**
   * Sets `PodScheduled=False` with the reason and message, unless the pod already says exactly that
   * (upstream skips the write then too). The transition time is kept while the status stays False.
   */
  private async markUnschedulable(pod: Pod, message: string, nominatedNodeName?: string): Promise<void> {
    const current = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    const nominationUnchanged = nominatedNodeName === undefined || nominatedNodeName === (pod.status?.nominatedNodeName ?? '');
    if (current && current.status === 'False' && current.reason === unschedulableReason && current.message === message && nominationUnchanged) return;
    const now = rfc3339Seconds(this.clock.now());
    const condition: Condition = {
      type: 'PodScheduled',
      status: 'False',
      reason: unschedulableReason,
      message,
      lastProbeTime: null,
      lastTransitionTime: current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : now,
    };
    try {
      const status: Record<string, unknown> = { conditions: [condition] };
      if (!nominationUnchanged) status.nominatedNodeName = nominatedNodeName === '' ? null : nominatedNodeName;
      // Only onto the version this attempt judged: a pod bound meanwhile (by someone else, or a kubectl
      // user through pods/binding) must not be marked unschedulable after its binding said True.
      const patch = { metadata: { resourceVersion: pod.metadata.resourceVersion }, status };
      await this.client.patch(refs.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'strategic', patch, { subresource: 'status' });
    } catch (error) {
      // Gone or changed meanwhile: nothing to report on (a change brings the pod back if it still
      // waits). Otherwise the next attempt writes it again.
      if (!isNotFound(error) && !isConflict(error)) this.log('updating pod condition failed', { pod: objectKey(pod.metadata.namespace, pod.metadata.name ?? ''), error: errorText(error) });
    }
  }

  /**
   * Upstream's `MoveAllToActiveOrBackoffQueue`: something changed that may let unschedulable pods fit.
   * Each is queued at once (upstream would hold a pod that failed recently in its backoff queue first).
   */
  private moveAllToActiveQueue(): void {
    this.moveRequestCycle++;
    for (const key of this.unschedulable) this.queue.add(key);
    this.unschedulable.clear();
  }

  // ----------------------------------------------------------------------------------------------
  // Cache of pods per node

  private addToNode(nodeName: string, key: string, pod: Pod): void {
    let pods = this.podsByNode.get(nodeName);
    if (!pods) this.podsByNode.set(nodeName, (pods = new Map()));
    pods.set(key, pod);
    this.nodeInfoCache.delete(nodeName);
  }

  private removeFromNode(nodeName: string, key: string): void {
    const pods = this.podsByNode.get(nodeName);
    if (!pods?.delete(key)) return;
    if (pods.size === 0) this.podsByNode.delete(nodeName);
    this.nodeInfoCache.delete(nodeName);
  }

  private forgetAssumed(key: string): void {
    const assumed = this.assumed.get(key);
    if (!assumed) return;
    this.assumed.delete(key);
    // Only drop the node entry if it is still the assumed copy (not the informer's bound pod).
    const nodeName = assumed.spec.nodeName!;
    if (this.podsByNode.get(nodeName)?.get(key) === assumed) this.removeFromNode(nodeName, key);
  }

  /** Keeps the index of nominated, unbound pods in line with the pod as the informer now sees it. */
  private trackNomination(key: string, oldPod: Pod | undefined, pod: Pod | undefined): void {
    const oldNode = oldPod && !oldPod.spec?.nodeName ? oldPod.status?.nominatedNodeName : undefined;
    const newNode = pod && !pod.spec?.nodeName ? pod.status?.nominatedNodeName : undefined;
    if (oldNode && oldNode !== newNode) {
      const onNode = this.nominated.get(oldNode);
      onNode?.delete(key);
      if (onNode?.size === 0) this.nominated.delete(oldNode);
    }
    if (newNode && pod) {
      let onNode = this.nominated.get(newNode);
      if (!onNode) this.nominated.set(newNode, (onNode = new Map()));
      onNode.set(key, pod);
    }
  }

  /** Brings the per-node index in line with the pod as the informer now sees it. */
  private trackPod(key: string, oldPod: Pod | undefined, pod: Pod | undefined): void {
    this.trackNomination(key, oldPod, pod);
    const oldNode = oldPod?.spec?.nodeName;
    const newNode = pod?.spec?.nodeName;
    if (newNode) {
      // Seen bound: an assumption about it is confirmed (or, if it went elsewhere, replaced by the truth).
      const assumed = this.assumed.get(key);
      if (assumed) {
        this.assumed.delete(key);
        if (assumed.spec.nodeName !== newNode) this.removeFromNode(assumed.spec.nodeName!, key);
      }
      if (oldNode && oldNode !== newNode) this.removeFromNode(oldNode, key);
      this.addToNode(newNode, key, pod!);
    } else {
      if (oldNode) this.removeFromNode(oldNode, key);
      if (!pod) this.forgetAssumed(key);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // Event handlers: they only update the caches and queue keys; they never write.

  private onNodeAdd(_node: Node): void {
    this.sortedNodeNames = undefined;
    this.moveAllToActiveQueue();
  }

  private onNodeUpdate(oldNode: Node, newNode: Node): void {
    const nodeName = newNode.metadata.name ?? '';
    this.nodeInfoCache.delete(nodeName);
    // Heartbeats change conditions only; they must not wake every unschedulable pod.
    if (schedulingRelevantNodeFields(oldNode) !== schedulingRelevantNodeFields(newNode)) this.moveAllToActiveQueue();
  }

  private onNodeDelete(node: Node): void {
    this.sortedNodeNames = undefined;
    this.nodeInfoCache.delete(node.metadata.name ?? '');
  }

  private onPodAdd(pod: Pod): void {
    const key = podKey(pod);
    this.trackPod(key, undefined, pod);
    if (needsScheduling(pod)) this.queue.add(key);
  }

  private onPodUpdate(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    this.trackPod(key, oldPod, newPod);
    if (needsScheduling(newPod)) {
      // Our own status write must not trigger another attempt; a change to what the decision reads does.
      if (!needsScheduling(oldPod) || schedulingRelevantPodFields(oldPod) !== schedulingRelevantPodFields(newPod)) {
        this.unschedulable.delete(key);
        this.queue.add(key);
      }
      return;
    }
    this.unschedulable.delete(key);
    // A bound pod that finished frees its resources and ports.
    if (newPod.spec?.nodeName && isTerminal(newPod) && !isTerminal(oldPod)) this.moveAllToActiveQueue();
  }

  private onPodDelete(pod: Pod): void {
    const key = podKey(pod);
    this.trackPod(key, pod, undefined);
    this.unschedulable.delete(key);
    if (pod.spec?.nodeName) this.moveAllToActiveQueue();
  }
}

function podKey(pod: Pod): string {
  return objectKey(pod.metadata.namespace, pod.metadata.name ?? '');
}


function errorCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}
