/**
 * The required part of a pod's node affinity, as the DaemonSet controller and the scheduler evaluate it:
 * `spec.nodeSelector` AND `spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`.
 *
 * Upstream: GetRequiredNodeAffinity and NodeSelector in
 * staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go.
 */

import { matchesLabels, type LabelOperator, type LabelRequirement } from '../../api/labels.js';
import { isQualifiedName, isValidLabelValue } from '../../api/names.js';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, PodSpec } from '../../api/types.js';

/** The only field a `matchFields` requirement may name. */
export const objectNameField = 'metadata.name';

const labelOperators: Record<NodeSelectorRequirement['operator'], LabelOperator> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

const integerPattern = /^[+-]?[0-9]+$/;

/**
 * Converts `matchExpressions` into label requirements, or `undefined` when one of them is malformed
 * (unknown operator, wrong number of values, a Gt/Lt bound that is not an integer, a bad key or value).
 */
function labelRequirementsOf(expressions: readonly NodeSelectorRequirement[]): LabelRequirement[] | undefined {
  const requirements: LabelRequirement[] = [];
  for (const expression of expressions) {
    const operator = Object.hasOwn(labelOperators, expression.operator) ? labelOperators[expression.operator] : undefined;
    const values = expression.values ?? [];
    if (operator === undefined || isQualifiedName(expression.key ?? '').length > 0) return undefined;
    switch (operator) {
      case 'in':
      case 'notin':
        if (values.length === 0) return undefined;
        break;
      case 'exists':
      case '!':
        if (values.length !== 0) return undefined;
        break;
      case 'gt':
      case 'lt':
        if (values.length !== 1 || !integerPattern.test(values[0])) return undefined;
        break;
    }
    if (values.some((value) => isValidLabelValue(value).length > 0)) return undefined;
    requirements.push({ key: expression.key, operator, values: [...values] });
  }
  return requirements;
}

/**
 * Whether `matchFields` all hold for `node`. Each requirement must name `metadata.name`, use In or NotIn, and
 * carry exactly one value; any other shape makes the whole term fail.
 */
function matchesFields(fields: readonly NodeSelectorRequirement[], node: Node): boolean {
  const nodeName = node.metadata.name ?? '';
  return fields.every((requirement) => {
    if (requirement.key !== objectNameField || requirement.values?.length !== 1) return false;
    if (requirement.operator === 'In') return nodeName === requirement.values[0];
    if (requirement.operator === 'NotIn') return nodeName !== requirement.values[0];
    return false;
  });
}

/**
 * Whether one node selector term matches `node`: its `matchExpressions` (on labels) and `matchFields` (on
 * `metadata.name`) are ANDed. A term with neither selects nothing, and a malformed term matches nothing
 * without affecting the other terms.
 */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const requirements = labelRequirementsOf(expressions);
  if (requirements === undefined) return false;
  return matchesLabels(requirements, node.metadata.labels) && matchesFields(fields, node);
}

/**
 * Whether `node` satisfies the pod's required node affinity: every `nodeSelector` entry equals a node label,
 * and, when `requiredDuringSchedulingIgnoredDuringExecution` is set, at least one of its terms matches (so an
 * empty term list matches no node). Preferred affinity is not considered. Parse problems count as no match.
 */
export function matchesRequiredNodeAffinity(spec: Pick<PodSpec, 'nodeSelector' | 'affinity'>, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [key, value] of Object.entries(spec.nodeSelector ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required === undefined || required === null) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => nodeSelectorTermMatches(term, node));
}
