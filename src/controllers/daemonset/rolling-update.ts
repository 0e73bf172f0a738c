/**
 * Rolling updates, as pure planning: the budgets (`maxUnavailable`, `maxSurge`) scaled against the number of
 * nodes that want a pod, and, from the node → pods map, the old pods to delete and the nodes that get a new
 * pod next to their old one. `sync.ts` carries a plan out through syncNodes.
 *
 * Upstream: rollingUpdate, findUpdatedPodsOnNode and updatedDesiredNodeCounts in
 * pkg/controller/daemon/update.go; SurgeCount, UnavailableCount and AllowsSurge in
 * pkg/controller/daemon/util/daemonset_util.go; GetScaledValueFromIntOrPercent in apimachinery's
 * pkg/util/intstr. See shared/reference/daemonset-semantics.md §§2.4, 5.
 */

import type { DaemonSet, IntOrString, Node, Pod } from '../../api/types.js';
import { nodeShouldRunDaemonPod, type PlacementFunc } from './placement.js';
import { getTemplateGeneration } from './pod-template.js';
import { isPodAvailable, isPodUpdated } from './status.js';

/** A budget that cannot be read (only an object stored without validation has one). */
export class InvalidBudgetError extends Error {
  override readonly name = 'InvalidBudgetError';
}

const goIntPattern = /^[+-]?[0-9]+$/;

/**
 * The number an int-or-percent budget stands for out of `total`: an integer as it is; a percentage string
 * (`"25%"`) as that share of `total`, rounded up when `roundUp` is set and down otherwise. Throws an
 * {@link InvalidBudgetError} for an absent value, a string without a trailing `%`, or a percentage that is
 * not an integer, with upstream's wording.
 *
 * @example
 * getScaledValueFromIntOrPercent('25%', 5, true); // 2
 */
