/**
 * The DaemonSet controller's plumbing: informers on DaemonSets, pods, nodes and ControllerRevisions whose
 * handlers only record observed writes and enqueue DaemonSet keys, and workers running syncDaemonSet.
 * Upstream: NewDaemonSetsController and its event handlers in pkg/controller/daemon/daemon_controller.go.
 */

import type { ControllerRevision, DaemonSet, KubeObject, Node, Pod } from '../../api/types.js';
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
  type Client,
  type Clock,
  type Logger,
  type Workers,
} from '../../client/index.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import { FailedPodsBackoff } from './backoff.js';
import { PlacementCache } from './placement.js';
import { getControllerOf } from './claim.js';
import { ControllerExpectations } from './expectations.js';
import { syncDaemonSet, type SyncContext } from './sync.js';

export interface DaemonSetControllerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** DaemonSets synced at once. @default 2 */
  workers?: number;
}

/** How often idle failed-pod backoff entries are dropped (checked when a sync starts). */
const backoffGcIntervalMs = 60_000;

/**
 * Pod status changes arrive by the thousand on a big fleet, and each sync walks every node. A DaemonSet
 * synced for d ms is therefore synced again for a pod or status event no sooner than `coalesceFactor × d`
 * after the last sync ended (never later than `maxCoalesceMs`): the events in between fold into one sync,
 * and on a small lab, where syncs take a millisecond, nothing visibly waits. A sync's time includes waiting
 * for its writes, hence the low cap: a rolling update's next wave waits for the pod events of this one.
 * Spec, node and expectation-changing events are never delayed.
 */
const coalesceFactor = 2;
const maxCoalesceMs = 100;

/** Pod index names. */
const byControllerUid = 'controllerUid';
const orphansByNamespace = 'orphansByNamespace';

/** The component name on events. */
export const daemonSetControllerComponent = 'daemonset-controller';

/**
 * Keeps one pod of every DaemonSet on each node where it should run, with history and status.
 *
 * @example
 * const daemonsets = new DaemonSetController({ client });
 * await daemonsets.start();
 * // ...
 * await daemonsets.stop();
 */
