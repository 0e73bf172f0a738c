/**
 * Pod readiness and the DaemonSet status counters.
 *
 * Upstream: updateDaemonSetStatus and podByCreationTimestampAndPhase in
 * pkg/controller/daemon/daemon_controller.go; IsPodUpdated in pkg/controller/daemon/util/daemonset_util.go;
 * IsPodReady and IsPodAvailable in pkg/api/v1/pod/util.go.
 */

import type { DaemonSet, Node, Pod } from '../../api/types.js';
import { nodeShouldRunDaemonPod, type PlacementFunc } from './placement.js';
import { daemonSetTemplateGenerationKey, defaultDaemonSetUniqueLabelKey, getTemplateGeneration } from './pod-template.js';

/** Whether the pod's `Ready` condition is `True`. */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/**
 * Whether the pod is available: Ready, and either `minReadySeconds` is 0 or the Ready condition's
 * `lastTransitionTime` plus `minReadySeconds` is strictly before `now`. With `minReadySeconds > 0` a Ready
 * condition without a (parsable) transition time never makes the pod available.
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
  const since = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(since)) return false;
  return since + minReadySeconds * 1000 < now.getTime();
}

/**
 * How long until the first of `pods` that is Ready but not yet available becomes available (its Ready
 * `lastTransitionTime` plus `minReadySeconds`, plus one millisecond since the bound is strict), or
 * `undefined` when no pod is waiting for that. Pods being deleted are left out.
 */
export function nextAvailableAfterMs(pods: readonly Pod[], minReadySeconds: number, now: Date): number | undefined {
  if (minReadySeconds <= 0) return undefined;
  let soonest: number | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp || !isPodReady(pod)) continue;
    const ready = pod.status?.conditions?.find((condition) => condition.type === 'Ready');
    const since = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : Number.NaN;
    if (Number.isNaN(since)) continue;
    const delay = since + minReadySeconds * 1000 + 1 - now.getTime();
    if (delay > 0 && (soonest === undefined || delay < soonest)) soonest = delay;
  }
  return soonest;
}

/**
 * Whether the pod was made from the current template: its `controller-revision-hash` label equals `hash`
 * (a non-empty one), or its `pod-template-generation` label equals the DaemonSet's template generation.
 */
export function isPodUpdated(pod: Pod, hash: string, templateGeneration: bigint | number | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  const hashMatches = hash !== '' && labels[defaultDaemonSetUniqueLabelKey] === hash;
  const generationMatches =
    templateGeneration !== undefined && labels[daemonSetTemplateGenerationKey] === String(templateGeneration);
  return hashMatches || generationMatches;
}

/** Creation time in milliseconds; an absent or unreadable timestamp sorts first, as Go's zero time does. */
function creationTime(pod: Pod): number {
  const text = pod.metadata.creationTimestamp;
  const time = text ? Date.parse(text) : Number.NaN;
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/**
 * Orders the pods of one node the way the controller ranks them: pods bound to a node (`spec.nodeName` set)
 * first, then older `creationTimestamp` first, then lower name. The first pod is the one that is kept and
 * that status looks at. For `Array.prototype.sort`.
 */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const aBound = Boolean(a.spec.nodeName);
  const bBound = Boolean(b.spec.nodeName);
  if (aBound !== bBound) return aBound ? -1 : 1;
  const aTime = creationTime(a);
  const bTime = creationTime(b);
  if (aTime !== bTime) return aTime < bTime ? -1 : 1;
  const aName = a.metadata.name ?? '';
  const bName = b.metadata.name ?? '';
  return aName < bName ? -1 : aName > bName ? 1 : 0;
}

/** Input of {@link computeStatus}. */
export interface ComputeStatusInput {
  ds: DaemonSet;
  /** Every node in the cache. Pods on nodes not listed here are not counted. */
  nodes: readonly Node[];
  /** The DaemonSet's pods by target node, as getNodesToDaemonPods builds it. */
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>;
  /** The current revision hash. */
  hash: string;
  now: Date;
  /**
   * Set `observedGeneration` to `metadata.generation` (a full sync); when false the stored value is kept.
   * @default true
   */
  updateObservedGeneration?: boolean;
  /** @default nodeShouldRunDaemonPod */
  placement?: PlacementFunc;
}

/** The status fields the controller computes; `collisionCount` and `conditions` are not its business here. */
export interface DaemonSetStatusCounters {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
  observedGeneration?: number;
}

/**
 * Computes the DaemonSet status counters from the node list and the node → pods map. For every node where
 * the DaemonSet should run, `desired` counts it; if it has pods, `current` counts it and only its first pod
 * by {@link compareDaemonPods} decides `ready`, `available` (with `spec.minReadySeconds`) and `updated`. A node
 * where the DaemonSet should not run but that has pods counts as `misscheduled` (this includes pods kept by
 * `shouldContinueRunning`). `unavailable` is `desired - available`. Pure: nothing is read but the input.
 */
export function computeStatus(input: ComputeStatusInput): DaemonSetStatusCounters {
  const { ds, nodes, nodeToDaemonPods, hash, now } = input;
  const placement = input.placement ?? nodeShouldRunDaemonPod;
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  const templateGeneration = getTemplateGeneration(ds);
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  for (const node of nodes) {
    const { shouldRun } = placement(node, ds);
    const pods = nodeToDaemonPods.get(node.metadata.name ?? '') ?? [];
    if (!shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (pods.length === 0) continue;
    current++;
    const oldest = pods.length === 1 ? pods[0]! : [...pods].sort(compareDaemonPods)[0]!;
    if (isPodReady(oldest)) {
      ready++;
      if (isPodAvailable(oldest, minReadySeconds, now)) available++;
    }
    if (isPodUpdated(oldest, hash, templateGeneration)) updated++;
  }
  const updateObservedGeneration = input.updateObservedGeneration ?? true;
  const observedGeneration = updateObservedGeneration ? ds.metadata.generation : ds.status?.observedGeneration;
  const status: DaemonSetStatusCounters = {
    desiredNumberScheduled: desired,
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    numberAvailable: available,
    numberUnavailable: desired - available,
    updatedNumberScheduled: updated,
  };
  if (observedGeneration !== undefined) status.observedGeneration = observedGeneration;
  return status;
}
