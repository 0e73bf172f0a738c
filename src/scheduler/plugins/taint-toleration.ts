/**
 * TaintToleration: the node must carry no NoSchedule or NoExecute taint the pod does not tolerate.
 * PreferNoSchedule only affects scoring.
 *
 * Upstream: `pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go` and
 * `FindMatchingUntoleratedTaint` in `staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go`.
 */
import type { Pod, Taint, Toleration } from '../../api/types.js';
import { fits, tolerationsTolerateTaint, unresolvable, type FilterPlugin, type FilterResult, type NodeInfo } from '../framework.js';

/** `node(s) had untolerated taint {<key>: <value>}`, exactly as upstream prints it (empty value included). */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** The first taint, in node order, that blocks scheduling and is not tolerated. */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  return (taints ?? []).find(
    (taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerationsTolerateTaint(tolerations, taint),
  );
}

export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const taint = findUntoleratedTaint(nodeInfo.node.spec?.taints, pod.spec.tolerations);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : fits;
  },
};
