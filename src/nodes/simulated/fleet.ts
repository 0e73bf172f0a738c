/**
 * The simulated fleet: a kubelet stand-in for every Node annotated `everynode.dev/simulated: "true"`.
 * One Node informer, one Pod informer and one task heap (one clock timer) serve the whole fleet;
 * each node and pod is a key in the heap that runs when its next transition is due.
 *
 * Node side (upstream: kubelet_node_status.go, nodelease): status with Ready and the pressure
 * conditions, capacity/allocatable, addresses and nodeInfo, written once and then re-posted every
 * `nodeStatusReportMs` (or at once when it would change); a Lease in kube-node-lease renewed every
 * `leaseRenewMs`. Each node's second post comes a fixed fraction of the period after its first, so a
 * fleet that starts at one instant spreads its heartbeats as kubelets started at different times do.
 * A node annotated `everynode.dev/stopped: "true"` goes silent.
 *
 * Pod side (upstream: pkg/kubelet/status, kwok's pod stages): a pod bound to a simulated node goes
 * Pending (ContainerCreating, or PodInitializing while init containers have yet to run) → Running →
 * Ready, one status patch per transition; images containing
 * `does-not-exist` fail to pull (ErrImagePull, then ImagePullBackOff), tags containing `crashloop`
 * crash-loop, and so do images matching the fleet's fault rules or the node's fault annotations; pods
 * marked for deletion are removed with grace 0 once the simulated containers have stopped. Each node's
 * timing (start, ready and stop delays, jitter) comes from its annotations or the fleet's defaults
 * (see behaviour.ts).
 */
import type { Condition, Container, ContainerStatus, Lease, Node, Pod, PodStatus } from '../../api/types.js';
import { StatusError, isNotFound } from '../../api/errors.js';
import { compareQuantity, formatQuantity, isValidQuantity, newQuantity, parseQuantity, quantityScaledValue, subtractQuantity, type Quantity } from '../../api/quantity.js';
import { rfc3339Seconds } from '../../api/time.js';
import { EventRecorder, Informer, errorText, recordNodeStatusEvent, objectKey, realClock, refs, silentLogger, type Client, type Clock, type Logger } from '../../client/index.js';
import { TaskHeap } from './task-heap.js';
import { fnv1a, hexHash } from './hash.js';
import { configMirrorAnnotation, isMirrorPod, mirrorPod, mirrorPodRepublishMs, readStaticPods, staticPodScanMs, staticPodsAnnotation, type StaticPod } from './static-pods.js';
import { crashLoopsImage, firstHeartbeatDelayMs, nodeFaults, nodeTiming, podJitter, pullFailsImage, type FaultRule, type NodeFaults, type NodeTiming } from './behaviour.js';

export { crashLoopsImage, pullFailsImage };

export const simulatedAnnotation = 'everynode.dev/simulated';
export const stoppedAnnotation = 'everynode.dev/stopped';
export const cpuAnnotation = 'everynode.dev/cpu';
export const memoryAnnotation = 'everynode.dev/memory';
export const podsAnnotation = 'everynode.dev/pods';
export const nodeLeaseNamespace = 'kube-node-lease';

export const kubeletVersion = 'v1.32.0';

export interface SimulatedFleetConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** From a pod being seen bound to its node until its containers run. @default 1000 */
  startDelayMs?: number;
  /** From running until Ready (a readinessProbe's initialDelaySeconds may make it longer). @default 1000 */
  readyDelayMs?: number;
  /** How long a simulated container takes to stop; the pod's grace period caps it. @default 0 */
  stopDelayMs?: number;
  /** Up to this much is added to each pod's start and ready delays. @default 0 */
  jitterMs?: number;
  /** Images that fail on some or all nodes, besides the built-in `does-not-exist` and `crashloop` faults. */
  faults?: readonly FaultRule[];
  /** Lease renewal period (upstream: nodeLeaseDurationSeconds 40 / 4). @default 10000 */
  leaseRenewMs?: number;
  /** Node status re-posted this often when nothing changed (upstream nodeStatusReportFrequency). @default 300000 */
  nodeStatusReportMs?: number;
  /** From ErrImagePull to ImagePullBackOff (upstream: the first image pull backoff). @default 10000 */
  imagePullBackOffMs?: number;
  /** Delay before retrying a failed write. @default 1000 */
  retryMs?: number;
}

/** A pod's simulated lifecycle, in order; a transition only ever moves forward. */
const stages = ['none', 'creating', 'running', 'ready'] as const;
type Stage = (typeof stages)[number] | 'pullError' | 'pullBackOff' | 'crashLoop';

