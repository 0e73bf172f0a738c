/**
 * The NoExecute taint manager: evicts pods bound to nodes with NoExecute taints they do not tolerate,
 * at once, or after the smallest `tolerationSeconds` when every taint is tolerated for a limited time.
 * Tolerations without seconds keep a pod forever.
 * Upstream: pkg/controller/tainteviction/taint_eviction.go (processPodOnNode, getMinTolerationTime).
 */
import type { Node, Pod, Taint, Toleration } from '../../api/types.js';
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
  type Timer,
  type Workers,
} from '../../client/index.js';
import { tolerationToleratesTaint } from '../daemonset/placement.js';

export interface TaintEvictionControllerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
}

export const taintEvictionControllerComponent = 'taint-eviction-controller';

/** The NoExecute taints of a node. */
export function getNoExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((taint) => taint.effect === 'NoExecute');
}

/**
 * For each taint, the first toleration that tolerates it; `undefined` when some taint is not tolerated
 * (upstream: GetMatchingTolerations).
 */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const match = (tolerations ?? []).find((toleration) => tolerationToleratesTaint(toleration, taint));
    if (!match) return undefined;
    used.push(match);
  }
  return used;
}

/**
 * The smallest `tolerationSeconds` among `tolerations`, in ms (negative seconds count as 0), or -1 when
 * none has seconds: tolerated forever (upstream: getMinTolerationTime).
 */
export function getMinTolerationTimeMs(tolerations: readonly Toleration[]): number {
  let min = -1;
  for (const toleration of tolerations) {
    if (toleration.tolerationSeconds === undefined || toleration.tolerationSeconds === null) continue;
    const ms = Math.max(0, toleration.tolerationSeconds) * 1000;
    if (min < 0 || ms < min) min = ms;
  }
  return min;
}

interface ScheduledEviction {
  createdAt: number;
  fireAt: number;
  timer: Timer;
}

/**
 * @example
 * const evictions = new TaintEvictionController({ client });
 * await evictions.start();
 * // ...
 * await evictions.stop();
 */