export class DaemonSetController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly workerCount: number;
  private readonly queue: WorkQueue;
  private readonly expectations: ControllerExpectations;
  private readonly failedPodsBackoff: FailedPodsBackoff;
  private readonly recorder: EventRecorder;
  private readonly daemonSets: Informer<DaemonSet>;
  private readonly pods: Informer<Pod>;
  private readonly nodes: Informer<Node>;
  private readonly revisions: Informer<ControllerRevision>;
  private readonly placements = new PlacementCache();
  /** DaemonSet key → clock time before which pod and status events do not start another sync. */
  private readonly quietUntil = new Map<string, number>();
  private workers?: Workers;
  private lastBackoffGc = 0;
  private started = false;
  private stopped = false;

  constructor(config: DaemonSetControllerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.workerCount = config.workers ?? 2;
    this.queue = new WorkQueue({ clock: this.clock });
    this.expectations = new ControllerExpectations(this.clock);
    this.failedPodsBackoff = new FailedPodsBackoff(this.clock);
    this.recorder = new EventRecorder(this.client, { component: daemonSetControllerComponent }, () => this.clock.now(), (error) =>
      this.log('event write failed', { error: errorText(error) }),
    );
    const common = { client: this.client, clock: this.clock, log: this.log };
    this.daemonSets = new Informer<DaemonSet>({ ...common, resource: refs.daemonsets });
    this.pods = new Informer<Pod>({ ...common, resource: refs.pods });
    this.nodes = new Informer<Node>({ ...common, resource: refs.nodes });
    this.revisions = new Informer<ControllerRevision>({ ...common, resource: refs.controllerrevisions });
    this.pods.addIndex(byControllerUid, (pod) => {
      const uid = getControllerOf(pod)?.uid;
      return uid ? [uid] : [];
    });
    this.pods.addIndex(orphansByNamespace, (pod) => (getControllerOf(pod) ? [] : [pod.metadata.namespace ?? '']));

    this.daemonSets.addHandlers({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (old, ds) => {
        if (old.metadata.uid !== ds.metadata.uid) this.expectations.deleteExpectations(keyOf(old));
        if (onlyStatusChanged(old, ds)) this.enqueueCoalesced(ds);
        else this.enqueue(ds);
      },
      onDelete: (ds) => {
        this.expectations.deleteExpectations(keyOf(ds));
        this.quietUntil.delete(keyOf(ds));
        this.enqueue(ds);
      },
    });
    this.pods.addHandlers({
      onAdd: (pod) => this.onPodAdd(pod),
      onUpdate: (old, pod) => this.onPodUpdate(old, pod),
      onDelete: (pod) => this.onPodDelete(pod),
    });
    this.nodes.addHandlers({
      onAdd: () => this.enqueueAll(),
      onUpdate: (old, node) => {
        if (nodeMattersChanged(old, node)) this.enqueueAll();
      },
      // Upstream has no node-delete handler (pod GC's deletions enqueue instead); we enqueue so pinned,
      // unbound pods of a vanished node go and DESIRED drops at once.
      onDelete: () => this.enqueueAll(),
    });
    this.revisions.addHandlers({
      onAdd: (revision) => {
        if (getControllerOf(revision)) this.enqueueOwner(revision);
        else for (const ds of this.matchingDaemonSets(revision)) this.enqueue(ds);
      },
      onUpdate: (_old, revision) => this.enqueueOwner(revision),
      onDelete: (revision) => this.enqueueOwner(revision),
    });
  }

  /** Lists everything, starts watching and starts the workers. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the daemonset controller is already started');
    this.started = true;
    await Promise.all([this.nodes.start(), this.pods.start(), this.revisions.start()]);
    await this.daemonSets.start();
    if (this.stopped) return;
    this.workers = runWorkers({
      queue: this.queue,
      sync: (key) => this.sync(key),
      workers: this.workerCount,
      onError: (error, key) => this.log('daemonset sync failed', { daemonset: key, error: errorText(error) }),
    });
  }

  /** Stops watching, waits for running syncs and for events being written. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const informer of [this.daemonSets, this.pods, this.nodes, this.revisions]) informer.stop();
    await this.workers?.stop();
    this.queue.shutDown();
    await this.recorder.flush();
  }

  /** Resolves when every event recorded so far has been written (for tests). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  private async sync(key: string) {
    const started = this.clock.now();
    if (started - this.lastBackoffGc >= backoffGcIntervalMs) {
      this.lastBackoffGc = started;
      this.failedPodsBackoff.gc();
    }
    try {
      return await syncDaemonSet(this.syncContext(), key);
    } finally {
      const ended = this.clock.now();
      this.quietUntil.set(key, ended + Math.min(maxCoalesceMs, coalesceFactor * (ended - started)));
    }
  }

  private syncContext(): SyncContext {
    return {
      client: this.client,
      recorder: this.recorder,
      expectations: this.expectations,
      failedPodsBackoff: this.failedPodsBackoff,
      clock: this.clock,
      log: this.log,
      getDaemonSet: (namespace, name) => this.daemonSets.get(namespace, name),
      listNodes: () => this.nodes.list(),
      listPodsToClaim: (ds) => [...this.pods.byIndex(byControllerUid, ds.metadata.uid ?? ''), ...this.pods.byIndex(orphansByNamespace, ds.metadata.namespace ?? '')],
      listRevisions: (namespace) => this.revisions.list(namespace),
      placement: this.placements.placement,
      podsChangeCount: () => this.pods.changeCount,
    };
  }

  private enqueue(ds: DaemonSet): void {
    this.queue.add(keyOf(ds));
  }

  /** Enqueues for an event that only changes counters: folded with others while the DaemonSet was just synced. */
  private enqueueCoalesced(ds: DaemonSet): void {
    const key = keyOf(ds);
    this.queue.addAfter(key, (this.quietUntil.get(key) ?? 0) - this.clock.now());
  }

  /**
   * Enqueues after a create or delete the controller may have expected: at once when that was the last one
   * it waited for (the next batch can go), otherwise folded like a status change (the sync would only
   * recount).
   */
  private enqueueObserved(ds: DaemonSet): void {
    if (this.expectations.satisfiedExpectations(keyOf(ds))) this.enqueue(ds);
    else this.enqueueCoalesced(ds);
  }

  private enqueueAll(): void {
    for (const ds of this.daemonSets.list()) this.enqueue(ds);
  }

  /** The DaemonSet named by the object's controller reference, if it exists with that UID. */
  private resolveControllerRef(obj: KubeObject): DaemonSet | undefined {
    const ref = obj.metadata.ownerReferences?.find((owner) => owner.controller);
    if (!ref || ref.kind !== 'DaemonSet' || !ref.apiVersion.startsWith('apps/')) return undefined;
    const ds = this.daemonSets.get(obj.metadata.namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private enqueueOwner(obj: KubeObject): void {
    const ds = this.resolveControllerRef(obj);
    if (ds) this.enqueue(ds);
  }

  private onPodAdd(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      this.onPodDelete(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const ds = this.resolveControllerRef(pod);
      if (!ds) return;
      this.expectations.creationObserved(keyOf(ds));
      this.enqueueObserved(ds);
      return;
    }
    // An orphan: every DaemonSet that could adopt it looks.
    for (const ds of this.matchingDaemonSets(pod)) this.enqueue(ds);
  }

  /** DaemonSets in the object's namespace whose (non-empty) selector matches its labels. */
  private matchingDaemonSets(obj: KubeObject): DaemonSet[] {
    return this.daemonSets.list(obj.metadata.namespace).filter((ds) => {
      const selector = labelSelectorFromObject(ds.spec.selector);
      return selector !== 'nothing' && selector.length > 0 && matchesLabels(selector, obj.metadata.labels);
    });
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (pod.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      this.onPodDelete(pod);
      return;
    }
    const oldOwner = this.resolveControllerRef(old);
    const owner = this.resolveControllerRef(pod);
    if (oldOwner && oldOwner.metadata.uid !== owner?.metadata.uid) this.enqueue(oldOwner);
    if (owner) {
      if (oldOwner?.metadata.uid === owner.metadata.uid) this.enqueueCoalesced(owner);
      else this.enqueue(owner);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {});
    const refChanged = getControllerOf(old)?.uid !== getControllerOf(pod)?.uid;
    if (!getControllerOf(pod) && (labelsChanged || refChanged)) for (const ds of this.matchingDaemonSets(pod)) this.enqueue(ds);
  }

  private onPodDelete(pod: Pod): void {
    const ds = this.resolveControllerRef(pod);
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds));
    this.enqueueObserved(ds);
  }
}

function keyOf(obj: KubeObject): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

/** Whether an update touched nothing but status (and the resourceVersion that comes with it). */
function onlyStatusChanged(old: DaemonSet, ds: DaemonSet): boolean {
  const { resourceVersion: _a, managedFields: _b, ...oldMeta } = old.metadata;
  const { resourceVersion: _c, managedFields: _d, ...newMeta } = ds.metadata;
  return JSON.stringify(oldMeta) === JSON.stringify(newMeta) && JSON.stringify(old.spec) === JSON.stringify(ds.spec);
}

/** Whether a node change can change any (shouldRun, shouldContinueRunning): its labels, spec or name. */
function nodeMattersChanged(old: Node, node: Node): boolean {
  return JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(node.metadata.labels ?? {}) || JSON.stringify(old.spec ?? {}) !== JSON.stringify(node.spec ?? {});
}