interface NodeState {
  ip: string;
  ordinal: number;
  nextPodIP: number;
  leaseExists: boolean;
  /** When the status is posted again if nothing changes; 0: never posted. */
  statusDueAt: number;
  /** A digest of the status (without conditions) last posted: compared with our own output, so a server
   * that canonicalises quantities can never make us post in a loop. */
  postedStatus: string;
  /** When the lease is renewed next; 0: at once. */
  leaseDueAt: number;
  /** Annotated stopped when last seen: its kubelet posts nothing and runs no pods. */
  stopped: boolean;
  /** Static pods read from the node's manifest directory, by mirror pod key; when it was last read. */
  staticPods: Map<string, StaticPod>;
  staticDir?: string;
  staticScannedAt: number;
  staticErrors: string;
}

interface PodState {
  uid: string;
  nodeName: string;
  boundAt: number;
  /** When the containers (first) started or will start: bound + the node's start delay + jitter. */
  startAt?: number;
  stage: Stage;
  podIP?: string;
  deletionSeenAt?: number;
  /** Simulated crashes written so far (the crash-looping containers' restartCount). */
  crashes: number;
  containerIDs: Map<string, string>;
}

const nodeKeyPrefix = 'node/';
const podKeyPrefix = 'pod/';

export class SimulatedFleet {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly defaultTiming: NodeTiming;
  private readonly faultRules: readonly FaultRule[];
  /** Per node object (replaced, never mutated, on change): its timing and faults. */
  private readonly behaviours = new WeakMap<Node, { timing: NodeTiming; faults: NodeFaults }>();
  private readonly leaseRenewMs: number;
  private readonly nodeStatusReportMs: number;
  private readonly imagePullBackOffMs: number;
  private readonly retryMs: number;
  private readonly nodeInformer: Informer<Node>;
  private readonly podInformer: Informer<Pod>;
  private readonly heap: TaskHeap;
  private readonly nodes = new Map<string, NodeState>();
  private readonly pods = new Map<string, PodState>();
  /** nodeName → keys of the pods bound to it. */
  private readonly podsByNode = new Map<string, Set<string>>();
  private readonly usedNodeIPs = new Set<string>();
  /** Static pod hash → when its containers started: a mirror pod published again shows the same run. */
  private readonly staticStarted = new Map<string, number>();
  /** Each node's kubelet event recorder (source host: the node), made when a node first needs one. */
  private readonly recorders = new Map<string, EventRecorder>();
  /** Mirror pod key → when it may be published again, after a deletion (see mirrorPodRepublishMs). */
  private readonly mirrorRepublishAt = new Map<string, number>();
  private nodeOrdinal = 0;
  /** Keys whose run is in flight, and keys asked to run again when it ends. */
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private stopped = false;

  constructor(config: SimulatedFleetConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.defaultTiming = {
      startDelayMs: config.startDelayMs ?? 1000,
      readyDelayMs: config.readyDelayMs ?? 1000,
      stopDelayMs: config.stopDelayMs ?? 0,
      jitterMs: config.jitterMs ?? 0,
    };
    this.faultRules = config.faults ?? [];
    this.leaseRenewMs = config.leaseRenewMs ?? 10_000;
    this.nodeStatusReportMs = config.nodeStatusReportMs ?? 300_000;
    this.imagePullBackOffMs = config.imagePullBackOffMs ?? 10_000;
    this.retryMs = config.retryMs ?? 1000;
    this.heap = new TaskHeap(this.clock, (keys) => this.runDue(keys));
    this.nodeInformer = new Informer<Node>({ client: this.client, resource: refs.nodes, clock: this.clock, log: this.log });
    this.podInformer = new Informer<Pod>({ client: this.client, resource: refs.pods, clock: this.clock, log: this.log });
    this.nodeInformer.addHandlers({
      onAdd: (n) => this.nodeChanged(n),
      onUpdate: (o, n) => {
        this.recordSchedulableChange(o, n);
        this.nodeChanged(n);
      },
      onDelete: (n) => this.nodeGone(n.metadata.name ?? ''),
    });
    this.podInformer.addHandlers({
      onAdd: (p) => this.podChanged(p),
      onUpdate: (_o, p) => this.podChanged(p),
      onDelete: (p) => this.podGone(p),
    });
  }

  async start(): Promise<void> {
    await this.nodeInformer.start();
    await this.podInformer.start();
  }

  stop(): void {
    this.stopped = true;
    this.nodeInformer.stop();
    this.podInformer.stop();
    this.heap.stop();
  }

  /** The simulated IP of a node, once it has been brought to life. */
  nodeIP(name: string): string | undefined {
    return this.nodes.get(name)?.ip;
  }

  /** When the pod's next simulated transition (or its removal) is due, in clock time; for tests and debugging. */
  podDueAt(namespace: string, name: string): number | undefined {
    return this.heap.dueAt(podKeyPrefix + objectKey(namespace, name));
  }

  /** How many keys (nodes and pods) wait in the shared heap. */
  get scheduledTasks(): number {
    return this.heap.size;
  }

  // --- informer handlers: record and schedule only -----------------------------------------------