export function getScaledValueFromIntOrPercent(value: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (value === undefined || value === null) throw new InvalidBudgetError('nil value for IntOrString');
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new InvalidBudgetError('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!goIntPattern.test(digits)) throw new InvalidBudgetError(`invalid value for IntOrString: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * How many nodes may run an extra (new) pod next to their old one at once, out of `numberToSchedule`: 0 unless
 * the strategy is RollingUpdate with a `maxSurge`; percentages round up. Throws {@link InvalidBudgetError}.
 */
export function surgeCount(ds: DaemonSet, numberToSchedule: number): number {
  const strategy = ds.spec.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || !strategy.rollingUpdate) return 0;
  const maxSurge = strategy.rollingUpdate.maxSurge;
  if (maxSurge === undefined || maxSurge === null) return 0;
  return getScaledValueFromIntOrPercent(maxSurge, numberToSchedule, true);
}

/**
 * How many nodes may be without an available pod at once, out of `numberToSchedule`: 0 unless the strategy is
 * RollingUpdate; percentages round up. An absent `maxUnavailable` under RollingUpdate (defaulting bypassed)
 * throws {@link InvalidBudgetError}, as upstream.
 */
export function unavailableCount(ds: DaemonSet, numberToSchedule: number): number {
  const strategy = ds.spec.updateStrategy;
  if (strategy?.type !== 'RollingUpdate' || !strategy.rollingUpdate) return 0;
  return getScaledValueFromIntOrPercent(strategy.rollingUpdate.maxUnavailable, numberToSchedule, true);
}

/** Whether the DaemonSet allows a second pod on a node (its `maxSurge` out of one node is above 0). */
export function allowsSurge(ds: DaemonSet): boolean {
  try {
    return surgeCount(ds, 1) > 0;
  } catch {
    return false;
  }
}

/** What {@link updatedDesiredNodeCounts} works out. */
export interface DesiredNodeCounts {
  maxSurge: number;
  maxUnavailable: number;
  /** Nodes where the DaemonSet should run. */
  desiredNumberScheduled: number;
  /** Their names. Those missing from the node → pods map are the empty nodes. */
  desiredNodes: Set<string>;
}

/**
 * The budgets of a rolling update: `maxUnavailable` and `maxSurge` scaled (rounding up) against the number of
 * nodes where the DaemonSet should run. When there are such nodes and both budgets come out as 0 (an object
 * written without validation), `maxUnavailable` is taken as 1 so the update still moves. Throws
 * {@link InvalidBudgetError} naming the unreadable budget. Pure.
 */
export function updatedDesiredNodeCounts(ds: DaemonSet, nodes: readonly Node[], placement: PlacementFunc = nodeShouldRunDaemonPod): DesiredNodeCounts {
  const desiredNodes = new Set<string>();
  for (const node of nodes) {
    if (placement(node, ds).shouldRun) desiredNodes.add(node.metadata.name ?? '');
  }
  const desiredNumberScheduled = desiredNodes.size;
  let maxUnavailable: number;
  try {
    maxUnavailable = unavailableCount(ds, desiredNumberScheduled);
  } catch (error) {
    throw new InvalidBudgetError(`invalid value for MaxUnavailable: ${(error as Error).message}`);
  }
  let maxSurge: number;
  try {
    maxSurge = surgeCount(ds, desiredNumberScheduled);
  } catch (error) {
    throw new InvalidBudgetError(`invalid value for MaxSurge: ${(error as Error).message}`);
  }
  if (desiredNumberScheduled > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, desiredNumberScheduled, desiredNodes };
}

/** The pods of one node, split by {@link findUpdatedPodsOnNode}. */
export interface UpdatedPodsOnNode {
  newPod?: Pod;
  oldPod?: Pod;
  /** False when the node has more than one new or more than one old pod (manage prunes it first). */
  ok: boolean;
}

/**
 * Looks at the node's pods not marked for deletion and finds its new pod (hash or template generation
 * current) and its old pod. More than one of either kind makes the node not `ok`.
 */
export function findUpdatedPodsOnNode(pods: readonly Pod[], hash: string, templateGeneration: bigint | undefined): UpdatedPodsOnNode {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, templateGeneration)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/** Input of {@link planRollingUpdate}. */
export interface RollingUpdateInput {
  ds: DaemonSet;
  /** Every node in the cache. */
  nodes: readonly Node[];
  /** The DaemonSet's pods by target node (getNodesToDaemonPods). */
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>;
  /** The current revision hash. */
  hash: string;
  now: Date;
  /** @default nodeShouldRunDaemonPod */
  placement?: PlacementFunc;
}

/** One step of a rolling update. */
export interface RollingUpdatePlan {
  podsToDelete: Pod[];
  /** Nodes that get a new pod now (surge only; without surge manage creates replacements). */
  nodesNeedingDaemonPods: string[];
}

/**
 * Plans one step of a rolling update: {@link planUnavailableUpdate} when `maxSurge` is 0, otherwise
 * {@link planSurgeUpdate}. Nodes are visited in map order, then the desired nodes without pods; upstream walks a
 * Go map, so which nodes go first is unspecified, but how many never depends on the order. Pure when
 * `placement` is; throws {@link InvalidBudgetError} for an unreadable budget.
 */
export function planRollingUpdate(input: RollingUpdateInput): RollingUpdatePlan {
  const counts = updatedDesiredNodeCounts(input.ds, input.nodes, input.placement);
  return counts.maxSurge === 0 ? planUnavailableUpdate(input, counts) : planSurgeUpdate(input, counts);
}

/** Calls `visit` for every node of the map, then with no pods for every desired node missing from it. */
function forEachNode(
  nodeToDaemonPods: ReadonlyMap<string, readonly Pod[]>,
  desiredNodes: ReadonlySet<string>,
  visit: (nodeName: string, pods: readonly Pod[]) => void,
): void {
  for (const [nodeName, pods] of nodeToDaemonPods) visit(nodeName, pods);
  for (const nodeName of desiredNodes) if (!nodeToDaemonPods.has(nodeName)) visit(nodeName, []);
}

/**
 * The step without surge: delete old pods so that at most `maxUnavailable` nodes are without an available pod;
 * manage creates the replacements once the old pods are gone.
 *
 * A node counts as unavailable when it has several new or several old pods (manage prunes it), no pod, an old
 * and a new pod, or only a new pod that is not available. An old pod that is not available is deleted whatever
 * the budget (it gives nothing); an available old pod is a candidate, and the first `maxUnavailable −
 * unavailable` candidates are deleted.
 */
export function planUnavailableUpdate(input: RollingUpdateInput, counts: DesiredNodeCounts): RollingUpdatePlan {
  const { ds, nodeToDaemonPods, hash, now } = input;
  const { maxUnavailable } = counts;
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  const templateGeneration = getTemplateGeneration(ds);
  let numUnavailable = 0;
  const allowedReplacementPods: Pod[] = [];
  const candidatePodsToDelete: Pod[] = [];
  forEachNode(nodeToDaemonPods, counts.desiredNodes, (_nodeName, pods) => {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, templateGeneration);
    if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
      numUnavailable++;
    } else if (newPod) {
      if (!isPodAvailable(newPod, minReadySeconds, now)) numUnavailable++;
    } else if (!isPodAvailable(oldPod!, minReadySeconds, now)) {
      allowedReplacementPods.push(oldPod!);
      numUnavailable++;
    } else if (numUnavailable < maxUnavailable) {
      candidatePodsToDelete.push(oldPod!);
    }
  });
  const remainingUnavailable = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidatePodsToDelete.length);
  return { podsToDelete: [...allowedReplacementPods, ...candidatePodsToDelete.slice(0, remainingUnavailable)], nodesNeedingDaemonPods: [] };
}

