/**
 * policy/v1 kinds: PodDisruptionBudget, and Eviction (the pods/eviction body).
 */
import { Condition, DeleteOptions, LabelSelector, kindOf } from './meta.js';
import { arrayOf, field, int32, int64, intOrString, keyedBy, mapOf, obj, time, typedStr } from './dsl.js';

const policy = (type: string): string => `io.k8s.api.policy.v1.${type}`;
const gvk = (kind: string) => ({ group: 'policy', version: 'v1', kind });

export const PodDisruptionBudgetSpec = obj(policy('PodDisruptionBudgetSpec'), 'How many selected pods voluntary disruptions must leave running.', {
  maxUnavailable: field(intOrString, 'Evictions are allowed while at most this many (or this percentage of) selected pods are unavailable.'),
  minAvailable: field(intOrString, 'Evictions are allowed while at least this many (or this percentage of) selected pods stay available.'),
  selector: field(LabelSelector, 'Pods the budget covers; an empty selector covers every pod in the namespace.', { patchStrategy: 'replace' }),
  unhealthyPodEvictionPolicy: field(
    typedStr('v1.UnhealthyPodEvictionPolicyType', ['AlwaysAllow', 'IfHealthyBudget']),
    'When running but not-ready pods may be evicted: IfHealthyBudget (default) or AlwaysAllow.',
  ),
});

export const PodDisruptionBudgetStatus = obj(policy('PodDisruptionBudgetStatus'), 'Observed state of a disruption budget.', {
  conditions: field(arrayOf(Condition), 'Current conditions, such as DisruptionAllowed.', keyedBy('type')),
  currentHealthy: field(int32, 'Selected pods that are healthy now.', { required: true }),
  desiredHealthy: field(int32, 'Fewest healthy pods the budget requires.', { required: true }),
  disruptedPods: field(mapOf(time), 'Pods evicted but not yet gone, with when the eviction was granted.'),
  disruptionsAllowed: field(int32, 'Evictions currently allowed.', { required: true }),
  expectedPods: field(int32, 'Pods the budget counts.', { required: true }),
  observedGeneration: field(int64, 'Latest metadata.generation the status reflects.'),
});

export const PodDisruptionBudget = kindOf(gvk('PodDisruptionBudget'), policy('PodDisruptionBudget'), 'Limits how many pods of a set voluntary disruptions may take down at once.', {
  spec: field(PodDisruptionBudgetSpec, 'Desired budget.'),
  status: field(PodDisruptionBudgetStatus, 'Observed state; set by the system.'),
});

export const Eviction = kindOf(gvk('Eviction'), policy('Eviction'), 'Asks to evict a pod, subject to disruption budgets; the body of a pods/eviction request.', {
  deleteOptions: field(DeleteOptions, 'Options for deleting the pod.'),
});
