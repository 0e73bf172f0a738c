/**
 * One sync of one DaemonSet, top to bottom: read it, build its history, plan per node (manage), carry the
 * plan out (syncNodes), take one rolling-update step, clean up history, write status. Upstream:
 * syncDaemonSet, updateDaemonSet, manage, podsShouldBeOnNode, syncNodes and updateDaemonSetStatus in
 * pkg/controller/daemon/daemon_controller.go; rollingUpdate and cleanupHistory in update.go.
 */

import { isNotFound } from '../../api/errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { ControllerRevision, DaemonSet, DaemonSetStatus, Node, Pod } from '../../api/types.js';
import { errorText, objectKey, refs, splitObjectKey, type Client, type Clock, type EventRecorder, type Logger, type RecordedEvent, type SyncResult } from '../../client/index.js';
import { failedPodsBackoffKey, type FailedPodsBackoff } from './backoff.js';
import type { ControllerExpectations } from './expectations.js';
import { claimObjects } from './claim.js';
import { cleanupHistory, constructHistory } from './history.js';
import { getNodesToDaemonPods } from './pinning.js';
import { nodeShouldRunDaemonPod, type NodePlacement, type PlacementFunc } from './placement.js';
import { defaultDaemonSetUniqueLabelKey, newDaemonPod } from './pod-template.js';
import { allowsSurge, planRollingUpdate } from './rolling-update.js';
import { compareDaemonPods, computeStatus, isPodAvailable, isPodReady, nextAvailableAfterMs, type DaemonSetStatusCounters } from './status.js';

/** Most creates (and, separately, deletes) one pass issues; the rest wait for later passes. */
export const burstReplicas = 250;

/** What a sync reads and writes through; the controller provides it from its informers. */
export interface SyncContext {
  client: Client;
  recorder: EventRecorder;
  expectations: ControllerExpectations;
  failedPodsBackoff: FailedPodsBackoff;
  clock: Clock;
  log: Logger;
  getDaemonSet(namespace: string | undefined, name: string): DaemonSet | undefined;
  listNodes(): Node[];
  /** The pods in the DaemonSet's namespace that it controls or that have no controller (candidates to adopt). */
  listPodsToClaim(ds: DaemonSet): Pod[];
  /** Moves whenever the pod cache changes; lets a sync reuse what it computed when nothing moved. */
  podsChangeCount?(): number;
  listRevisions(namespace: string | undefined): ControllerRevision[];
  /** @default nodeShouldRunDaemonPod */
  placement?: PlacementFunc;
}

/** Upstream event messages and reasons. */
export const selectingAllReason = 'SelectingAll';
export const selectingAllMessage = 'This daemon set is selecting all pods. A non-empty selector is required.';

/** The decision for one node. */
export interface NodePlan {
  /** Create one daemon pod on this node. */
  create: boolean;
  podsToDelete: Pod[];
  events: RecordedEvent[];
  /** A Failed pod is being deleted: the node's failed-pod backoff starts or grows. */
  failedPodDeleted?: boolean;
  /** Sync the DaemonSet again after this long (a Failed pod waits out its backoff). */
  requeueAfterMs?: number;
}

/** What {@link podsShouldBeOnNode} needs besides the node's pods. */
export interface PodsShouldBeOnNodeOptions {
  /** The node is in failed-pod backoff with this delay: its Failed pods are left alone for now. */
  backoffDelayMs?: number;
  /**
   * Set when the DaemonSet allows surge (its `maxSurge` out of one node is above 0): a node may then keep an
   * old and a new pod side by side.
   */
  surge?: SurgeOnNode;
}

/** The facts the surge rule of {@link podsShouldBeOnNode} decides with. */
export interface SurgeOnNode {
  /** The current revision hash; only the hash label tells new pods from old here. */
  hash: string;
  minReadySeconds: number;
  now: Date;
}

/**
 * Decides for one node. Create when the DaemonSet should run there and has no pod. While it may continue
 * running, delete Failed pods (unless the node is in failed-pod backoff: then ask for a requeue after that
 * delay instead) and Succeeded pods; of the running pods (not terminating, not finished):
 *
 * - without surge, keep the first (bound first, oldest first, lowest name) and delete the others, and never
 *   create, even when none is left;
 * - with surge, create one when none runs and the DaemonSet should run here (a terminating pod does not wait);
 *   with several, keep the oldest new pod (hash label current) and the oldest old pod, delete the others, and
 *   then delete the old one too if it is not Ready or the new one is available.
 *
 * When the DaemonSet may not continue running on the node, delete every pod not already terminating. Pure.
 */