  /**
   * The kubelet's NodeSchedulable / NodeNotSchedulable event when the node is cordoned or uncordoned
   * (upstream: recordNodeSchedulableEvent, on its next status sync; here at once).
   */
  private recordSchedulableChange(old: Node, node: Node): void {
    if (!isSimulated(node) || isStopped(node) || Boolean(old.spec?.unschedulable) === Boolean(node.spec?.unschedulable)) return;
    const name = node.metadata.name ?? '';
    let recorder = this.recorders.get(name);
    if (!recorder) {
      recorder = new EventRecorder(this.client, { component: 'kubelet', host: name }, () => this.clock.now(), (error) => this.log('event write failed', { node: name, error: errorText(error) }));
      this.recorders.set(name, recorder);
    }
    recordNodeStatusEvent(recorder, name, node.spec?.unschedulable ? 'NodeNotSchedulable' : 'NodeSchedulable');
  }

  private nodeChanged(node: Node): void {
    const name = (node.metadata.name ?? '');
    if (!isSimulated(node)) {
      if (this.nodes.has(name)) this.nodeGone(name);
      return;
    }
    const known = this.nodes.get(name);
    const wasSilent = !known || known.stopped;
    if (known) known.stopped = isStopped(node);
    if (!known) {
      const ordinal = this.nodeOrdinal++;
      const ip = this.allocateNodeIP(name);
      this.nodes.set(name, {
        ip,
        ordinal,
        nextPodIP: 2,
        leaseExists: false,
        statusDueAt: 0,
        leaseDueAt: 0,
        postedStatus: '',
        stopped: isStopped(node),
        staticPods: new Map(),
        staticScannedAt: 0,
        staticErrors: '',
      });
    }
    this.heap.schedule(nodeKeyPrefix + name, this.clock.now());
    // Pods that waited for this node (it became simulated, or started again).
    if (!wasSilent || isStopped(node)) return;
    for (const key of this.podsByNode.get(name) ?? []) this.heap.schedule(podKeyPrefix + key, this.clock.now());
  }

  private nodeGone(name: string): void {
    const state = this.nodes.get(name);
    if (state) this.usedNodeIPs.delete(state.ip);
    this.nodes.delete(name);
    this.recorders.delete(name);
    this.heap.cancel(nodeKeyPrefix + name);
  }

  private podChanged(pod: Pod): void {
    const nodeName = pod.spec.nodeName;
    if (!nodeName) return;
    const key = objectKey(pod.metadata.namespace, (pod.metadata.name ?? ''));
    let keys = this.podsByNode.get(nodeName);
    if (!keys) this.podsByNode.set(nodeName, (keys = new Set()));
    keys.add(key);
    if (!this.nodes.has(nodeName)) return;
    this.heap.schedule(podKeyPrefix + key, this.clock.now());
  }

  private podGone(pod: Pod): void {
    const key = objectKey(pod.metadata.namespace, (pod.metadata.name ?? ''));
    if (isMirrorPod(pod) && pod.spec.nodeName && this.nodes.has(pod.spec.nodeName)) this.heap.schedule(nodeKeyPrefix + pod.spec.nodeName, this.clock.now());
    const state = this.pods.get(key);
    if (state && state.uid === pod.metadata.uid) this.pods.delete(key);
    const nodeName = pod.spec.nodeName;
    if (nodeName) {
      const keys = this.podsByNode.get(nodeName);
      keys?.delete(key);
      if (keys && keys.size === 0) this.podsByNode.delete(nodeName);
    }
    this.heap.cancel(podKeyPrefix + key);
  }

  // --- the tick ----------------------------------------------------------------------------------

  private runDue(keys: string[]): void {
    for (const key of keys) this.runKey(key);
  }

