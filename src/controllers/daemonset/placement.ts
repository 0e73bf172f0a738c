/**
 * Which nodes a DaemonSet wants: the (node, DaemonSet) verdict the rest of the controller is built on.
 *
 * Upstream: NodeShouldRunDaemonPod, predicates and NewPod in pkg/controller/daemon/daemon_controller.go;
 * the taint helpers follow staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go and
 * ToleratesTaint in staging/src/k8s.io/api/core/v1/toleration.go.
 */

import type { DaemonSet, Node, Pod, PodSpec, Taint, Toleration } from '../../api/types.js';
import { matchesRequiredNodeAffinity } from './node-affinity.js';
import { addOrUpdateDaemonPodTolerations } from './tolerations.js';

/** The two answers for a (node, DaemonSet) pair. */
export interface NodePlacement {
  /** A daemon pod should be created on the node if none is there. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. Always true when `shouldRun` is. */
  shouldContinueRunning: boolean;
}

/** The outcome of each check of {@link predicates}. */
export interface PredicateResults {
  fitsNodeName: boolean;
  fitsNodeAffinity: boolean;
  fitsTaints: boolean;
}

/** Selects the taints a check looks at. */
export type TaintFilter = (taint: Taint) => boolean;

/**
 * Whether one toleration tolerates one taint. An empty effect matches every effect; an empty key matches every
 * key; `Exists` ignores the value, while `Equal` (also when the operator is absent) needs the same value.
 * `tolerationSeconds` plays no part. An unknown operator tolerates nothing.
 */
export function tolerationToleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** Whether any of `tolerations` tolerates `taint`. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((toleration) => tolerationToleratesTaint(toleration, taint));
}

/**
 * The first taint, among those `inclusionFilter` selects (all when absent), that no toleration tolerates, or
 * `undefined` when every selected taint is tolerated.
 */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  inclusionFilter: TaintFilter = () => true,
): Taint | undefined {
  return (taints ?? []).find((taint) => inclusionFilter(taint) && !tolerationsTolerateTaint(tolerations, taint));
}

/** Taints that keep pods from being scheduled: NoSchedule and NoExecute (PreferNoSchedule is only a hint). */
export const isSchedulingTaint: TaintFilter = (taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';

/** Taints that evict running pods: NoExecute. */
export const isExecutionTaint: TaintFilter = (taint) => taint.effect === 'NoExecute';

/**
 * The "simulated pod" the controller judges a node with: the template's metadata and spec, in the DaemonSet's
 * namespace, bound to `nodeName`, with the automatic daemon tolerations merged in. The DaemonSet is not
 * modified, but the result shares nested objects with its template: treat it as read-only.
 */
export function newPod(ds: DaemonSet, nodeName: string): Pod {
  const template = ds.spec.template;
  return { metadata: { ...template.metadata, namespace: ds.metadata.namespace }, spec: { ...daemonPodSpec(template.spec), nodeName } };
}

/**
 * The template's spec with the automatic tolerations, computed once per template object: a sync asks
 * for it once per node, and informer objects are never mutated, so identity is a safe cache key.
 */
const daemonPodSpecs = new WeakMap<PodSpec, PodSpec>();
function daemonPodSpec(templateSpec: PodSpec): PodSpec {
  let spec = daemonPodSpecs.get(templateSpec);
  if (!spec) daemonPodSpecs.set(templateSpec, (spec = addOrUpdateDaemonPodTolerations(templateSpec)));
  return spec;
}

/**
 * Runs the three checks the controller makes for `pod` on `node`: the pod's nodeName (empty, or this node),
 * its required node affinity including `nodeSelector`, and whether every NoSchedule/NoExecute taint in
 * `taints` is tolerated. Resources, ports and node conditions are left to the scheduler.
 */
export function predicates(pod: Pod, node: Node, taints: readonly Taint[] | undefined): PredicateResults {
  const nodeName = pod.spec.nodeName ?? '';
  return {
    fitsNodeName: nodeName === '' || nodeName === node.metadata.name,
    fitsNodeAffinity: matchesRequiredNodeAffinity(pod.spec, node),
    fitsTaints: findMatchingUntoleratedTaint(taints, pod.spec.tolerations, isSchedulingTaint) === undefined,
  };
}

/**
 * Decides whether `ds` wants a pod on `node`.
 *
 * - The template names another node, or the node fails `nodeSelector` / required node affinity:
 *   `{ shouldRun: false, shouldContinueRunning: false }`.
 * - Every NoSchedule and NoExecute taint is tolerated (counting the automatic tolerations): both true.
 * - Otherwise `shouldRun` is false, and `shouldContinueRunning` is true exactly when every NoExecute taint is
 *   tolerated: a new NoSchedule taint keeps existing pods, a NoExecute one removes them.
 *
 * Node conditions, `spec.unschedulable` and a node's `deletionTimestamp` are not looked at; they matter only
 * through taints, as upstream.
 *
 * @example
 * nodeShouldRunDaemonPod(node, ds); // { shouldRun: true, shouldContinueRunning: true }
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodePlacement {
  const nodeName = node.metadata.name ?? '';
  const templateNodeName = ds.spec.template.spec.nodeName ?? '';
  if (templateNodeName !== '' && templateNodeName !== nodeName) {
    return { shouldRun: false, shouldContinueRunning: false };
  }
  const pod = newPod(ds, nodeName);
  const taints = node.spec?.taints;
  const { fitsNodeName, fitsNodeAffinity, fitsTaints } = predicates(pod, node, taints);
  if (!fitsNodeName || !fitsNodeAffinity) return { shouldRun: false, shouldContinueRunning: false };
  if (!fitsTaints) {
    const untoleratedNoExecute = findMatchingUntoleratedTaint(taints, pod.spec.tolerations, isExecutionTaint);
    return { shouldRun: false, shouldContinueRunning: untoleratedNoExecute === undefined };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** Decides a (node, DaemonSet) pair; {@link nodeShouldRunDaemonPod} or a cache in front of it. */
export type PlacementFunc = (node: Node, ds: DaemonSet) => NodePlacement;

/**
 * Remembers {@link nodeShouldRunDaemonPod} per node object and DaemonSet generation. Informer objects are
 * replaced, never mutated, when they change, and every change of a DaemonSet's spec bumps its generation,
 * so a hit is always current; a sync then costs a lookup per node instead of a template walk.
 */
export class PlacementCache {
  private readonly byNode = new WeakMap<Node, Map<string, NodePlacement>>();
  /** The cache key of each DaemonSet object: a sync asks once per node, so it is built once per object. */
  private readonly keys = new WeakMap<DaemonSet, string>();

  readonly placement: PlacementFunc = (node, ds) => {
    let key = this.keys.get(ds);
    if (key === undefined) this.keys.set(ds, (key = `${ds.metadata.uid ?? ''}/${ds.metadata.generation ?? 0}`));
    let forNode = this.byNode.get(node);
    if (!forNode) this.byNode.set(node, (forNode = new Map()));
    let verdict = forNode.get(key);
    if (!verdict) forNode.set(key, (verdict = nodeShouldRunDaemonPod(node, ds)));
    return verdict;
  };
}