export function podsShouldBeOnNode(nodeName: string, placement: NodePlacement, pods: readonly Pod[], options: PodsShouldBeOnNodeOptions = {}): NodePlan {
  const plan: NodePlan = { create: false, podsToDelete: [], events: [] };
  if (placement.shouldRun && pods.length === 0) {
    plan.create = true;
    return plan;
  }
  if (!placement.shouldContinueRunning) {
    plan.podsToDelete.push(...pods.filter((pod) => !pod.metadata.deletionTimestamp));
    return plan;
  }
  const running: Pod[] = [];
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const where = `${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}`;
    if (pod.status?.phase === 'Failed') {
      if (options.backoffDelayMs !== undefined) {
        plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, options.backoffDelayMs);
        continue;
      }
      plan.failedPodDeleted = true;
      plan.podsToDelete.push(pod);
      plan.events.push({ type: 'Warning', reason: 'FailedDaemonPod', message: `Found failed daemon pod ${where}, will try to kill it` });
    } else if (pod.status?.phase === 'Succeeded') {
      plan.podsToDelete.push(pod);
      plan.events.push({ type: 'Normal', reason: 'SucceededDaemonPod', message: `Found succeeded daemon pod ${where}, will try to delete it` });
    } else {
      running.push(pod);
    }
  }
  const surge = options.surge;
  if (!surge) {
    if (running.length > 1) plan.podsToDelete.push(...running.sort(compareDaemonPods).slice(1));
    return plan;
  }
  if (running.length <= 1) {
    if (running.length === 0 && placement.shouldRun) plan.create = true;
    return plan;
  }
  let oldestNewPod: Pod | undefined;
  let oldestOldPod: Pod | undefined;
  for (const pod of running.sort(compareDaemonPods)) {
    if (pod.metadata.labels?.[defaultDaemonSetUniqueLabelKey] === surge.hash) {
      if (!oldestNewPod) {
        oldestNewPod = pod;
        continue;
      }
    } else if (!oldestOldPod) {
      oldestOldPod = pod;
      continue;
    }
    plan.podsToDelete.push(pod);
  }
  if (oldestNewPod && oldestOldPod && (!isPodReady(oldestOldPod) || isPodAvailable(oldestNewPod, surge.minReadySeconds, surge.now))) {
    plan.podsToDelete.push(oldestOldPod);
  }
  return plan;
}

/** The whole-DaemonSet plan: the nodes to create pods on and the pods to delete. */
export interface ManagePlan {
  nodesNeedingDaemonPods: string[];
  podsToDelete: Pod[];
  events: RecordedEvent[];
  /** Nodes whose failed-pod backoff starts or grows because a Failed pod is deleted there. */
  nodesWithFailedPodsDeleted: string[];
  requeueAfterMs?: number;
}

/** What {@link manage} needs besides the DaemonSet, the nodes and the pods. */
export interface ManageOptions {
  /** The current revision hash (the surge rule compares it). @default '' */
  hash?: string;
  /** @default the current time */
  now?: Date;
  /** The current delay of nodes in failed-pod backoff, `undefined` for the others. */
  backoffDelayMs?: (nodeName: string) => number | undefined;
  /** @default nodeShouldRunDaemonPod */
  placement?: PlacementFunc;
}

/**
 * Plans every node with {@link podsShouldBeOnNode} (with the surge rule when the DaemonSet allows surge); pods
 * pinned (not bound) to nodes that no longer exist are deleted too. Pure when `placement` is.
 */