  private runKey(key: string): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.rerun.add(key);
      return;
    }
    this.running.add(key);
    const work = key.startsWith(nodeKeyPrefix) ? this.syncNode(key.slice(nodeKeyPrefix.length)) : this.syncPod(key.slice(podKeyPrefix.length));
    work
      .catch((error: unknown) => {
        if (this.stopped) return;
        this.log('simulated kubelet write failed, retrying', { key, error: errorText(error) });
        this.heap.schedule(key, this.clock.now() + this.retryMs);
      })
      .finally(() => {
        this.running.delete(key);
        if (this.rerun.delete(key)) this.heap.schedule(key, this.clock.now());
      });
  }

  // --- nodes -------------------------------------------------------------------------------------

  private async syncNode(name: string): Promise<void> {
    const node = this.nodeInformer.get(undefined, name);
    const state = this.nodes.get(name);
    if (!node || !state || !isSimulated(node)) return;
    if (isStopped(node)) return; // a dead kubelet posts nothing; starting it again re-enqueues
    const now = this.clock.now();

    const desired = this.desiredNodeStatus(node, state);
    const desiredDigest = hexHash(JSON.stringify(desired), 16);
    const changed = desiredDigest !== state.postedStatus || !isReadyByUs(node);
    if (changed || now >= state.statusDueAt) {
      const status = { ...desired, conditions: this.nodeConditions(node, now) };
      await this.client.patch(refs.nodes, undefined, name, 'strategic', { status }, { subresource: 'status' });
      const first = state.statusDueAt === 0;
      state.statusDueAt = now + (first ? firstHeartbeatDelayMs(name, this.nodeStatusReportMs, 'status') : this.nodeStatusReportMs);
      state.postedStatus = desiredDigest;
    }

    if (now >= state.leaseDueAt) {
      const first = state.leaseDueAt === 0;
      await this.renewLease(node, state, now);
      state.leaseDueAt = now + (first ? firstHeartbeatDelayMs(name, this.leaseRenewMs, 'lease') : this.leaseRenewMs);
    }

    await this.syncStaticPods(node, state, now);

    if (this.stopped || !this.nodes.has(name)) return;
    const nextScan = state.staticDir ? state.staticScannedAt + staticPodScanMs : Infinity;
    this.heap.schedule(nodeKeyPrefix + name, Math.min(state.leaseDueAt, state.statusDueAt, nextScan));
  }

  /**
   * Runs the node's static pods: reads its manifest directory when due (or when the annotation changed),
   * and makes the mirror pods match — each static pod published once, outdated or unknown mirror pods of
   * this node deleted, a deleted mirror pod published again.
   */
  private async syncStaticPods(node: Node, state: NodeState, now: number): Promise<void> {
    const name = node.metadata.name ?? '';
    const dir = node.metadata.annotations?.[staticPodsAnnotation];
    // Most nodes never have static pods: their heartbeat passes need not look at their pods.
    if (!dir && !state.staticDir && state.staticPods.size === 0) return;
    if (dir !== state.staticDir || (dir && now - state.staticScannedAt >= staticPodScanMs)) {
      state.staticDir = dir;
      state.staticScannedAt = now;
      const scan = dir ? readStaticPods(dir, node) : { pods: [], errors: [] };
      const errors = scan.errors.join('; ');
      if (errors && errors !== state.staticErrors) this.log('skipping static pod manifests that cannot be read', { node: name, errors });
      state.staticErrors = errors;
      state.staticPods = new Map(scan.pods.map((staticPod) => [objectKey(staticPod.pod.metadata.namespace, staticPod.pod.metadata.name ?? ''), staticPod]));
    }
    for (const key of this.podsByNode.get(name) ?? []) {
      const [namespace, podName] = splitKey(key);
      const pod = this.podInformer.get(namespace, podName);
      if (!pod || !isMirrorPod(pod) || pod.metadata.ownerReferences?.[0]?.uid !== node.metadata.uid) continue;
      if (state.staticPods.get(key)?.hash === pod.metadata.annotations?.[configMirrorAnnotation]) continue;
      await this.deleteMirrorPod(pod, name, now);
    }
    for (const [key, staticPod] of state.staticPods) {
      const [namespace, podName] = splitKey(key);
      const existing = this.podInformer.get(namespace, podName);
      if (existing && existing.metadata.annotations?.[configMirrorAnnotation] === staticPod.hash && !existing.metadata.deletionTimestamp) continue;
      if (existing) {
        await this.deleteMirrorPod(existing, name, now);
        continue;
      }
      const republishAt = this.mirrorRepublishAt.get(key) ?? 0;
      if (now < republishAt) {
        this.heap.schedule(nodeKeyPrefix + name, republishAt);
        continue;
      }
      this.mirrorRepublishAt.delete(key);
      if (!this.staticStarted.has(staticPod.hash)) this.staticStarted.set(staticPod.hash, now);
      try {
        await this.client.create(refs.pods, namespace, mirrorPod(staticPod, node, microTime(now)));
      } catch (error) {
        // Published meanwhile (our own watch has not caught up): the next pass looks again.
        if (!(error instanceof StatusError && error.code === 409)) throw error;
      }
    }
  }

  /** Removes a mirror pod (deleted by someone, or outdated); the node's pass publishes it again later. */
  private async deleteMirrorPod(pod: Pod, nodeName: string, now: number): Promise<void> {
    // Noted before the delete: a node pass running meanwhile may see the pod gone before it returns.
    this.mirrorRepublishAt.set(objectKey(pod.metadata.namespace, pod.metadata.name ?? ''), now + mirrorPodRepublishMs);
    this.heap.schedule(nodeKeyPrefix + nodeName, now + mirrorPodRepublishMs);
    await this.deleteNow(pod);
  }

  /** Deletes a pod at once (grace 0), guarded by its UID; already gone is fine. */
  private async deleteNow(pod: Pod): Promise<void> {
    try {
      await this.client.delete(refs.pods, pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (error) {
      if (!isNotFound(error) && !(error instanceof StatusError && error.code === 409)) throw error;
    }
  }

  private async renewLease(node: Node, state: NodeState, now: number): Promise<void> {
    const name = (node.metadata.name ?? '');
    const renewTime = microTime(now);
    if (state.leaseExists) {
      try {
        await this.client.patch(refs.leases, nodeLeaseNamespace, name, 'merge', { spec: { renewTime, holderIdentity: name } });
        return;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        state.leaseExists = false;
      }
    }
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: nodeLeaseNamespace,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
    };
    try {
      await this.client.create(refs.leases, nodeLeaseNamespace, lease);
    } catch (error) {
      if (!(error instanceof StatusError && error.code === 409)) throw error;
      await this.client.patch(refs.leases, nodeLeaseNamespace, name, 'merge', { spec: { renewTime, holderIdentity: name } });
    }
    state.leaseExists = true;
  }

  private desiredNodeStatus(node: Node, state: NodeState): Required<Pick<NonNullable<Node['status']>, 'capacity' | 'allocatable' | 'addresses' | 'nodeInfo'>> & { daemonEndpoints: unknown } {
    const annotations = node.metadata.annotations ?? {};
    const capacity = {
      cpu: annotations[cpuAnnotation] ?? '4',
      'ephemeral-storage': '100Gi',
      'hugepages-1Gi': '0',
      'hugepages-2Mi': '0',
      memory: annotations[memoryAnnotation] ?? '16Gi',
      pods: annotations[podsAnnotation] ?? '110',
    };
    const id = hexHash((node.metadata.name ?? ''), 32);
    return {
      capacity,
      allocatable: allocatableOf(capacity),
      addresses: [
        { type: 'InternalIP', address: state.ip },
        { type: 'Hostname', address: (node.metadata.name ?? '') },
      ],
      nodeInfo: {
        machineID: id,
        systemUUID: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`,
        bootID: hexHash(`${node.metadata.uid ?? ''}/boot`, 32),
        kernelVersion: '6.8.0-everynode',
        osImage: 'everynode simulated node',
        containerRuntimeVersion: 'containerd://1.7.22',
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    };
  }

  private nodeConditions(node: Node, now: number): Condition[] {
    const heartbeat = time(now);
    const existing = node.status?.conditions ?? [];
    const condition = (type: string, status: 'True' | 'False', reason: string, message: string): Condition => {
      const old = existing.find((c) => c.type === type);
      const transition = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : heartbeat;
      return { type, status, reason, message, lastHeartbeatTime: heartbeat, lastTransitionTime: transition };
    };
    return [
      condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ];
  }

  /**
   * A deterministic address in 172.16.0.0/12 from the node's name, probing on past collisions: a host
   * network of its own, clear of the pod range (10.244.0.0/14) and kubeadm's service range (10.96.0.0/12).
   */
  private allocateNodeIP(name: string): string {
    let h = fnv1a(name);
    for (;;) {
      const ip = `172.${16 + ((h >>> 16) & 15)}.${(h >>> 8) & 255}.${(h % 254) + 1}`;
      if (!this.usedNodeIPs.has(ip)) {
        this.usedNodeIPs.add(ip);
        return ip;
      }
      h = (h + 1) >>> 0;
    }
  }

  private allocatePodIP(state: NodeState): string {
    // One /24 per node in 10.244.0.0/14 (1,024 nodes before reuse), addresses .2–.254 cycling.
    const block = state.ordinal % 1024;
    const host = state.nextPodIP;
    state.nextPodIP = host >= 254 ? 2 : host + 1;
    return `10.${244 + (block >> 8)}.${block & 255}.${host}`;
  }

  private behaviourOf(node: Node): { timing: NodeTiming; faults: NodeFaults } {
    let behaviour = this.behaviours.get(node);
    if (!behaviour) {
      const timing = nodeTiming(node, this.defaultTiming, (annotation, value) =>
        this.log('ignoring a node annotation that is not a duration (write e.g. 500ms, 2s, 1m30s)', { node: node.metadata.name, annotation, value }),
      );
      this.behaviours.set(node, (behaviour = { timing, faults: nodeFaults(node, this.faultRules) }));
    }
    return behaviour;
  }

  // --- pods --------------------------------------------------------------------------------------

  private async syncPod(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const pod = this.podInformer.get(namespace, name);
    if (!pod || !pod.spec.nodeName) return;
    const nodeName = pod.spec.nodeName;
    const node = this.nodeInformer.get(undefined, nodeName);
    const nodeState = this.nodes.get(nodeName);
    if (!node || !nodeState || !isSimulated(node) || isStopped(node)) return;
    const now = this.clock.now();
    const { timing, faults } = this.behaviourOf(node);

    let state = this.pods.get(key);
    if (!state || state.uid !== pod.metadata.uid) {
      // A mirror pod stands for a static pod that may have been running for a while already.
      const staticStart = isMirrorPod(pod) ? this.staticStarted.get(pod.metadata.annotations?.[configMirrorAnnotation] ?? '') : undefined;
      state = { uid: pod.metadata.uid ?? '', nodeName, boundAt: staticStart ?? now, stage: stageFromStatus(pod.status), podIP: pod.status?.podIP, containerIDs: new Map(), crashes: Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0)) };
      this.pods.set(key, state);
    }

    if (pod.metadata.deletionTimestamp && isMirrorPod(pod)) {
      // Deleting a mirror pod does not stop its static pod: the kubelet removes it and publishes it again.
      await this.deleteMirrorPod(pod, nodeName, now);
      return;
    }
    if (pod.metadata.deletionTimestamp) {
      state.deletionSeenAt ??= now;
      const graceMs = (pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
      const deleteAt = state.deletionSeenAt + Math.min(graceMs, timing.stopDelayMs);
      if (now < deleteAt) {
        this.heap.schedule(podKeyPrefix + key, deleteAt);
        return;
      }
      try {
        await this.client.delete(refs.pods, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: state.uid } });
      } catch (error) {
        if (!isNotFound(error) && !(error instanceof StatusError && error.code === 409)) throw error;
      }
      return;
    }
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return;

    const jitter = podJitter(state.uid, timing.jitterMs);
    const startAt = (state.startAt ??= state.boundAt + timing.startDelayMs + jitter.startMs);
    if (crashLoops(pod, faults)) {
      if (now < startAt) {
        if (state.stage === 'none') await this.writePodStatus(pod, state, nodeState, faults, 'creating', now);
        this.heap.schedule(podKeyPrefix + key, startAt);
        return;
      }
      // Crash k (k = 1, 2, …) happens at startAt + the back-offs before it: 10 s doubling, capped.
      let crashes = 1;
      let nextCrashAt = startAt + crashLoopBackOffMs(1);
      while (nextCrashAt <= now) nextCrashAt += crashLoopBackOffMs(++crashes);
      if (crashes > state.crashes || state.stage !== 'crashLoop') {
        state.crashes = Math.max(crashes, state.crashes);
        await this.writePodStatus(pod, state, nodeState, faults, 'crashLoop', now);
      }
      this.heap.schedule(podKeyPrefix + key, nextCrashAt);
      return;
    }
    if (pullFails(pod, faults)) {
      const backOffAt = startAt + this.imagePullBackOffMs;
      let target: Stage = now < startAt ? 'creating' : now < backOffAt ? 'pullError' : 'pullBackOff';
      if (target === 'creating' && state.stage !== 'none') target = state.stage;
      if (target !== state.stage && !(target === 'pullError' && state.stage === 'pullBackOff')) {
        await this.writePodStatus(pod, state, nodeState, faults, target, now);
      }
      if (state.stage !== 'pullBackOff') this.heap.schedule(podKeyPrefix + key, now < startAt ? startAt : backOffAt);
      return;
    }

    const readyAt = startAt + Math.max(timing.readyDelayMs + jitter.readyMs, probeDelayMs(pod));
    const target: Stage = now < startAt ? 'creating' : now < readyAt ? 'running' : 'ready';
    if (rank(target) > rank(state.stage)) await this.writePodStatus(pod, state, nodeState, faults, target, now);
    // Someone else marked a running pod not ready (the node lifecycle controller, while this node was
    // silent): a live kubelet reports the truth again, as its status manager does.
    else if (state.stage === 'ready' && pod.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') {
      await this.writePodStatus(pod, state, nodeState, faults, 'ready', now);
    }
    if (rank(state.stage) < rank('ready')) this.heap.schedule(podKeyPrefix + key, now < startAt ? startAt : readyAt);
  }

  private async writePodStatus(pod: Pod, state: PodState, nodeState: NodeState, faults: NodeFaults, stage: Stage, now: number): Promise<void> {
    const stamp = time(now);
    const started = stage === 'running' || stage === 'ready' || stage === 'crashLoop';
    const ready = stage === 'ready';
    const hostNetwork = pod.spec.hostNetwork === true;
    // A host-network pod has the node's IP from the start. Any other pod gets one with its sandbox,
    // once the node got past creating it: also while an image cannot be pulled or a container crashes.
    if (hostNetwork) state.podIP = nodeState.ip;
    else if (stage !== 'creating' && !state.podIP) state.podIP = this.allocatePodIP(nodeState);
    // Init containers run in order once the sandbox exists; one whose image cannot be pulled stops the
    // line, and the app containers wait (PodInitializing) until every init container has completed.
    const initContainers = pod.spec.initContainers ?? [];
    const pulling = stage === 'pullError' || stage === 'pullBackOff';
    const blockedInit = pulling ? initContainers.findIndex((c) => faults.pullFails(c.image ?? '')) : -1;
    const initDone = (i: number) => stage !== 'creating' && (blockedInit < 0 || i < blockedInit);
    const initialized = initContainers.every((_, i) => initDone(i));
    const incompleteInit = initContainers.filter((_, i) => !initDone(i)).map((c) => c.name);
    const old = pod.status?.conditions ?? [];
    const condition = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
      const status = ok ? 'True' : 'False';
      const prev = old.find((c) => c.type === type);
      const c: Condition = { type, status, lastTransitionTime: prev && prev.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : stamp };
      // The status goes as a strategic merge patch, which keeps what it does not mention: a reason the
      // condition no longer has is cleared with null, as in the patch the kubelet computes.
      if (!ok && reason) c.reason = reason;
      else if (prev?.reason !== undefined) c.reason = null;
      if (!ok && message) c.message = message;
      else if (prev?.message !== undefined) c.message = null;
      return c;
    };
    const notReady = pod.spec.containers.filter(() => !ready).map((c) => c.name);
    const notReadyMessage = `containers with unready status: [${notReady.join(' ')}]`;
    const startTime = pod.status?.startTime ?? time(state.boundAt);
    const containerStatuses: ContainerStatus[] = pod.spec.containers.map((c) => {
      const image = c.image ?? '';
      const base: ContainerStatus = { name: c.name, image, imageID: '', ready, restartCount: 0, started, ...volumeMountStatuses(c) };
      if (!initialized) {
        base.state = { waiting: { reason: 'PodInitializing' } };
      } else if (stage === 'crashLoop' && faults.crashLoops(image)) {
        const backOffSeconds = crashLoopBackOffMs(state.crashes) / 1000;
        base.image = fullImageName(image);
        base.imageID = imageID(image);
        base.containerID = this.containerID(state, `${c.name}/${state.crashes}`);
        base.restartCount = state.crashes;
        base.started = false;
        base.state = {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off ${formatSeconds(backOffSeconds)} restarting failed container=${c.name} pod=${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${state.uid})`,
          },
        };
        // The dead container's ID, in both places, as the kubelet reports a container waiting to restart.
        base.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: stamp, finishedAt: stamp, containerID: base.containerID } };
      } else if (started) {
        base.image = fullImageName(image);
        base.imageID = imageID(image);
        base.containerID = this.containerID(state, c.name);
        base.state = { running: { startedAt: time(state.startAt ?? now) } };
      } else if (pulling && faults.pullFails(image)) {
        base.state = { waiting: pullFailure(stage, image) };
      } else {
        base.state = { waiting: { reason: initContainers.length ? 'PodInitializing' : 'ContainerCreating' } };
      }
      return base;
    });
    const status: PodStatus = {
      phase: started ? 'Running' : 'Pending',
      hostIP: nodeState.ip,
      hostIPs: [{ ip: nodeState.ip }],
      startTime,
      conditions: [
        condition('PodReadyToStartContainers', started || stage === 'pullError' || stage === 'pullBackOff'),
        condition('Initialized', initialized, 'ContainersNotInitialized', `containers with incomplete status: [${incompleteInit.join(' ')}]`),
        condition('Ready', ready, 'ContainersNotReady', notReadyMessage),
        condition('ContainersReady', ready, 'ContainersNotReady', notReadyMessage),
        condition('PodScheduled', true),
      ],
      containerStatuses,
    };
    if (state.podIP) {
      status.podIP = state.podIP;
      status.podIPs = [{ ip: state.podIP }];
    }
    if (initContainers.length) {
      const ranAt = time(state.startAt ?? now);
      status.initContainerStatuses = initContainers.map((c, i): ContainerStatus => {
        const image = c.image ?? '';
        if (!initDone(i)) {
          const waiting = i === blockedInit ? pullFailure(stage, image) : { reason: 'PodInitializing' };
          return { name: c.name, image, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting }, ...volumeMountStatuses(c) };
        }
        return {
          name: c.name,
          image: fullImageName(image),
          imageID: imageID(image),
          containerID: this.containerID(state, `init/${c.name}`),
          ready: true,
          restartCount: 0,
          started: false,
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: ranAt, finishedAt: ranAt, containerID: this.containerID(state, `init/${c.name}`) } },
          ...volumeMountStatuses(c),
        };
      });
    }
    await this.client.patch(refs.pods, pod.metadata.namespace, (pod.metadata.name ?? ''), 'strategic', { status }, { subresource: 'status' });
    state.stage = stage;
  }

  private containerID(state: PodState, name: string): string {
    let id = state.containerIDs.get(name);
    if (!id) state.containerIDs.set(name, (id = `containerd://${hexHash(`${state.uid}/${name}`, 64)}`));
    return id;
  }
}

