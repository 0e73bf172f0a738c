/**
 * NodeAffinity: the node must match the pod's `nodeSelector` (every label) and its required node affinity
 * (any one term; inside a term every expression and field requirement). Its pre-filter notices terms that
 * pin the pod to named nodes (`matchFields: metadata.name In [...]`, as daemon pods have), so only those
 * nodes are examined.
 *
 * Upstream: `pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go` and
 * `staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go`.
 */
import { matchesLabels, type LabelRequirement } from '../../api/labels.js';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../api/types.js';
import { fits, unresolvable, type FilterPlugin, type FilterResult, type NodeInfo, type PreFilterResult } from '../framework.js';

export const nodeAffinityReason = "node(s) didn't match Pod's node affinity/selector";
export const affinityConflictReason = 'pod affinity terms conflict';

const int64 = /^[+-]?\d+$/;

/** One expression as a label requirement, or undefined when it is malformed (upstream then drops the term). */
function labelRequirement(r: NodeSelectorRequirement): LabelRequirement | undefined {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return undefined;
      return { key: r.key, operator: r.operator === 'In' ? 'in' : 'notin', values };
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return undefined;
      return { key: r.key, operator: r.operator === 'Exists' ? 'exists' : '!', values: [] };
    case 'Gt':
    case 'Lt':
      if (values.length !== 1 || !int64.test(values[0])) return undefined;
      return { key: r.key, operator: r.operator === 'Gt' ? 'gt' : 'lt', values };
    default:
      return undefined;
  }
}

/** The fields a node exposes to `matchFields`: only `metadata.name`. */
function nodeField(node: Node, key: string): string {
  return key === 'metadata.name' ? (node.metadata.name ?? '') : '';
}

/** One field requirement; only In/NotIn with exactly one value are valid. */
function matchField(r: NodeSelectorRequirement, node: Node): boolean | undefined {
  const values = r.values ?? [];
  if ((r.operator !== 'In' && r.operator !== 'NotIn') || values.length !== 1) return undefined;
  const equal = nodeField(node, r.key) === values[0];
  return r.operator === 'In' ? equal : !equal;
}

/** Whether one term matches; an empty or malformed term matches nothing. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const requirements: LabelRequirement[] = [];
  for (const expression of expressions) {
    const requirement = labelRequirement(expression);
    if (!requirement) return false;
    requirements.push(requirement);
  }
  if (!matchesLabels(requirements, node.metadata.labels)) return false;
  return fields.every((field) => matchField(field, node) === true);
}

/** Whether the node matches any of the terms (none match an empty list). */
export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: Node): boolean {
  return terms.some((term) => termMatches(term, node));
}

/** `nodeSelector` and required node affinity together (upstream `GetRequiredNodeAffinity(pod).Match`). */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node);
}

/**
 * The node names the pod's required terms confine it to, or undefined when some term leaves every node
 * possible. Terms are ORed, so the sets are united; `metadata.name In` requirements inside one term are
 * ANDed, so they are intersected. An empty set means the terms contradict each other.
 */
export function requiredNodeNames(pod: Pod): Set<string> | undefined {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const union = new Set<string>();
  for (const term of terms) {
    let names: Set<string> | undefined;
    for (const field of term.matchFields ?? []) {
      if (field.key !== 'metadata.name' || field.operator !== 'In') continue;
      const these = new Set(field.values ?? []);
      names = names ? new Set([...names].filter((name) => these.has(name))) : these;
    }
    if (!names) return undefined;
    for (const name of names) union.add(name);
  }
  return union;
}

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  preFilter(pod: Pod): PreFilterResult {
    const names = requiredNodeNames(pod);
    if (!names) return undefined;
    if (names.size === 0) return { rejected: true, reason: affinityConflictReason, unresolvable: true };
    return { nodeNames: names };
  },
  filter(pod: Pod, nodeInfo: NodeInfo): FilterResult {
    return podMatchesNodeSelectorAndAffinity(pod, nodeInfo.node) ? fits : unresolvable(nodeAffinityReason);
  },
};