export function manage(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>, options: ManageOptions = {}): ManagePlan {
  const placement = options.placement ?? nodeShouldRunDaemonPod;
  const backoffDelayMs = options.backoffDelayMs ?? (() => undefined);
  const surge: SurgeOnNode | undefined = allowsSurge(ds)
    ? { hash: options.hash ?? '', minReadySeconds: ds.spec.minReadySeconds ?? 0, now: options.now ?? new Date() }
    : undefined;
  const plan: ManagePlan = { nodesNeedingDaemonPods: [], podsToDelete: [], events: [], nodesWithFailedPodsDeleted: [] };
  const known = new Set<string>();
  for (const node of nodes) {
    const nodeName = node.metadata.name ?? '';
    known.add(nodeName);
    const pods = nodeToDaemonPods.get(nodeName) ?? [];
    const delay = pods.some((pod) => pod.status?.phase === 'Failed') ? backoffDelayMs(nodeName) : undefined;
    const nodePlan = podsShouldBeOnNode(nodeName, placement(node, ds), pods, { backoffDelayMs: delay, surge });
    if (nodePlan.create) plan.nodesNeedingDaemonPods.push(nodeName);
    if (nodePlan.failedPodDeleted) plan.nodesWithFailedPodsDeleted.push(nodeName);
    if (nodePlan.requeueAfterMs !== undefined) plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, nodePlan.requeueAfterMs);
    plan.podsToDelete.push(...nodePlan.podsToDelete);
    plan.events.push(...nodePlan.events);
  }
  for (const [nodeName, pods] of nodeToDaemonPods) {
    if (known.has(nodeName)) continue;
    plan.podsToDelete.push(...pods.filter((pod) => !pod.spec.nodeName && !pod.metadata.deletionTimestamp));
  }
  return plan;
}

/** The DaemonSet's pods: in its namespace, controlled by it (UID) and matching its selector. */
export function getDaemonPods(ds: DaemonSet, pods: readonly Pod[]): Pod[] {
  const selector = labelSelectorFromObject(ds.spec.selector);
  return pods.filter(
    (pod) =>
      pod.metadata.namespace === ds.metadata.namespace &&
      pod.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === ds.metadata.uid) &&
      matchesLabels(selector, pod.metadata.labels),
  );
}

function isEmptySelector(ds: DaemonSet): boolean {
  const selector = ds.spec.selector;
  return !selector || ((selector.matchLabels === undefined || Object.keys(selector.matchLabels).length === 0) && (selector.matchExpressions?.length ?? 0) === 0);
}

function isNamespaceTerminating(error: unknown): boolean {
  return /because it is being terminated/.test(errorText(error));
}

/**
 * Carries a plan out: expectations first (creates and deletes capped at {@link burstReplicas}), then creates
 * in slow-start batches of 1, 2, 4, … (a failed batch skips the rest), then all deletes at once. Each write
 * is reported by an event on the DaemonSet; errors are collected and thrown together.
 */
export async function syncNodes(ctx: SyncContext, ds: DaemonSet, nodesNeedingDaemonPods: readonly string[], podsToDelete: readonly Pod[], hash: string): Promise<void> {
  const key = objectKey(ds.metadata.namespace, ds.metadata.name ?? '');
  const creates = nodesNeedingDaemonPods.slice(0, burstReplicas);
  const deletes = podsToDelete.slice(0, burstReplicas);
  ctx.expectations.setExpectations(key, creates.length, deletes.length);
  const errors: unknown[] = [];

  let position = 0;
  for (let batchSize = 1; position < creates.length; batchSize *= 2) {
    const batch = creates.slice(position, position + batchSize);
    position += batch.length;
    let failed = false;
    await startSpread(
      batch, async (nodeName) => {
        try {
          const created = await ctx.client.create<Pod>(refs.pods, ds.metadata.namespace, newDaemonPod(ds, nodeName, hash));
          ctx.recorder.record(ds, { type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${created.metadata.name}` });
        } catch (error) {
          ctx.expectations.creationObserved(key);
          if (isNamespaceTerminating(error)) return;
          failed = true;
          errors.push(error);
          ctx.recorder.record(ds, { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${errorText(error)}` });
        }
      },
    );
    if (failed) {
      const skipped = creates.length - position;
      if (skipped > 0) ctx.expectations.lowerExpectations(key, skipped, 0);
      break;
    }
  }

  await startSpread(
    deletes, async (pod) => {
      try {
        await ctx.client.delete(refs.pods, pod.metadata.namespace, pod.metadata.name!);
        ctx.recorder.record(ds, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` });
      } catch (error) {
        ctx.expectations.deletionObserved(key);
        if (isNotFound(error)) return;
        errors.push(error);
        ctx.recorder.record(ds, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${errorText(error)}` });
      }
    },
  );

  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map(errorText).join('; '));
}

/** Requests started in one turn of the event loop by {@link startSpread}. */
const startsPerTurn = 32;

