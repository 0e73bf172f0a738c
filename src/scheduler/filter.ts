/**
 * Running the filters over the cluster and turning the result into the FailedScheduling message.
 *
 * Upstream: `findNodesThatFitPod` / `findNodesThatPassFilters` in `pkg/scheduler/schedule_one.go`,
 * `RunPreFilterPlugins` / `RunFilterPlugins` in `pkg/scheduler/framework/runtime/framework.go`,
 * `FitError.Error` in `pkg/scheduler/framework/types.go`, and the no-candidate path of
 * `Evaluator.Preempt` in `pkg/scheduler/framework/preemption/preemption.go`.
 */
import type { Pod } from '../api/types.js';
import { newNodeInfo, type FilterPlugin, type NodeInfo } from './framework.js';

/** Why one node was rejected, and by which plugin. */
export interface NodeStatus {
  plugin: string;
  reasons: string[];
  unresolvable: boolean;
}

export interface Diagnosis {
  /** Nodes the filters examined and rejected, by node name. */
  nodeToStatus: Map<string, NodeStatus>;
  /**
   * The status of every node not in `nodeToStatus` that was not feasible either: nodes a pre-filter
   * excluded, or all nodes when a pre-filter rejected the pod.
   */
  absentNodesStatus?: NodeStatus;
  /** Plugins that rejected the pod somewhere (upstream uses them to decide which events requeue it). */
  unschedulablePlugins: Set<string>;
  /** Set when a pre-filter rejected the pod outright; then no node was filtered. */
  preFilterMsg?: string;
  /** The PostFilter (preemption) outcome, including its `preemption: ` prefix. */
  postFilterMsg?: string;
}

export interface FilterOutcome {
  feasible: NodeInfo[];
  diagnosis: Diagnosis;
}

/**
 * Upstream's default filter order matters for messages: a node reports only the first plugin that
 * rejects it. Pass plugins in this order (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
 * NodePorts, NodeResourcesFit); see `defaultFilterPlugins` in index.ts.
 */
export function runFilters(pod: Pod, nodeInfos: readonly NodeInfo[], plugins: readonly FilterPlugin[]): FilterOutcome {
  const diagnosis: Diagnosis = { nodeToStatus: new Map(), unschedulablePlugins: new Set() };

  // Pre-filters: each may confine the pod to named nodes (intersected) or reject it everywhere.
  let allowed: Set<string> | undefined;
  const narrowing: string[] = [];
  let resolvableRejection: NodeStatus | undefined;
  for (const plugin of plugins) {
    const result = plugin.preFilter?.(pod);
    if (!result) continue;
    if ('rejected' in result) {
      const status: NodeStatus = { plugin: plugin.name, reasons: [result.reason], unresolvable: result.unresolvable };
      if (status.unresolvable) return preFilterRejection(diagnosis, status);
      // A resolvable rejection lets the other pre-filters run; it is reported afterwards (kubernetes/kubernetes#119770).
      resolvableRejection ??= status;
      continue;
    }
    narrowing.push(plugin.name);
    allowed = allowed ? new Set([...allowed].filter((name) => result.nodeNames.has(name))) : new Set(result.nodeNames);
    if (allowed.size === 0) {
      const names = [...new Set(narrowing)].sort();
      const reason = names.length === 1 ? `node(s) didn't satisfy plugin ${names[0]}` : `node(s) didn't satisfy plugin(s) [${names.join(' ')}] simultaneously`;
      for (const name of names) diagnosis.unschedulablePlugins.add(name);
      return preFilterRejection(diagnosis, { plugin: '', reasons: [reason], unresolvable: true });
    }
  }
  if (resolvableRejection) return preFilterRejection(diagnosis, resolvableRejection);

  let candidates = nodeInfos;
  if (allowed) {
    const names = [...new Set(narrowing)].sort();
    for (const name of names) diagnosis.unschedulablePlugins.add(name);
    candidates = nodeInfos.filter((info) => allowed.has(info.name));
    diagnosis.absentNodesStatus = { plugin: '', reasons: [`node(s) didn't satisfy plugin(s) [${names.join(' ')}]`], unresolvable: true };
  }

  const feasible: NodeInfo[] = [];
  for (const info of candidates) {
    let rejected: NodeStatus | undefined;
    for (const plugin of plugins) {
      const result = plugin.filter(pod, info);
      if (!result.ok) {
        rejected = { plugin: plugin.name, reasons: result.reasons, unresolvable: result.unresolvable };
        break;
      }
    }
    if (rejected) {
      diagnosis.nodeToStatus.set(info.name, rejected);
      diagnosis.unschedulablePlugins.add(rejected.plugin);
    } else {
      feasible.push(info);
    }
  }
  return { feasible, diagnosis };
}

function preFilterRejection(diagnosis: Diagnosis, status: NodeStatus): FilterOutcome {
  diagnosis.absentNodesStatus = status;
  diagnosis.preFilterMsg = status.reasons.join(', ');
  if (status.plugin) diagnosis.unschedulablePlugins.add(status.plugin);
  return { feasible: [], diagnosis };
}

/** What upstream reports when the cluster has no nodes at all (instead of a FitError). */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';

