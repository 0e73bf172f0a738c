/**
 * One sync of one DaemonSet, top to bottom: read it, build its history, plan per node (manage), carry the
 * plan out (syncNodes), write status. Upstream: syncDaemonSet, manage, podsShouldBeOnNode, syncNodes and
 * updateDaemonSetStatus in pkg/controller/daemon/daemon_controller.go.
 *
 * Not done yet: the surge branch of manage, history dedup and cleanup, rolling updates.
 */

import { isNotFound } from '../../api/errors.js';
import { labelSelectorFromObject, matchesLabels } from '../../api/labels.js';
import type { ControllerRevision, DaemonSet, DaemonSetStatus, Node, Pod } from '../../api/types.js';
import { errorText, objectKey, refs, splitObjectKey, type Client, type Clock, type EventRecorder, type Logger, type RecordedEvent, type SyncResult } from '../../client/index.js';
import { failedPodsBackoffKey, type FailedPodsBackoff } from './backoff.js';
import type { ControllerExpectations } from './expectations.js';
import { claimObjects } from './claim.js';
import { constructHistory } from './history.js';
import { getNodesToDaemonPods } from './pinning.js';
import { nodeShouldRunDaemonPod, type NodePlacement, type PlacementFunc } from './placement.js';
import { newDaemonPod } from './pod-template.js';
import { compareDaemonPods, computeStatus, type DaemonSetStatusCounters } from './status.js';

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

/**
 * Decides for one node, without surge: create when the DaemonSet should run there and has no pod; while it
 * may continue running, delete Failed and Succeeded pods and any running pods beyond the first (bound first,
 * oldest first, lowest name); when it may not continue running, delete every pod not already terminating.
 * A Failed pod is left alone while the node is in failed-pod backoff (`backoffDelayMs` given): the plan then
 * asks for a requeue after that delay instead. Pure.
 */
export function podsShouldBeOnNode(nodeName: string, placement: NodePlacement, pods: readonly Pod[], backoffDelayMs?: number): NodePlan {
  const plan: NodePlan = { create: false, podsToDelete: [], events: [] };
  if (placement.shouldRun && pods.length === 0) {
    plan.create = true;
    return plan;
  }
  if (placement.shouldContinueRunning) {
    const running: Pod[] = [];
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const where = `${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}`;
      if (pod.status?.phase === 'Failed') {
        if (backoffDelayMs !== undefined) {
          plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, backoffDelayMs);
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
    if (running.length > 1) plan.podsToDelete.push(...[...running].sort(compareDaemonPods).slice(1));
    return plan;
  }
  plan.podsToDelete.push(...pods.filter((pod) => !pod.metadata.deletionTimestamp));
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

/**
 * Plans every node with {@link podsShouldBeOnNode}; pods pinned (not bound) to nodes that no longer exist
 * are deleted too. `backoffDelayMs(node)` tells the nodes in failed-pod backoff (their current delay). Pure
 * when `placement` is.
 */
export function manage(
  ds: DaemonSet,
  nodes: readonly Node[],
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>,
  backoffDelayMs: (nodeName: string) => number | undefined = () => undefined,
  placement: PlacementFunc = nodeShouldRunDaemonPod,
): ManagePlan {
  const plan: ManagePlan = { nodesNeedingDaemonPods: [], podsToDelete: [], events: [], nodesWithFailedPodsDeleted: [] };
  const known = new Set<string>();
  for (const node of nodes) {
    const nodeName = node.metadata.name ?? '';
    known.add(nodeName);
    const pods = nodeToDaemonPods.get(nodeName) ?? [];
    const delay = pods.some((pod) => pod.status?.phase === 'Failed') ? backoffDelayMs(nodeName) : undefined;
    const nodePlan = podsShouldBeOnNode(nodeName, placement(node, ds), pods, delay);
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
    await Promise.all(
      batch.map(async (nodeName) => {
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
      }),
    );
    if (failed) {
      const skipped = creates.length - position;
      if (skipped > 0) ctx.expectations.lowerExpectations(key, skipped, 0);
      break;
    }
  }

  await Promise.all(
    deletes.map(async (pod) => {
      try {
        await ctx.client.delete(refs.pods, pod.metadata.namespace, pod.metadata.name!);
        ctx.recorder.record(ds, { type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` });
      } catch (error) {
        ctx.expectations.deletionObserved(key);
        if (isNotFound(error)) return;
        errors.push(error);
        ctx.recorder.record(ds, { type: 'Warning', reason: 'FailedDelete', message: `Error deleting: ${errorText(error)}` });
      }
    }),
  );

  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map(errorText).join('; '));
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
 * Brings the DaemonSet named by `key` (`namespace/name`) towards one pod on every eligible node and writes
 * its status. Level-based: everything is read afresh from the caches.
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
  const { hash } = await constructHistory(ctx.client, ds, revisions);

  const satisfied = ctx.expectations.satisfiedExpectations(key);
  let manageError: unknown;
  let requeueAfterMs: number | undefined;
  if (satisfied) {
    try {
      const backoff = ctx.failedPodsBackoff;
      const inBackoff = (nodeName: string) => {
        const backoffKey = failedPodsBackoffKey(ds, nodeName);
        return backoff.isInBackOffSinceUpdate(backoffKey) ? backoff.get(backoffKey) : undefined;
      };
      const daemonPods = await claimObjects(ctx.client, refs.pods, ds, ctx.listPodsToClaim(ds));
      const plan = manage(ds, nodes, getNodesToDaemonPods(daemonPods), inBackoff, ctx.placement);
      for (const nodeName of plan.nodesWithFailedPodsDeleted) backoff.next(failedPodsBackoffKey(ds, nodeName));
      requeueAfterMs = plan.requeueAfterMs;
      for (const event of plan.events) ctx.recorder.record(ds, event);
      await syncNodes(ctx, ds, plan.nodesNeedingDaemonPods, plan.podsToDelete, hash);
    } catch (error) {
      manageError = error;
    }
  }

  // Status from the caches as they are now (the writes above have been observed synchronously or will
  // enqueue the DaemonSet again when they are).
  const cached = ctx.getDaemonSet(namespace, name);
  const latest = cached && cached.metadata.uid === ds.metadata.uid ? cached : ds;
  const counters = computeStatus({
    ds,
    nodes: ctx.listNodes(),
    nodeToDaemonPods: getNodesToDaemonPods(getDaemonPods(ds, ctx.listPodsToClaim(ds))),
    hash,
    now: new Date(ctx.clock.now()),
    updateObservedGeneration: satisfied,
    placement: ctx.placement,
  });
  await updateDaemonSetStatus(ctx, latest, counters);
  if (manageError !== undefined) throw manageError;
  // Ready pods become available only once minReadySeconds have passed: look again then.
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  if (minReadySeconds > 0 && counters.numberReady !== counters.numberAvailable) {
    requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, minReadySeconds * 1000);
  }
  if (requeueAfterMs !== undefined) return { requeueAfterMs };
}
