/**
 * Preemption, the DefaultPreemption PostFilter: when a pod fits nowhere, find the nodes where evicting
 * pods of strictly lower priority would make room, choose victims on each (as few and as unimportant as
 * possible, sparing pods protected by a PodDisruptionBudget where it can), and pick the best node.
 * Everything here is pure; the scheduler carries the result out.
 *
 * Upstream: pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go (SelectVictimsOnNode,
 * PodEligibleToPreemptOthers) and pkg/scheduler/framework/preemption/preemption.go (DryRunPreemption,
 * pickOneNodeForPreemption, filterPodsWithPDBViolation).
 */
import { labelSelectorFromObject, matchesLabels } from '../api/labels.js';
import type { LabelSelector, Pod } from '../api/types.js';
import type { FilterPlugin, NodeInfo } from './framework.js';
import { newNodeInfo } from './framework.js';

/** What preemption needs of a PodDisruptionBudget. */
export interface DisruptionBudget {
  namespace: string;
  selector?: LabelSelector;
  disruptionsAllowed: number;
  /** Pods already counted as disrupted (status.disruptedPods). */
  disruptedPods: ReadonlySet<string>;
}

/** A node where preemption would let the pod fit, and who would have to go. */
export interface Candidate {
  nodeName: string;
  /** Most important first. */
  victims: Pod[];
  numPDBViolations: number;
}

export function podPriority(pod: Pod): number {
  return pod.spec.priority ?? 0;
}

function startTime(pod: Pod): number {
  const text = pod.status?.startTime ?? pod.metadata.creationTimestamp;
  return text ? Date.parse(text) : Number.MAX_SAFE_INTEGER;
}

/** Upstream's MoreImportantPod: higher priority first, then the one that started earlier. */
export function compareImportance(a: Pod, b: Pod): number {
  const byPriority = podPriority(b) - podPriority(a);
  return byPriority !== 0 ? byPriority : startTime(a) - startTime(b);
}

function fitsOn(pod: Pod, info: NodeInfo, plugins: readonly FilterPlugin[]): boolean {
  return plugins.every((plugin) => plugin.filter(pod, info).ok);
}

/**
 * Splits `pods` (most important first) into those whose eviction would violate a budget and those whose
 * would not, spending each matching budget's allowed disruptions along the way (upstream's
 * filterPodsWithPDBViolation).
 */
export function filterPodsWithPDBViolation(pods: readonly Pod[], budgets: readonly DisruptionBudget[]): { violating: Pod[]; nonViolating: Pod[] } {
  const allowed = budgets.map((budget) => budget.disruptionsAllowed);
  const violating: Pod[] = [];
  const nonViolating: Pod[] = [];
  for (const pod of pods) {
    let violates = false;
    budgets.forEach((budget, i) => {
      if (budget.namespace !== pod.metadata.namespace) return;
      const selector = labelSelectorFromObject(budget.selector);
      // An empty or nothing-selecting budget protects no pod.
      if (selector === 'nothing' || selector.length === 0 || !matchesLabels(selector, pod.metadata.labels)) return;
      // A pod the budget already counts as disrupted spends nothing more.
      if (budget.disruptedPods.has(pod.metadata.name ?? '')) return;
      allowed[i]! -= 1;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : nonViolating).push(pod);
  }
  return { violating, nonViolating };
}

/**
 * Upstream's SelectVictimsOnNode: take every lower-priority pod off the node; if the pod still does not
 * fit, the node is no candidate. Otherwise put pods back, most important first (budget-protected pods
 * before the others), keeping each one the pod can live with; the rest are the victims.
 */
export function selectVictimsOnNode(pod: Pod, info: NodeInfo, plugins: readonly FilterPlugin[], budgets: readonly DisruptionBudget[]): Candidate | undefined {
  const priority = podPriority(pod);
  const potential = info.pods.filter((other) => podPriority(other) < priority).sort(compareImportance);
  if (potential.length === 0) return undefined;
  let remaining = info.pods.filter((other) => podPriority(other) >= priority);
  if (!fitsOn(pod, newNodeInfo(info.node, remaining), plugins)) return undefined;

  const { violating, nonViolating } = filterPodsWithPDBViolation(potential, budgets);
  const victims: Pod[] = [];
  let numPDBViolations = 0;
  const reprieve = (candidate: Pod, violatesBudget: boolean) => {
    const withCandidate = [...remaining, candidate];
    if (fitsOn(pod, newNodeInfo(info.node, withCandidate), plugins)) {
      remaining = withCandidate;
      return;
    }
    victims.push(candidate);
    if (violatesBudget) numPDBViolations++;
  };
  for (const candidate of violating) reprieve(candidate, true);
  for (const candidate of nonViolating) reprieve(candidate, false);
  if (victims.length === 0) return undefined;
  victims.sort(compareImportance);
  return { nodeName: info.name, victims, numPDBViolations };
}

/** The candidates on `nodeInfos`, in their order (upstream's DryRunPreemption over every potential node). */
export function findCandidates(pod: Pod, nodeInfos: readonly NodeInfo[], plugins: readonly FilterPlugin[], budgets: readonly DisruptionBudget[]): Candidate[] {
  const candidates: Candidate[] = [];
  for (const info of nodeInfos) {
    const candidate = selectVictimsOnNode(pod, info, plugins, budgets);
    if (candidate) candidates.push(candidate);
  }
  return candidates;
}

/**
 * Upstream's pickOneNodeForPreemption: fewest budget violations; then the lowest highest-priority victim;
 * then the smallest sum of victim priorities; then the fewest victims; then the node whose most important
 * victims started latest; then the first.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  // Priorities may be negative: shift them so every term of a sum is positive, as upstream does.
  const shifted = (pod: Pod) => podPriority(pod) + 2 ** 31;
  const criteria: ((c: Candidate) => number)[] = [
    (c) => c.numPDBViolations,
    (c) => podPriority(c.victims[0]!),
    (c) => c.victims.reduce((sum, pod) => sum + shifted(pod), 0),
    (c) => c.victims.length,
    (c) => {
      const top = podPriority(c.victims[0]!);
      // Earliest start among the highest-priority victims; a later one is better, so negate it.
      return -Math.min(...c.victims.filter((pod) => podPriority(pod) === top).map(startTime));
    },
  ];
  let best = [...candidates];
  for (const score of criteria) {
    if (best.length <= 1) break;
    const lowest = Math.min(...best.map(score));
    best = best.filter((c) => score(c) === lowest);
  }
  return best[0];
}

/**
 * Upstream's PodEligibleToPreemptOthers: a pod with preemptionPolicy Never never preempts, and a pod that
 * already nominated a node where a lower-priority pod is still terminating waits for it instead of
 * preempting again. Returns the reason when not eligible.
 */
export function notEligibleToPreempt(pod: Pod, nominatedNode: NodeInfo | undefined): string | undefined {
  if (pod.spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  if (!nominatedNode) return undefined;
  const priority = podPriority(pod);
  if (nominatedNode.pods.some((other) => other.metadata.deletionTimestamp && podPriority(other) < priority)) {
    return 'not eligible due to a terminating pod on the nominated node.';
  }
  return undefined;
}