/**
 * The step with surge (`maxUnavailable` is then 0): start new pods next to old ones, at most `maxSurge` nodes at
 * a time, and delete an old pod once the new pod beside it is available (manage's surge rule deletes it too).
 *
 * - Several new or several old pods on a node: it counts against the surge; skipped.
 * - Only a new pod: nothing to do.
 * - Only an old pod that is not available: a new pod is started at once (outside the budget), unless the
 *   DaemonSet should no longer run there, in which case the old pod is deleted.
 * - Only an old, available pod: on a node where the DaemonSet should no longer run it is deleted only while
 *   more nodes are available than desired (placement moving from one node to another keeps full
 *   availability); otherwise the node is a candidate for a new pod.
 * - An old and a new pod: the old one is deleted once the new one is available; until then the node counts
 *   against the surge.
 *
 * A node missing from the node list counts as one where the DaemonSet should no longer run (upstream fails the
 * step until the pod garbage collector has removed its pods; see docs/differences.md).
 */
export function planSurgeUpdate(input: RollingUpdateInput, counts: DesiredNodeCounts): RollingUpdatePlan {
  const { ds, nodeToDaemonPods, hash, now } = input;
  const { maxSurge, desiredNodes, desiredNumberScheduled } = counts;
  const minReadySeconds = ds.spec.minReadySeconds ?? 0;
  const templateGeneration = getTemplateGeneration(ds);
  const oldPodsToDelete: Pod[] = [];
  const shouldNotRunPodsToDelete: Pod[] = [];
  const allowedNewNodes: string[] = [];
  const candidateNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  forEachNode(nodeToDaemonPods, desiredNodes, (nodeName, pods) => {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(pods, hash, templateGeneration);
    if (!ok) {
      numSurge++;
      return;
    }
    // Availability is counted on every node, including those being sunset.
    const oldAvailable = oldPod !== undefined && isPodAvailable(oldPod, minReadySeconds, now);
    if (oldPod ? oldAvailable : newPod !== undefined && isPodAvailable(newPod, minReadySeconds, now)) numAvailable++;
    if (!oldPod) return;
    if (!newPod) {
      const shouldRun = desiredNodes.has(nodeName);
      if (!oldAvailable) {
        if (shouldRun) allowedNewNodes.push(nodeName);
        else oldPodsToDelete.push(oldPod);
      } else if (!shouldRun) {
        shouldNotRunPodsToDelete.push(oldPod);
      } else if (numSurge < maxSurge) {
        candidateNewNodes.push(nodeName);
      }
      return;
    }
    if (!isPodAvailable(newPod, minReadySeconds, now)) numSurge++;
    else oldPodsToDelete.push(oldPod);
  });
  const deletable = Math.min(numAvailable - desiredNumberScheduled, shouldNotRunPodsToDelete.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRunPodsToDelete.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesNeedingDaemonPods: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}