/**
 * Runs `task` for every item concurrently, as Promise.all over a map would, but starts at most
 * {@link startsPerTurn} of them per turn of the event loop: each start does its request's synchronous
 * work (validation, admission, encoding) at once, and hundreds of them back to back would hold every
 * other request of the server up for that long.
 */
async function startSpread<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % startsPerTurn === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    running.push(task(items[i]!));
  }
  await Promise.all(running);
}

const counterNames = [
  'desiredNumberScheduled',
  'currentNumberScheduled',
  'numberMisscheduled',
  'numberReady',
  'numberAvailable',
  'numberUnavailable',
  'updatedNumberScheduled',
] as const;

/**
 * Writes the counters through the status subresource, unless they equal the stored ones and
 * `observedGeneration` is already current. A failed write is retried once against a fresh GET.
 */
export async function updateDaemonSetStatus(ctx: SyncContext, ds: DaemonSet, counters: DaemonSetStatusCounters): Promise<void> {
  const stored = ds.status;
  const unchanged =
    stored !== undefined &&
    counterNames.every((name) => (stored[name] ?? 0) === counters[name]) &&
    (stored.observedGeneration ?? 0) >= (ds.metadata.generation ?? 0) &&
    stored.observedGeneration === (counters.observedGeneration ?? stored.observedGeneration);
  if (unchanged) return;
  const write = (target: DaemonSet) => {
    const status: DaemonSetStatus = { ...target.status, ...counters };
    return ctx.client.update<DaemonSet>(refs.daemonsets, target.metadata.namespace, { ...target, status }, { subresource: 'status' });
  };
  try {
    await write(ds);
  } catch (error) {
    if (isNotFound(error)) return;
    const fresh = await ctx.client.get<DaemonSet>(refs.daemonsets, ds.metadata.namespace, ds.metadata.name!);
    await write(fresh);
  }
}

/**
 * One step of a rolling update (strategy RollingUpdate) over `nodeToDaemonPods`: plans with
 * {@link planRollingUpdate} and carries the plan out through {@link syncNodes}.
 */
export async function rollingUpdate(
  ctx: SyncContext,
  ds: DaemonSet,
  nodes: readonly Node[],
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>,
  hash: string,
): Promise<void> {
  let plan;
  try {
    plan = planRollingUpdate({ ds, nodes, nodeToDaemonPods, hash, now: new Date(ctx.clock.now()), placement: ctx.placement });
  } catch (error) {
    throw new Error(`couldn't get unavailable numbers: ${errorText(error)}`, { cause: error });
  }
  await syncNodes(ctx, ds, plan.nodesNeedingDaemonPods, plan.podsToDelete, hash);
}

/**
 * Brings the DaemonSet named by `key` (`namespace/name`) towards one pod on every eligible node, rolls it
 * towards its current template and writes its status. Level-based: everything is read afresh from the caches.
 */
