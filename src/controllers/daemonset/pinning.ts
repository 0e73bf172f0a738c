/**
 * Tying each daemon pod to one node: the pinning affinity written on created pods, and reading the node back
 * from a pod.
 *
 * Upstream: ReplaceDaemonSetPodNodeNameNodeAffinity and GetTargetNodeName in
 * pkg/controller/daemon/util/daemonset_util.go; getNodesToDaemonPods in
 * pkg/controller/daemon/daemon_controller.go.
 */

import type { Affinity, NodeSelectorTerm, Pod } from '../../api/types.js';
import { objectNameField } from './node-affinity.js';

/** The single required term that selects exactly the node named `nodeName`. */
function pinningTerm(nodeName: string): NodeSelectorTerm {
  return { matchFields: [{ key: objectNameField, operator: 'In', values: [nodeName] }] };
}

/**
 * Returns a copy of `affinity` whose required node affinity is exactly one term,
 * `metadata.name In [nodeName]`. The template's own required terms are dropped (the controller has already
 * applied them when it chose the node); preferred node affinity, pod affinity and pod anti-affinity are kept.
 * An absent affinity yields a new one. The input is not modified.
 *
 * @example
 * replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'node-1');
 * // { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution:
 * //   { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] } } }
 */
export function replaceDaemonSetPodNodeNameNodeAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const required = { nodeSelectorTerms: [pinningTerm(nodeName)] };
  return {
    ...affinity,
    nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: required },
  };
}

/**
 * The node a daemon pod belongs to: `spec.nodeName` when set; otherwise the value of the first `matchFields`
 * requirement on `metadata.name` with operator `In` in the required node-affinity terms, provided it has
 * exactly one value. `undefined` when neither gives a node; such pods are ignored by all per-node logic.
 */
export function getTargetNodeName(pod: Pod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key === objectNameField && requirement.operator === 'In') {
        // The first such requirement decides, even when it is ambiguous.
        return requirement.values?.length === 1 ? requirement.values[0] : undefined;
      }
    }
  }
  return undefined;
}

/** Whether a pod has finished for good: phase Succeeded or Failed. */
export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Options of {@link getNodesToDaemonPods}. */
export interface NodesToDaemonPodsOptions {
  /**
   * Keep pods that are both terminal and marked for deletion. Only history cleanup wants them.
   * @default false
   */
  includeDeletedTerminal?: boolean;
}

/**
 * Groups the DaemonSet's (already claimed) pods by target node, keeping each node's pods in input order.
 * Pods without a target node are left out, and so are pods that are terminal and being deleted unless
 * `includeDeletedTerminal` is set. Terminating pods that still run, and terminal pods not yet being deleted,
 * are included.
 */
export function getNodesToDaemonPods(pods: readonly Pod[], options: NodesToDaemonPodsOptions = {}): Map<string, Pod[]> {
  const nodeToDaemonPods = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (!options.includeDeletedTerminal && isPodTerminal(pod) && pod.metadata.deletionTimestamp) continue;
    const nodeName = getTargetNodeName(pod);
    if (nodeName === undefined) continue;
    const onNode = nodeToDaemonPods.get(nodeName);
    if (onNode) onNode.push(pod);
    else nodeToDaemonPods.set(nodeName, [pod]);
  }
  return nodeToDaemonPods;
}
