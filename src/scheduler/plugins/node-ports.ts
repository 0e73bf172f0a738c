/**
 * NodePorts: every host port the pod asks for must be free on the node, taking host IP and protocol into
 * account (see `hostPortConflicts`).
 *
 * Upstream: `pkg/scheduler/framework/plugins/nodeports/node_ports.go`.
 */
import type { Pod } from '../../api/types.js';
import { fits, hostPortConflicts, podHostPorts, unschedulable, type FilterPlugin, type FilterResult, type NodeInfo } from '../framework.js';

export const nodePortsReason = "node(s) didn't have free ports for the requested pod ports";

export const nodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    const conflict = podHostPorts(pod).some((port) => hostPortConflicts(nodeInfo.usedPorts, port.hostIP, port.protocol, port.hostPort));
    return conflict ? unschedulable(nodePortsReason) : fits;
  },
};
