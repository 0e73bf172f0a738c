/**
 * The arithmetic of a PodDisruptionBudget's status, as pure functions of the budget, its pods and the
 * time: how many pods are expected, how many must stay healthy, how many are healthy, which recent
 * evictions still count, and the status that follows.
 *
 * Upstream: getExpectedPodCount, getExpectedScale, countHealthyPods, buildDisruptedPodMap, failSafe and
 * updatePdbStatus in pkg/controller/disruption/disruption.go; GetScaledValueFromIntOrPercent in
 * k8s.io/apimachinery/pkg/util/intstr.
 */

import {
  disruptionAllowedCondition,
  disruptionTargetCondition,
  conditionsAreUpToDate,
  isPodReady,
  setStatusCondition,
  syncFailedReason,
  updateDisruptionAllowedCondition,
  type PodDisruptionBudgetStatus,
} from '../../api/disruption.js';
import type { IntOrString, LabelSelector, OwnerReference, Pod, PodDisruptionBudget } from '../../api/types.js';

/**
 * How long an eviction granted by the API server (an entry in `status.disruptedPods`) counts the pod as
 * gone while the pod is not yet marked for deletion. Past it, the pod is assumed to stay.
 */
export const deletionTimeoutMs = 2 * 60_000;

/** How long a pod may carry DisruptionTarget=True without being deleted before the condition is reset. */
export const stalePodDisruptionTimeoutMs = 2 * 60_000;

/** The reason the kubelet gives its own DisruptionTarget conditions; those are never stale. */
const terminationByKubeletReason = 'TerminationByKubelet';

/** A pod's controller and how many pods it wants (its scale). */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/**
 * Finds the scale of the controller a pod names in its controller reference. Returns `undefined` when the
 * reference points at no such controller; throws when the scale cannot be had at all (the message becomes
 * the budget's SyncFailed condition).
 */
export type ScaleFinder = (controllerRef: OwnerReference, namespace: string) => ControllerScale | undefined;

export interface ExpectedPodCount {
  /** The pods the budget counts (`status.expectedPods`). */
  expectedCount: number;
  /** The fewest healthy pods the budget requires (`status.desiredHealthy`). */
  desiredHealthy: number;
  /** Names of selected pods without a controller, which a scale-based budget cannot account for. */
  unmanagedPods: string[];
}

/** The controller reference of an object: its ownerReference with `controller: true`. */
export function getControllerOf(pod: Pod): OwnerReference | undefined {
  return pod.metadata.ownerReferences?.find((ref) => ref.controller);
}

/**
 * An int-or-percent out of `total`: an integer as it is, `"N%"` as N% of `total`, rounded up when
 * `roundUp` (the disruption controller always rounds up). Throws on malformed values, with upstream's words.
 */
