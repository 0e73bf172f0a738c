/**
 * What the disruption controller and the eviction subresource agree on about PodDisruptionBudgets: the
 * DisruptionAllowed condition and its reasons, how a `metav1.Condition` list is updated, and what makes a
 * pod healthy. Both sides write the condition, so both must write it the same way.
 *
 * Upstream: k8s.io/component-helpers/apps/poddisruptionbudget (UpdateDisruptionAllowedCondition,
 * ConditionsAreUpToDate), SetStatusCondition in k8s.io/apimachinery/pkg/api/meta/conditions.go, the
 * constants in k8s.io/api/policy/v1/types.go and IsPodReady in pkg/api/v1/pod/util.go.
 */

import type { Condition, Pod, PodDisruptionBudget } from './types.js';

/** The PodDisruptionBudget condition that says whether evictions are allowed now. */
export const disruptionAllowedCondition = 'DisruptionAllowed';
/** DisruptionAllowed=True: enough healthy pods to allow at least one eviction. */
export const sufficientPodsReason = 'SufficientPods';
/** DisruptionAllowed=False: the budget allows no eviction now. */
export const insufficientPodsReason = 'InsufficientPods';
/** DisruptionAllowed=False: the controller could not compute the status (the message says why). */
export const syncFailedReason = 'SyncFailed';
/** The StatusCause type of a 429 from the eviction subresource. */
export const disruptionBudgetCause = 'DisruptionBudget';

/** The pod condition that marks a pod about to be disrupted (evicted, preempted, ...). */
export const disruptionTargetCondition = 'DisruptionTarget';

/** `PodDisruptionBudget.status` as both writers handle it. */
export type PodDisruptionBudgetStatus = NonNullable<PodDisruptionBudget['status']>;

export { rfc3339Seconds } from './time.js';

/** Whether the pod's `Ready` condition is `True`: the eviction API's and the controller's "healthy". */
export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((condition) => condition.type === 'Ready' && condition.status === 'True') ?? false;
}

/** A `metav1.Condition` as written: `message` and `reason` are always present (possibly empty). */
export interface StatusCondition {
  type: string;
  status: Condition['status'];
  reason: string;
  message: string;
  observedGeneration?: number;
}

/**
 * `conditions` with `next` set, as upstream's SetStatusCondition does: a new condition is appended with
 * `lastTransitionTime = now`; an existing one keeps its transition time unless its status changes, and
 * takes the new reason, message and observedGeneration. Returns a new list; the input is not touched.
 */
export function setStatusCondition(conditions: readonly Condition[] | undefined, next: StatusCondition, now: string): Condition[] {
  const result = [...(conditions ?? [])];
  const index = result.findIndex((c) => c.type === next.type);
  const written: Condition = {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration ? { observedGeneration: next.observedGeneration } : {}),
    lastTransitionTime: now,
    reason: next.reason,
    message: next.message,
  };
  if (index < 0) {
    result.push(written);
    return result;
  }
  const existing = result[index]!;
  if (existing.status === next.status && existing.lastTransitionTime) written.lastTransitionTime = existing.lastTransitionTime;
  result[index] = written;
  return result;
}

/**
 * `status` with the DisruptionAllowed condition matching `status.disruptionsAllowed`: True/SufficientPods
 * when it is positive, False/InsufficientPods otherwise, observed at `status.observedGeneration`.
 */
export function updateDisruptionAllowedCondition(status: PodDisruptionBudgetStatus, now: string): PodDisruptionBudgetStatus {
  const allowed = status.disruptionsAllowed > 0;
  const conditions = setStatusCondition(
    status.conditions,
    {
      type: disruptionAllowedCondition,
      status: allowed ? 'True' : 'False',
      reason: allowed ? sufficientPodsReason : insufficientPodsReason,
      message: '',
      observedGeneration: status.observedGeneration,
    },
    now,
  );
  return { ...status, conditions };
}

/**
 * Whether the budget's DisruptionAllowed condition already says what `disruptionsAllowed` implies and the
 * status observed the current generation.
 */
export function conditionsAreUpToDate(pdb: PodDisruptionBudget): boolean {
  const status = pdb.status;
  const condition = status?.conditions?.find((c) => c.type === disruptionAllowedCondition);
  if (!status || !condition) return false;
  if ((status.observedGeneration ?? 0) !== (pdb.metadata.generation ?? 0)) return false;
  if (status.disruptionsAllowed > 0) return condition.status === 'True' && condition.reason === sufficientPodsReason;
  return condition.status === 'False' && condition.reason === insufficientPodsReason;
}
