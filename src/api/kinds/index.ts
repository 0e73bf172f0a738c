/**
 * Per-kind defaulting and validation, looked up by API group and kind.
 *
 * The API server asks `rulesFor(group, kind)` for every write and applies the rules in the order
 * `KindRules` documents. Each kind's rules live in their own file and follow upstream Kubernetes
 * (field paths and messages verbatim, because kubectl prints them); this table only routes.
 *
 * @example
 * const rules = rulesFor('apps', 'DaemonSet');
 * rules.applyDefaults(ds);
 * const errors = rules.validateCreate(ds);
 * if (errors.length > 0) throw invalid('DaemonSet', 'apps', ds.metadata.name ?? '', errors);
 */

import type { KubeObject } from '../types.js';
import { configMapRules, secretRules, serviceAccountRules } from './configmap.js';
import { controllerRevisionRules } from './controllerrevision.js';
import { daemonSetRules } from './daemonset.js';
import { eventRules } from './event.js';
import { leaseRules } from './lease.js';
import { namespaceRules } from './namespace.js';
import { nodeRules } from './node.js';
import { podRules } from './pod.js';
import { podDisruptionBudgetRules } from './poddisruptionbudget.js';
import { priorityClassRules } from './priorityclass.js';
import type { KindRules } from './rules.js';

export type { KindRules } from './rules.js';

/** Rules that change nothing and accept everything: what unknown kinds get. */
export const noRules: KindRules = {
  applyDefaults: () => {},
  validateCreate: () => [],
  validateUpdate: () => [],
};

const rulesByGroupKind = new Map<string, KindRules>([
  ['/Pod', podRules as KindRules],
  ['/Node', nodeRules as KindRules],
  ['/Namespace', namespaceRules as KindRules],
  ['/Event', eventRules as KindRules],
  ['/ConfigMap', configMapRules as KindRules],
  ['/Secret', secretRules as KindRules],
  ['/ServiceAccount', serviceAccountRules as KindRules],
  ['apps/DaemonSet', daemonSetRules as KindRules],
  ['apps/ControllerRevision', controllerRevisionRules as KindRules],
  ['coordination.k8s.io/Lease', leaseRules as KindRules],
  ['scheduling.k8s.io/PriorityClass', priorityClassRules as KindRules],
  ['policy/PodDisruptionBudget', podDisruptionBudgetRules as KindRules],
]);

/**
 * The rules for objects of `kind` in API `group` (`''` for the core group), or {@link noRules} for
 * kinds without any. The version does not matter: everynode serves one version per group.
 */
export function rulesFor(group: string, kind: string): KindRules {
  return rulesByGroupKind.get(`${group}/${kind}`) ?? noRules;
}

/** Whether `rulesFor(group, kind)` has real rules (not {@link noRules}). */
export function hasRulesFor(group: string, kind: string): boolean {
  return rulesByGroupKind.has(`${group}/${kind}`);
}

/** Typed access to one kind's rules, for callers that know the object type. */
export function typedRulesFor<T extends KubeObject>(group: string, kind: string): KindRules<T> {
  return rulesFor(group, kind) as unknown as KindRules<T>;
}

export { setDefaultsDaemonSet, validateDaemonSet, validateDaemonSetSpec, validateDaemonSetStatusUpdate, validateDaemonSetUpdate } from './daemonset.js';
export { setDefaultsPod, setDefaultsPodSpec, setDefaultsPodTemplateSpec } from './pod-defaults.js';
export { validatePodCreate, validatePodStatusUpdate, validatePodUpdate } from './pod.js';
export { validatePodSpec, validatePodTemplateSpec } from './pod-spec.js';
export { validateTolerations } from './scheduling-constraints.js';
export { goStringSlice, invalidRendered, renderedFieldError } from './go-format.js';
