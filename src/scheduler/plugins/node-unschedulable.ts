/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint. Daemon pods get that toleration from their controller.
 *
 * Upstream: `pkg/scheduler/framework/plugins/nodeunschedulable/node_unschedulable.go`.
 */
import type { Pod, Taint } from '../../api/types.js';
import { fits, tolerationsTolerateTaint, unresolvable, type FilterPlugin, type FilterResult, type NodeInfo } from '../framework.js';

export const nodeUnschedulableReason = 'node(s) were unschedulable';

const unschedulableTaint: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    if (!nodeInfo.node.spec?.unschedulable) return fits;
    if (tolerationsTolerateTaint(pod.spec.tolerations, unschedulableTaint)) return fits;
    return unresolvable(nodeUnschedulableReason);
  },
};
