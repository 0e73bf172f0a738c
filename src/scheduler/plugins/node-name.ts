/**
 * NodeName: a pod that already names its node fits only that node.
 *
 * Upstream: `pkg/scheduler/framework/plugins/nodename/node_name.go`.
 */
import type { Pod } from '../../api/types.js';
import { fits, unresolvable, type FilterPlugin, type FilterResult, type NodeInfo } from '../framework.js';

export const nodeNameReason = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const wanted = pod.spec.nodeName;
    if (!wanted || wanted === nodeInfo.name) return fits;
    return unresolvable(nodeNameReason);
  },
};