// --- pure helpers --------------------------------------------------------------------------------

export function isSimulated(node: Node): boolean {
  return node.metadata.annotations?.[simulatedAnnotation] === 'true';
}

export function isStopped(node: Node): boolean {
  return node.metadata.annotations?.[stoppedAnnotation] === 'true';
}

function crashLoops(pod: Pod, faults: NodeFaults): boolean {
  return pod.spec.containers.some((c) => faults.crashLoops(c.image ?? ''));
}

/**
 * What the kubelet offers pods out of its capacity by default: all of it but its hard eviction
 * thresholds, memory.available<100Mi and nodefs.available<10%.
 */
export function allocatableOf(capacity: Record<string, string>): Record<string, string> {
  const allocatable = { ...capacity };
  const less = (name: string, reserve: (value: Quantity) => Quantity) => {
    const text = capacity[name];
    // Not a quantity (a mistyped annotation): posted as it is, for the API server to refuse.
    if (text === undefined || !isValidQuantity(text)) return;
    const value = parseQuantity(text);
    const left = subtractQuantity(value, reserve(value));
    allocatable[name] = formatQuantity(compareQuantity(left, newQuantity(0)) < 0 ? newQuantity(0) : left);
  };
  less('memory', () => parseQuantity('100Mi'));
  less('ephemeral-storage', (value) => newQuantity(quantityScaledValue(value, 0) / 10n));
  return allocatable;
}

