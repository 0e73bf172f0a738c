/**
 * The tolerations every daemon pod carries, whatever its template says.
 *
 * Upstream: AddOrUpdateDaemonPodTolerations in pkg/controller/daemon/util/daemonset_util.go, and
 * AddOrUpdateTolerationInPodSpec in pkg/apis/core/v1/helper/helpers.go.
 */

import type { PodSpec, Toleration } from '../../api/types.js';

/** Taint keys the node-lifecycle controller and the kubelet put on nodes (`node.kubernetes.io/...`). */
export const taintNodeNotReady = 'node.kubernetes.io/not-ready';
export const taintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const taintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const taintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const taintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const taintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const taintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';

/**
 * The automatic tolerations for a pod spec, in the order they are merged. None has `tolerationSeconds`, so a
 * daemon pod is never evicted from a not-ready or unreachable node. The network-unavailable one is only for
 * `hostNetwork` pods, which do not need the pod network to work.
 */
export function daemonPodTolerations(spec: Pick<PodSpec, 'hostNetwork'>): Toleration[] {
  const tolerations: Toleration[] = [
    { key: taintNodeNotReady, operator: 'Exists', effect: 'NoExecute' },
    { key: taintNodeUnreachable, operator: 'Exists', effect: 'NoExecute' },
    { key: taintNodeDiskPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: taintNodeMemoryPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: taintNodePIDPressure, operator: 'Exists', effect: 'NoSchedule' },
    { key: taintNodeUnschedulable, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork === true) {
    tolerations.push({ key: taintNodeNetworkUnavailable, operator: 'Exists', effect: 'NoSchedule' });
  }
  return tolerations;
}

/**
 * Whether two tolerations are "the same toleration" for merging: equal key, operator, value and effect.
 * `tolerationSeconds` is not compared. Absent strings count as empty, as Go's zero values do; an absent
 * operator is not treated as `Equal` here, as upstream's MatchToleration compares the raw fields.
 */
function isSameToleration(a: Toleration, b: Toleration): boolean {
  return (
    (a.key ?? '') === (b.key ?? '') &&
    (a.operator ?? '') === (b.operator ?? '') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '')
  );
}

/**
 * Returns `tolerations` with `toleration` merged in: every entry that is the same toleration (see above) is
 * replaced, in place, by `toleration`; when none is, it is appended. The input array is not modified.
 */
export function addOrUpdateToleration(tolerations: readonly Toleration[], toleration: Toleration): Toleration[] {
  let replaced = false;
  const merged = tolerations.map((existing) => {
    if (!isSameToleration(existing, toleration)) return existing;
    replaced = true;
    return { ...toleration };
  });
  if (!replaced) merged.push({ ...toleration });
  return merged;
}

/**
 * Returns a copy of `spec` whose `tolerations` hold the template's own tolerations plus the automatic ones of
 * {@link daemonPodTolerations}. A template toleration identical to an automatic one (key, operator, value,
 * effect) is replaced by it, so a `tolerationSeconds` the user put there is dropped, as upstream does. Other
 * template tolerations keep their order; new ones follow them. `spec` itself is not modified (the copy is
 * shallow: other nested objects are shared).
 *
 * Called for the simulated pod (placement) and for every pod the controller creates.
 */
export function addOrUpdateDaemonPodTolerations<S extends PodSpec>(spec: S): S {
  let tolerations: Toleration[] = [...(spec.tolerations ?? [])];
  for (const toleration of daemonPodTolerations(spec)) {
    tolerations = addOrUpdateToleration(tolerations, toleration);
  }
  return { ...spec, tolerations };
}