export class TaintEvictionController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly queue: WorkQueue;
  private readonly recorder: EventRecorder;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  /** nodeName → keys of the pods bound to it. */
  private readonly podsByNode = new Map<string, Set<string>>();
  /** pod key → its pending eviction (upstream: the TimedWorkerQueue). */
  private readonly scheduled = new Map<string, ScheduledEviction>();
  /** Pods whose toleration time has run out: deleted by the next sync unless the taint went. */
  private readonly due = new Set<string>();
  private workers?: Workers;
  private started = false;
  private stopped = false;

  constructor(config: TaintEvictionControllerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.queue = new WorkQueue({ clock: this.clock });
    this.recorder = new EventRecorder(this.client, { component: taintEvictionControllerComponent }, () => this.clock.now(), (error) =>
      this.log('event write failed', { error: errorText(error) }),
    );
    const common = { client: this.client, clock: this.clock, log: this.log };
    this.nodes = new Informer<Node>({ ...common, resource: refs.nodes });
    this.pods = new Informer<Pod>({ ...common, resource: refs.pods });
    this.nodes.addHandlers({
      onAdd: (node) => this.enqueueNode(node.metadata.name ?? ''),
      onUpdate: (old, node) => {
        if (JSON.stringify(getNoExecuteTaints(old.spec?.taints)) !== JSON.stringify(getNoExecuteTaints(node.spec?.taints))) {
          this.enqueueNode(node.metadata.name ?? '');
        }
      },
      onDelete: (node) => this.enqueueNode(node.metadata.name ?? ''),
    });
    this.pods.addHandlers({
      onAdd: (pod) => this.onPod(undefined, pod),
      onUpdate: (old, pod) => this.onPod(old, pod),
      onDelete: (pod) => {
        this.unindex(pod);
        this.queue.add(podKey(pod));
      },
    });
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the taint eviction controller is already started');
    this.started = true;
    await Promise.all([this.nodes.start(), this.pods.start()]);
    if (this.stopped) return;
    this.workers = runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: 1,
      onError: (error, key) => this.log('taint eviction sync failed', { pod: key, error: errorText(error) }),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nodes.stop();
    this.pods.stop();
    for (const entry of this.scheduled.values()) entry.timer.cancel();
    this.scheduled.clear();
    this.due.clear();
    await this.workers?.stop();
    this.queue.shutDown();
    await this.recorder.flush();
  }

  /** Resolves when every event recorded so far has been written (for tests). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  /** Pod keys with an eviction scheduled, and when (for tests and status). */
  scheduledEvictions(): Map<string, number> {
    return new Map([...this.scheduled].map(([key, entry]) => [key, entry.fireAt]));
  }

  // ----------------------------------------------------------------------------------------------

  private onPod(old: Pod | undefined, pod: Pod): void {
    if (old && old.spec?.nodeName !== pod.spec?.nodeName) this.unindex(old);
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      let keys = this.podsByNode.get(nodeName);
      if (!keys) this.podsByNode.set(nodeName, (keys = new Set()));
      keys.add(podKey(pod));
    }
    if (!old || old.spec?.nodeName !== pod.spec?.nodeName || JSON.stringify(old.spec?.tolerations) !== JSON.stringify(pod.spec?.tolerations)) {
      this.queue.add(podKey(pod));
    }
  }

  private unindex(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) return;
    const keys = this.podsByNode.get(nodeName);
    keys?.delete(podKey(pod));
    if (keys?.size === 0) this.podsByNode.delete(nodeName);
  }

  private enqueueNode(nodeName: string): void {
    for (const key of this.podsByNode.get(nodeName) ?? []) this.queue.add(key);
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitObjectKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || pod.metadata.deletionTimestamp || !pod.spec?.nodeName) {
      this.cancel(key, undefined);
      return;
    }
    const node = this.nodes.get(undefined, pod.spec.nodeName);
    const taints = getNoExecuteTaints(node?.spec?.taints);
    if (taints.length === 0) {
      this.cancel(key, pod);
      return;
    }
    const used = getMatchingTolerations(taints, pod.spec.tolerations);
    if (!used) {
      this.cancel(key, undefined);
      await this.evict(pod);
      return;
    }
    const minMs = getMinTolerationTimeMs(used);
    if (minMs < 0) {
      this.cancel(key, pod);
      return;
    }
    const now = this.clock.now();
    const existing = this.scheduled.get(key);
    const createdAt = existing?.createdAt ?? now;
    const fireAt = createdAt + minMs;
    if (this.due.has(key) || fireAt <= now) {
      this.scheduled.get(key)?.timer.cancel();
      this.scheduled.delete(key);
      await this.evict(pod);
      this.due.delete(key);
      return;
    }
    if (existing && existing.fireAt === fireAt) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(() => this.fire(key), fireAt - now);
    this.scheduled.set(key, { createdAt, fireAt, timer });
  }

  /** Cancels a pending eviction; with `pod`, records that it was cancelled, as upstream does. */
  private cancel(key: string, pod: Pod | undefined): void {
    const wasDue = this.due.delete(key);
    const entry = this.scheduled.get(key);
    if (entry) {
      entry.timer.cancel();
      this.scheduled.delete(key);
    }
    if ((entry || wasDue) && pod) this.recorder.record(pod, { type: 'Normal', reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${key}` });
  }

  /** A toleration ran out: the worker deletes the pod (and retries with backoff when that fails). */
  private fire(key: string): void {
    this.scheduled.delete(key);
    if (this.stopped) return;
    this.due.add(key);
    this.queue.add(key);
  }

  /** Upstream: addConditionAndDeletePod. */
  private async evict(pod: Pod): Promise<void> {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    this.log('deleting pod for NoExecute taint', { pod: objectKey(namespace, name), node: pod.spec?.nodeName });
    this.recorder.record(pod, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${namespace}/${name}` });
    const now = new Date(this.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
      lastTransitionTime: now,
    });
    try {
      await this.client.patch(refs.pods, namespace, name, 'merge', { status: { conditions } }, { subresource: 'status' });
    } catch (error) {
      if (isNotFound(error)) return;
      this.log('adding DisruptionTarget failed', { pod: objectKey(namespace, name), error: errorText(error) });
    }
    try {
      await this.client.delete(refs.pods, namespace, name, { preconditions: { uid: pod.metadata.uid } });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) throw error;
    }
  }
}

function podKey(pod: Pod): string {
  return objectKey(pod.metadata.namespace, pod.metadata.name ?? '');
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}

export function isConflict(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 409;
}