/**
 * The mounts a container status lists (since 1.31, RecursiveReadOnlyMounts): each of the container's
 * volume mounts, and for a read-only one whether it is recursively read-only. containerd 1.7 cannot
 * make mounts recursively read-only, so only an explicit `Enabled` says so.
 */
function volumeMountStatuses(container: Container): { volumeMounts?: Record<string, unknown>[] } {
  const mounts = container.volumeMounts ?? [];
  if (mounts.length === 0) return {};
  return {
    volumeMounts: mounts.map((m) => ({
      name: m.name,
      mountPath: m.mountPath,
      ...(m.readOnly ? { readOnly: true, recursiveReadOnly: m.recursiveReadOnly === 'Enabled' ? 'Enabled' : 'Disabled' } : {}),
    })),
  };
}

/**
 * How a container waits for an image that cannot be pulled: the runtime's error at first, then the
 * back-off, which since 1.32 repeats that error.
 */
function pullFailure(stage: Stage, image: string): { reason: string; message: string } {
  const ref = fullImageName(image);
  const error = `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
  if (stage !== 'pullBackOff') return { reason: 'ErrImagePull', message: error };
  return { reason: 'ImagePullBackOff', message: `Back-off pulling image "${withDefaultTag(image)}": ErrImagePull: ${error}` };
}

/** The image as the kubelet names it in messages: as written, with `:latest` when it has no tag or digest. */
function withDefaultTag(image: string): string {
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  return lastPart.includes(':') || lastPart.includes('@') ? image : `${image}:latest`;
}

/** The back-off after crash `n` (1-based): 10 s, doubling, capped at 5 min (upstream's container restart back-off). */
export function crashLoopBackOffMs(n: number): number {
  return Math.min(10_000 * 2 ** Math.max(0, n - 1), 300_000);
}

/** Go's Duration.String for whole seconds: 10s, 1m20s, 5m0s. */
function formatSeconds(total: number): string {
  return total < 60 ? `${total}s` : `${Math.floor(total / 60)}m${total % 60}s`;
}

function pullFails(pod: Pod, faults: NodeFaults): boolean {
  return [...(pod.spec.initContainers ?? []), ...pod.spec.containers].some((c) => faults.pullFails(c.image ?? ''));
}

/**
 * How long after start the slowest container's readinessProbe first passes, in ms: the first probe
 * runs after initialDelaySeconds and, with successThreshold n, n - 1 more follow periodSeconds apart.
 */
export function probeDelayMs(pod: Pod): number {
  return Math.max(
    0,
    ...pod.spec.containers.map((c) => {
      const probe = c.readinessProbe;
      if (!probe) return 0;
      const successes = Math.max(1, probe.successThreshold ?? 1);
      return ((probe.initialDelaySeconds ?? 0) + (successes - 1) * (probe.periodSeconds ?? 10)) * 1000;
    }),
  );
}

function rank(stage: Stage): number {
  const i = (stages as readonly string[]).indexOf(stage);
  return i < 0 ? 1 : i; // pull failures count as "creating"
}

/** Picks up where an earlier run (or another simulator) left a pod. */
function stageFromStatus(status: PodStatus | undefined): Stage {
  if (!status || status.phase !== 'Running') return 'none';
  return status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'ready' : 'running';
}

/** Whether the node shows the Ready condition this simulator posts. */
function isReadyByUs(node: Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready?.status === 'True' && ready.reason === 'KubeletReady';
}

function splitKey(key: string): [string | undefined, string] {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
}

/** RFC 3339 seconds, as metav1.Time serialises. */
export const time = rfc3339Seconds;

/** RFC 3339 with exactly six fractional digits, as metav1.MicroTime serialises. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}



/**
 * The image as containerd names it once it has pulled it: with its registry and, on Docker Hub, the
 * `library/` namespace, and with the `latest` tag when the reference has neither tag nor digest.
 */
export function fullImageName(image: string): string {
  const slash = image.indexOf('/');
  const first = slash < 0 ? '' : image.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  return withDefaultTag(hasRegistry ? image : slash < 0 ? `docker.io/library/${image}` : `docker.io/${image}`);
}

/** The pulled image's ID: its repository and a digest derived from the reference. */
function imageID(image: string): string {
  const full = fullImageName(image);
  const at = full.indexOf('@');
  const named = at < 0 ? full : full.slice(0, at);
  const tag = named.lastIndexOf(':');
  const repo = tag > named.lastIndexOf('/') ? named.slice(0, tag) : named;
  return `${repo}${at < 0 ? `@sha256:${hexHash(image, 64)}` : full.slice(at)}`;
}