export async function syncDaemonSet(ctx: SyncContext, key: string): Promise<void | SyncResult> {
  const { namespace, name } = splitObjectKey(key);
  const ds = ctx.getDaemonSet(namespace, name);
  if (!ds) {
    ctx.expectations.deleteExpectations(key);
    return;
  }
  const nodes = ctx.listNodes();
  if (isEmptySelector(ds)) {
    ctx.recorder.record(ds, { type: 'Warning', reason: selectingAllReason, message: selectingAllMessage });
    return;
  }
  if (ds.metadata.deletionTimestamp) return;

  const revisions = await claimObjects(ctx.client, refs.controllerrevisions, ds, ctx.listRevisions(namespace));
  const claimPods = () => claimObjects(ctx.client, refs.pods, ds, ctx.listPodsToClaim(ds));
  const { hash, old } = await constructHistory(ctx.client, ds, revisions, { getDaemonPods: claimPods });

  const satisfied = ctx.expectations.satisfiedExpectations(key);
  let updateError: unknown;
  let requeueAfterMs: number | undefined;
  /** The pods as the update read them, and the pod cache's change count then. */
  let read: { daemonPods: readonly Pod[]; nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>; changeCount: number | undefined } | undefined;
  if (satisfied) {
    try {
      const daemonPods = await claimPods();
      const nodeToDaemonPods = getNodesToDaemonPods(daemonPods);
      read = { daemonPods, nodeToDaemonPods, changeCount: ctx.podsChangeCount?.() };
      requeueAfterMs = await updateDaemonSet(ctx, ds, nodes, hash, old, daemonPods, nodeToDaemonPods);
    } catch (error) {
      updateError = error;
    }
  }

  // Status from the caches as they are now (the writes above have been observed synchronously or will
  // enqueue the DaemonSet again when they are).
  const cached = ctx.getDaemonSet(namespace, name);
  const latest = cached && cached.metadata.uid === ds.metadata.uid ? cached : ds;
  const now = new Date(ctx.clock.now());
  // Nothing in the pod cache moved since the update read it (no writes, no events): its view is current, and
  // on a big fleet building it again is most of a quiet sync's work.
  const unchanged = read !== undefined && read.changeCount !== undefined && read.changeCount === ctx.podsChangeCount?.();
  const daemonPods = unchanged ? read!.daemonPods : getDaemonPods(ds, ctx.listPodsToClaim(ds));
  const counters = computeStatus({
    ds,
    nodes: ctx.listNodes(),
    nodeToDaemonPods: unchanged ? read!.nodeToDaemonPods : getNodesToDaemonPods(daemonPods),
    hash,
    now,
    updateObservedGeneration: satisfied,
    placement: ctx.placement,
  });
  await updateDaemonSetStatus(ctx, latest, counters);
  if (updateError !== undefined) throw updateError;
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  if (minReadySeconds > 0) {
    // Ready pods become available only once minReadySeconds have passed, and nothing else wakes the
    // DaemonSet then: look again at the first such moment (a rolling update waits on it). Upstream requeues
    // after minReadySeconds when ready and available differ, and after minReadySeconds + 1 s when a pod turns
    // Ready; this covers both, including a new pod next to an old one during a surge.
    if (counters.numberReady !== counters.numberAvailable) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, minReadySeconds * 1000);
    const untilAvailable = nextAvailableAfterMs(daemonPods, minReadySeconds, now);
    if (untilAvailable !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, untilAvailable);
  }
  if (requeueAfterMs !== undefined) return { requeueAfterMs };
}

/**
 * The writing part of a full sync: manage (creates and deletes per node), then, when every write of manage
 * has been observed and the strategy is RollingUpdate, one rolling-update step, then history cleanup. A
 * failed step skips the rest, as upstream. Returns the requeue delay the failed-pod backoff asks for.
 */
async function updateDaemonSet(
  ctx: SyncContext,
  ds: DaemonSet,
  nodes: readonly Node[],
  hash: string,
  old: readonly ControllerRevision[],
  daemonPods: readonly Pod[],
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>,
): Promise<number | undefined> {
  const key = objectKey(ds.metadata.namespace, ds.metadata.name ?? '');
  const backoff = ctx.failedPodsBackoff;
  const backoffDelayMs = (nodeName: string) => {
    const backoffKey = failedPodsBackoffKey(ds, nodeName);
    return backoff.isInBackOffSinceUpdate(backoffKey) ? backoff.get(backoffKey) : undefined;
  };
  const now = new Date(ctx.clock.now());
  const plan = manage(ds, nodes, nodeToDaemonPods, { hash, now, backoffDelayMs, placement: ctx.placement });
  for (const nodeName of plan.nodesWithFailedPodsDeleted) backoff.next(failedPodsBackoffKey(ds, nodeName));
  for (const event of plan.events) ctx.recorder.record(ds, event);
  await syncNodes(ctx, ds, plan.nodesNeedingDaemonPods, plan.podsToDelete, hash);

  if (ds.spec.updateStrategy?.type === 'RollingUpdate' && ctx.expectations.satisfiedExpectations(key)) {
    // When manage wrote nothing the pods are as read; otherwise its writes have been observed already, so
    // read the cache again.
    const wrote = plan.nodesNeedingDaemonPods.length > 0 || plan.podsToDelete.length > 0;
    const current = wrote ? getNodesToDaemonPods(getDaemonPods(ds, ctx.listPodsToClaim(ds))) : nodeToDaemonPods;
    await rollingUpdate(ctx, ds, nodes, current, hash);
  }

  try {
    await cleanupHistory(ctx.client, ds, old, daemonPods);
  } catch (error) {
    throw new Error(`failed to clean up revisions of DaemonSet: ${errorText(error)}`, { cause: error });
  }
  return plan.requeueAfterMs;
}
