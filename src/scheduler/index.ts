/**
 * The scheduler room's public surface: the pure filter plugins, the FailedScheduling message and the Scheduler.
 */
import type { FilterPlugin } from './framework.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { nodePorts } from './plugins/node-ports.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { taintToleration } from './plugins/taint-toleration.js';

export {
  addHostPort,
  computePodResourceRequest,
  emptyResource,
  fits,
  hostPortConflicts,
  isScalarResourceName,
  newNodeInfo,
  podHostPorts,
  podRequestList,
  resourceFromList,
  toleratesTaint,
  tolerationsTolerateTaint,
  unresolvable,
  unschedulable,
  type FilterPlugin,
  type FilterResult,
  type HostPortInfo,
  type NodeInfo,
  type PreFilterResult,
  type Resource,
} from './framework.js';
export {
  failedSchedulingMessage,
  fitErrorMessage,
  noNodesAvailableMessage,
  preemptionMessage,
  preemptionNeverMessage,
  runFilters,
  type Diagnosis,
  type FilterOutcome,
  type NodeStatus,
  type PreemptionInput,
} from './filter.js';
export { affinityConflictReason, nodeAffinity, nodeAffinityReason, nodeSelectorTermsMatch, podMatchesNodeSelectorAndAffinity, requiredNodeNames } from './plugins/node-affinity.js';
export { nodeName, nodeNameReason } from './plugins/node-name.js';
export { nodePorts, nodePortsReason } from './plugins/node-ports.js';
export { insufficientReason, insufficientResources, nodeResourcesFit, tooManyPodsReason, type InsufficientResource } from './plugins/node-resources-fit.js';
export { nodeUnschedulable, nodeUnschedulableReason } from './plugins/node-unschedulable.js';
export { findUntoleratedTaint, taintToleration, untoleratedTaintReason } from './plugins/taint-toleration.js';

/** Upstream's default filter plugins that everynode has, in the default profile's order. */
export const defaultFilterPlugins: readonly FilterPlugin[] = Object.freeze([
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
]);
export {
  Scheduler,
  defaultSchedulerName,
  failedSchedulingReason,
  leastAllocatedScore,
  needsScheduling,
  responsibleForPod,
  selectHost,
  unschedulableReason,
  unschedulableRetryMs,
  type SchedulerConfig,
} from './scheduler.js';
export {
  compareImportance,
  filterPodsWithPDBViolation,
  findCandidates,
  notEligibleToPreempt,
  pickOneNodeForPreemption,
  podPriority,
  selectVictimsOnNode,
  type Candidate,
  type DisruptionBudget,
} from './preemption.js';