/**
 * `N reason` entries, counted over the explicit statuses plus the absent nodes, sorted as strings (so
 * "10 x" sorts before "2 y", as upstream's `sort.Strings` does).
 */
function reasonHistogram(totalNodes: number, nodeToStatus: ReadonlyMap<string, NodeStatus>, absent: NodeStatus | undefined): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeToStatus.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const absentCount = totalNodes - nodeToStatus.size;
  if (absent && absentCount > 0) {
    for (const reason of absent.reasons) counts.set(reason, (counts.get(reason) ?? 0) + absentCount);
  }
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort(compareGoStrings);
}

/** Go's `sort.Strings` compares UTF-8 bytes, which is code point order (not UTF-16 unit order). */
function compareGoStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Upstream's FitError text: `0/<N> nodes are available: <pre-filter message>.` or
 * `0/<N> nodes are available: <counted reasons>.`, followed by ` <postFilterMsg>` when there is one.
 */
export function fitErrorMessage(totalNodes: number, diagnosis: Diagnosis): string {
  let message = `0/${totalNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) {
    message += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const histogram = reasonHistogram(totalNodes, diagnosis.nodeToStatus, diagnosis.absentNodesStatus);
    if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  }
  if (diagnosis.postFilterMsg) message += ` ${diagnosis.postFilterMsg}`;
  return message;
}

export const preemptionNeverMessage = 'preemption: not eligible due to preemptionPolicy=Never.';
const noVictimsReason = 'No preemption victims found for incoming pod';
const notHelpfulReason = 'Preemption is not helpful for scheduling';

/** The cluster as the filters saw it, so preemption can be dry-run. */
export interface PreemptionInput {
  nodeInfos: readonly NodeInfo[];
  plugins: readonly FilterPlugin[];
}

/**
 * Upstream's dry run on one node: drop every pod of lower priority and filter again. No such pod means
 * no victims; still failing gives the filter's status; fitting means preemption would find a candidate.
 */
function dryRunPreemption(pod: Pod, info: NodeInfo, plugins: readonly FilterPlugin[]): NodeStatus | 'candidate' {
  const priority = pod.spec.priority ?? 0;
  const kept = info.pods.filter((other) => (other.spec.priority ?? 0) >= priority);
  if (kept.length === info.pods.length) return { plugin: 'DefaultPreemption', reasons: [noVictimsReason], unresolvable: true };
  const without = newNodeInfo(info.node, kept);
  for (const plugin of plugins) {
    const result = plugin.filter(pod, without);
    if (!result.ok) return { plugin: plugin.name, reasons: result.reasons, unresolvable: result.unresolvable };
  }
  return 'candidate';
}

/**
 * The DefaultPreemption PostFilter message (with its `preemption: ` prefix) when preemption cannot help, or
 * undefined when evicting lower-priority pods would make room somewhere (upstream would then preempt and
 * print no preemption sentence). Nodes rejected for unresolvable reasons, and nodes never examined, are
 * "not helpful"; the others are dry-run as upstream does. Without `input` every such node is assumed to
 * hold no lower-priority pod ("No preemption victims found"). PodDisruptionBudgets do not matter here: they
 * only decide which victims to prefer once a candidate exists.
 */
export function preemptionMessage(pod: Pod, totalNodes: number, diagnosis: Diagnosis, input?: PreemptionInput): string | undefined {
  if (pod.spec.preemptionPolicy === 'Never') return preemptionNeverMessage;
  const infoByName = new Map((input?.nodeInfos ?? []).map((info) => [info.name, info]));
  const statuses = new Map<string, NodeStatus>();
  for (const [name, status] of diagnosis.nodeToStatus) {
    if (status.unresolvable) {
      statuses.set(name, { plugin: 'DefaultPreemption', reasons: [notHelpfulReason], unresolvable: true });
      continue;
    }
    const info = infoByName.get(name);
    const outcome = info && input ? dryRunPreemption(pod, info, input.plugins) : { plugin: 'DefaultPreemption', reasons: [noVictimsReason], unresolvable: true };
    if (outcome === 'candidate') return undefined;
    statuses.set(name, outcome);
  }
  // Absent nodes: a resolvable pre-filter rejection leaves them open to preemption (and nothing to evict is
  // assumed), otherwise they are not helpful.
  const absentResolvable = diagnosis.absentNodesStatus !== undefined && !diagnosis.absentNodesStatus.unresolvable;
  const absent: NodeStatus = { plugin: 'DefaultPreemption', reasons: [absentResolvable ? noVictimsReason : notHelpfulReason], unresolvable: true };
  return `preemption: ${fitErrorMessage(totalNodes, { nodeToStatus: statuses, absentNodesStatus: absent, unschedulablePlugins: new Set() })}`;
}

/**
 * The FailedScheduling event message: the fit error plus the preemption sentence (`preemptionMessage`),
 * or upstream's no-nodes text for an empty cluster.
 */
export function failedSchedulingMessage(pod: Pod, totalNodes: number, diagnosis: Diagnosis, input?: PreemptionInput): string {
  if (totalNodes === 0) return noNodesAvailableMessage;
  const postFilterMsg = diagnosis.postFilterMsg ?? preemptionMessage(pod, totalNodes, diagnosis, input);
  return fitErrorMessage(totalNodes, { ...diagnosis, postFilterMsg });
}