export function getScaledValueFromIntOrPercent(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = value.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(digits)) throw new Error(`invalid value for IntOrString: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`);
  const scaled = (Number(digits) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * The expected pod count, for budgets that need it: the sum of the scales of the selected pods'
 * controllers (each counted once). Pods without a controller are reported, not counted. Throws when a
 * controller's scale cannot be found.
 */
export function getExpectedScale(pods: readonly Pod[], findScale: ScaleFinder): { expectedCount: number; unmanagedPods: string[] } {
  const controllerScale = new Map<string, number>();
  const unmanagedPods: string[] = [];
  for (const pod of pods) {
    const controllerRef = getControllerOf(pod);
    if (!controllerRef) {
      unmanagedPods.push(pod.metadata.name ?? '');
      continue;
    }
    if (controllerScale.has(controllerRef.uid)) continue;
    const found = findScale(controllerRef, pod.metadata.namespace ?? '');
    if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata.name ?? '')}`);
    controllerScale.set(found.uid, found.scale);
  }
  let expectedCount = 0;
  for (const scale of controllerScale.values()) expectedCount += scale;
  return { expectedCount, unmanagedPods };
}

/**
 * How many pods the budget expects and how many of them must be healthy:
 * - `maxUnavailable` (number or percentage): expected = the controllers' scale; desired = expected − the
 *   (rounded-up) bound, at least 0;
 * - `minAvailable` as a number: expected = the selected pods; desired = the number;
 * - `minAvailable` as a percentage: expected = the controllers' scale; desired = the rounded-up share;
 * - neither: 0 and 0.
 * Throws when a needed scale cannot be found.
 */
export function getExpectedPodCount(pdb: PodDisruptionBudget, pods: readonly Pod[], findScale: ScaleFinder): ExpectedPodCount {
  const spec = pdb.spec ?? {};
  const has = (value: unknown) => value !== undefined && value !== null;
  if (has(spec.maxUnavailable)) {
    const { expectedCount, unmanagedPods } = getExpectedScale(pods, findScale);
    const maxUnavailable = getScaledValueFromIntOrPercent(spec.maxUnavailable!, expectedCount, true);
    return { expectedCount, desiredHealthy: Math.max(0, expectedCount - maxUnavailable), unmanagedPods };
  }
  if (has(spec.minAvailable)) {
    if (typeof spec.minAvailable === 'number') return { expectedCount: pods.length, desiredHealthy: spec.minAvailable, unmanagedPods: [] };
    const { expectedCount, unmanagedPods } = getExpectedScale(pods, findScale);
    const desiredHealthy = getScaledValueFromIntOrPercent(spec.minAvailable!, expectedCount, true);
    return { expectedCount, desiredHealthy, unmanagedPods };
  }
  return { expectedCount: 0, desiredHealthy: 0, unmanagedPods: [] };
}

export interface DisruptedPodMap {
  /** The entries of `status.disruptedPods` that still count. */
  disruptedPods: Record<string, string>;
  /** When the earliest kept entry expires (ms): the budget must be synced again then. */
  recheckAtMs?: number;
  /** Pods whose eviction was granted but that were not deleted in time (each gets a NotDeleted event). */
  notDeleted: Pod[];
}

/**
 * Which evictions recorded in `status.disruptedPods` still count: entries for selected pods that are not
 * yet marked for deletion and whose eviction is younger than {@link deletionTimeoutMs}. Entries for pods
 * that are gone or being deleted are dropped (the pod itself now tells the story).
 */
export function buildDisruptedPodMap(pods: readonly Pod[], recorded: Record<string, string> | undefined, nowMs: number): DisruptedPodMap {
  const result: DisruptedPodMap = { disruptedPods: {}, notDeleted: [] };
  if (!recorded) return result;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name ?? '';
    if (!Object.hasOwn(recorded, name)) continue;
    const disruptedAt = Date.parse(recorded[name]!);
    const expectedDeletion = disruptedAt + deletionTimeoutMs;
    if (expectedDeletion < nowMs) {
      result.notDeleted.push(pod);
      continue;
    }
    if (result.recheckAtMs === undefined || expectedDeletion < result.recheckAtMs) result.recheckAtMs = expectedDeletion;
    result.disruptedPods[name] = recorded[name]!;
  }
  return result;
}

/** Selected pods that are Ready, not being deleted, and not just granted an eviction. */
export function countHealthyPods(pods: readonly Pod[], disruptedPods: Record<string, string>, nowMs: number): number {
  let healthy = 0;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    const name = pod.metadata.name ?? '';
    if (Object.hasOwn(disruptedPods, name) && Date.parse(disruptedPods[name]!) + deletionTimeoutMs > nowMs) continue;
    if (isPodReady(pod)) healthy++;
  }
  return healthy;
}

/**
 * Evictions allowed now: the healthy pods beyond the desired ones, and none while the budget expects no
 * pods (so a budget whose pods appear before its first sync is safe).
 */
export function disruptionsAllowed(currentHealthy: number, desiredHealthy: number, expectedCount: number): number {
  const allowed = currentHealthy - desiredHealthy;
  return expectedCount <= 0 || allowed <= 0 ? 0 : allowed;
}

export interface BudgetCounts {
  currentHealthy: number;
  desiredHealthy: number;
  expectedCount: number;
  disruptedPods: Record<string, string>;
}

/**
 * The status the budget should have for `counts`, or `undefined` when it already has it (so no write is
 * needed). The DisruptionAllowed condition follows `disruptionsAllowed`; other conditions are kept.
 */
export function nextBudgetStatus(pdb: PodDisruptionBudget, counts: BudgetCounts, now: string): PodDisruptionBudgetStatus | undefined {
  const allowed = disruptionsAllowed(counts.currentHealthy, counts.desiredHealthy, counts.expectedCount);
  const status = pdb.status;
  const generation = pdb.metadata.generation ?? 0;
  if (
    status &&
    status.currentHealthy === counts.currentHealthy &&
    status.desiredHealthy === counts.desiredHealthy &&
    status.expectedPods === counts.expectedCount &&
    status.disruptionsAllowed === allowed &&
    sameDisruptedPods(status.disruptedPods, counts.disruptedPods) &&
    (status.observedGeneration ?? 0) === generation &&
    conditionsAreUpToDate(pdb)
  ) {
    return undefined;
  }
  const next: PodDisruptionBudgetStatus = {
    ...(generation ? { observedGeneration: generation } : {}),
    ...(Object.keys(counts.disruptedPods).length ? { disruptedPods: counts.disruptedPods } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedCount,
    conditions: status?.conditions ?? [],
  };
  return updateDisruptionAllowedCondition(next, now);
}

/**
 * The status written when a sync fails: no evictions allowed, DisruptionAllowed=False with reason
 * SyncFailed and the error as its message; the other fields stay as they were ("fail closed" for
 * evictions, as upstream's failSafe).
 */
export function failSafeStatus(pdb: PodDisruptionBudget, message: string, now: string): PodDisruptionBudgetStatus {
  const status: PodDisruptionBudgetStatus = pdb.status ?? { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
  const conditions = setStatusCondition(
    status.conditions,
    { type: disruptionAllowedCondition, status: 'False', reason: syncFailedReason, message, observedGeneration: status.observedGeneration },
    now,
  );
  return { ...status, disruptionsAllowed: 0, conditions };
}

/**
 * Whether the pod carries a DisruptionTarget=True condition that nobody acted on (it is not being
 * deleted), and how long until that condition counts as stale. The kubelet's own conditions and terminal
 * pods are left alone.
 */
export function staleDisruptionCondition(pod: Pod, nowMs: number): { stale: boolean; cleanAfterMs: number } {
  if (pod.metadata.deletionTimestamp) return { stale: false, cleanAfterMs: 0 };
  const condition = pod.status?.conditions?.find((c) => c.type === disruptionTargetCondition);
  const phase = pod.status?.phase;
  if (!condition || condition.status !== 'True' || condition.reason === terminationByKubeletReason || phase === 'Succeeded' || phase === 'Failed') {
    return { stale: false, cleanAfterMs: 0 };
  }
  const since = condition.lastTransitionTime ? Date.parse(condition.lastTransitionTime) : Number.NaN;
  const elapsed = Number.isNaN(since) ? Number.POSITIVE_INFINITY : nowMs - since;
  return { stale: true, cleanAfterMs: Math.max(0, stalePodDisruptionTimeoutMs - elapsed) };
}

function sameDisruptedPods(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const aKeys = Object.keys(a ?? {});
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && Date.parse(a![key]!) === Date.parse(b[key]!));
}

/**
 * A label selector as Go prints a `*metav1.LabelSelector` with `%v` (its generated String method), for the
 * UnmanagedPods event: `&LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}`.
 */
export function goLabelSelectorString(selector: LabelSelector | undefined): string {
  if (!selector) return 'nil';
  const labels = selector.matchLabels ?? {};
  const labelText = Object.keys(labels)
    .sort()
    .map((key) => `${key}: ${labels[key]},`)
    .join('');
  const expressions = (selector.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('');
  return `&LabelSelector{MatchLabels:map[string]string{${labelText}},MatchExpressions:[]LabelSelectorRequirement{${expressions}},}`;
}

/** The UnmanagedPods warning: selected pods without a controller make a scale-based status unreliable. */
export function unmanagedPodsMessage(pdb: PodDisruptionBudget): string {
  return (
    `Pods selected by this PodDisruptionBudget (selector: ${goLabelSelectorString(pdb.spec?.selector)}) were found ` +
    'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. ' +
    'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.'
  );
}
