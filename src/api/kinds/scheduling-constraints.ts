/**
 * Validation of the pod-spec fields that steer scheduling: tolerations (and the taint effects nodes
 * share), node selectors and node affinity, pod (anti-)affinity, and topology spread constraints.
 *
 * Upstream: ValidateTolerations, validateTaintEffect, ValidateNodeSelector*, validatePodAffinity*,
 * validateTopologySpreadConstraints in pkg/apis/core/validation/validation.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { validateLabelSelector } from '../labels.js';
import { isValidLabelValue } from '../names.js';
import type { LabelSelector, NodeSelectorRequirement, NodeSelectorTerm, Toleration } from '../types.js';
import { asArray, isObject, validateDNS1123Label, validateDNS1123Subdomain, validateLabelName } from './common.js';

type JsonObject = Record<string, unknown>;

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A taint or toleration effect: one of NoSchedule, PreferNoSchedule, NoExecute (empty only if allowed). */
export function validateTaintEffect(effect: unknown, allowEmpty: boolean, field: string): FieldError[] {
  const value = typeof effect === 'string' ? effect : '';
  if (!allowEmpty && value === '') return [fieldErrors.required(field)];
  return taintEffects.includes(value) ? [] : [fieldErrors.notSupported(field, value, taintEffects)];
}

/**
 * `spec.tolerations`: keys are label names; an empty key needs operator `Exists`; `Exists` takes no
 * value; `tolerationSeconds` only with effect `NoExecute`; operator and effect from their fixed sets.
 */
export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  asArray<Toleration>(tolerations).forEach((toleration, i) => {
    if (!isObject(toleration)) return;
    const path = `${field}[${i}]`;
    const text = (value: unknown): string => (typeof value === 'string' ? value : '');
    const key = text(toleration.key);
    const operator = text(toleration.operator);
    const value = text(toleration.value);
    const effect = text(toleration.effect);
    if (key) errors.push(...validateLabelName(key, `${path}.key`));
    if (!key && operator !== 'Exists') {
      errors.push(fieldErrors.invalid(`${path}.operator`, operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (toleration.tolerationSeconds !== undefined && toleration.tolerationSeconds !== null && effect !== 'NoExecute') {
      errors.push(fieldErrors.invalid(`${path}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (operator) {
      case 'Equal':
      case '': {
        const messages = isValidLabelValue(value);
        if (messages.length > 0) errors.push(fieldErrors.invalid(`${path}.operator`, value, messages.join(';')));
        break;
      }
      case 'Exists':
        if (value) errors.push(fieldErrors.invalid(`${path}.operator`, value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errors.push(fieldErrors.notSupported(`${path}.operator`, operator, ['Equal', 'Exists']));
    }
    if (effect) errors.push(...validateTaintEffect(effect, true, `${path}.effect`));
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Node selectors.

/** One `matchExpressions` entry of a node selector term. */
export function validateNodeSelectorRequirement(
  requirement: NodeSelectorRequirement,
  allowInvalidLabelValues: boolean,
  field: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const values = asArray<string>(requirement.values);
  switch (requirement.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errors.push(fieldErrors.required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errors.push(fieldErrors.forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errors.push(fieldErrors.required(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errors.push(fieldErrors.invalid(`${field}.operator`, requirement.operator ?? '', 'not a valid selector operator'));
  }
  errors.push(...validateLabelName(requirement.key ?? '', `${field}.key`));
  if (!allowInvalidLabelValues) {
    values.forEach((value, i) => {
      for (const message of isValidLabelValue(String(value))) errors.push(fieldErrors.invalid(`${field}.values[${i}]`, value, message));
    });
  }
  return errors;
}

/** One `matchFields` entry: only `metadata.name`, with `In`/`NotIn` and exactly one node name. */
export function validateNodeFieldSelectorRequirement(requirement: NodeSelectorRequirement, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const values = asArray<string>(requirement.values);
  if (requirement.operator === 'In' || requirement.operator === 'NotIn') {
    if (values.length !== 1) {
      errors.push(fieldErrors.required(`${field}.values`, "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  } else {
    errors.push(fieldErrors.invalid(`${field}.operator`, requirement.operator ?? '', 'not a valid selector operator'));
  }
  if (requirement.key !== 'metadata.name') {
    errors.push(fieldErrors.invalid(`${field}.key`, requirement.key ?? '', 'not a valid field selector key'));
  } else {
    values.forEach((value, i) => errors.push(...validateDNS1123Subdomain(String(value), `${field}.values[${i}]`)));
  }
  return errors;
}

/** A node selector term: its label expressions and its field expressions. */
export function validateNodeSelectorTerm(term: NodeSelectorTerm, allowInvalidLabelValues: boolean, field: string): FieldError[] {
  if (!isObject(term)) return [];
  return [
    ...asArray<NodeSelectorRequirement>(term.matchExpressions).flatMap((req, j) =>
      validateNodeSelectorRequirement(req, allowInvalidLabelValues, `${field}.matchExpressions[${j}]`),
    ),
    ...asArray<NodeSelectorRequirement>(term.matchFields).flatMap((req, j) => validateNodeFieldSelectorRequirement(req, `${field}.matchFields[${j}]`)),
  ];
}

/** A required node selector: at least one term, each valid. */
export function validateNodeSelector(selector: unknown, allowInvalidLabelValues: boolean, field: string): FieldError[] {
  const terms = isObject(selector) ? asArray<NodeSelectorTerm>(selector.nodeSelectorTerms) : [];
  const termsPath = `${field}.nodeSelectorTerms`;
  if (terms.length === 0) return [fieldErrors.required(termsPath, 'must have at least one node selector term')];
  return terms.flatMap((term, i) => validateNodeSelectorTerm(term, allowInvalidLabelValues, `${termsPath}[${i}]`));
}

function validateWeight(weight: unknown, field: string): FieldError[] {
  const value = typeof weight === 'number' ? weight : 0;
  return value <= 0 || value > 100 ? [fieldErrors.invalid(field, value, 'must be in the range 1-100')] : [];
}

function validateNodeAffinity(affinity: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (required !== undefined && required !== null) {
    errors.push(...validateNodeSelector(required, false, `${field}.requiredDuringSchedulingIgnoredDuringExecution`));
  }
  asArray<JsonObject>(affinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    const path = `${field}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errors.push(...validateWeight(term?.weight, `${path}.weight`));
    // Preferred terms may name label values that do not exist anywhere; upstream allows invalid ones.
    errors.push(...validateNodeSelectorTerm(term?.preference as NodeSelectorTerm, true, `${path}.preference`));
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Pod affinity.

function validatePodAffinityTerm(term: JsonObject, field: string): FieldError[] {
  if (!isObject(term)) return [];
  const errors = [
    ...validateLabelSelector(term.labelSelector as LabelSelector | undefined, `${field}.labelSelector`),
    ...validateLabelSelector(term.namespaceSelector as LabelSelector | undefined, `${field}.namespaceSelector`),
  ];
  // Upstream reports namespace names against `namespace`, singular and unindexed.
  for (const name of asArray<string>(term.namespaces)) errors.push(...validateDNS1123Label(String(name), `${field}.namespace`));
  const topologyKey = typeof term.topologyKey === 'string' ? term.topologyKey : '';
  if (!topologyKey) errors.push(fieldErrors.required(`${field}.topologyKey`, 'can not be empty'));
  errors.push(...validateLabelName(topologyKey, `${field}.topologyKey`));
  return errors;
}

function validatePodAffinityRules(affinity: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  asArray<JsonObject>(affinity.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, i) => {
    errors.push(...validatePodAffinityTerm(term, `${field}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
  });
  asArray<JsonObject>(affinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((weighted, i) => {
    const path = `${field}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errors.push(...validateWeight(weighted?.weight, `${path}.weight`));
    errors.push(...validatePodAffinityTerm(weighted?.podAffinityTerm as JsonObject, `${path}.podAffinityTerm`));
  });
  return errors;
}

/** `spec.affinity`: node affinity, pod affinity and pod anti-affinity. */
export function validateAffinity(affinity: unknown, field: string): FieldError[] {
  if (!isObject(affinity)) return [];
  const errors: FieldError[] = [];
  if (isObject(affinity.nodeAffinity)) errors.push(...validateNodeAffinity(affinity.nodeAffinity, `${field}.nodeAffinity`));
  if (isObject(affinity.podAffinity)) errors.push(...validatePodAffinityRules(affinity.podAffinity, `${field}.podAffinity`));
  if (isObject(affinity.podAntiAffinity)) errors.push(...validatePodAffinityRules(affinity.podAntiAffinity, `${field}.podAntiAffinity`));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Topology spread.

const unsatisfiableActions = ['DoNotSchedule', 'ScheduleAnyway'];
const nodeInclusionPolicies = ['Honor', 'Ignore'];

/** `spec.topologySpreadConstraints`. */
export function validateTopologySpreadConstraints(constraints: unknown, field: string): FieldError[] {
  const list = asArray<JsonObject>(constraints);
  const errors: FieldError[] = [];
  list.forEach((constraint, i) => {
    if (!isObject(constraint)) return;
    const path = `${field}[${i}]`;
    const maxSkew = typeof constraint.maxSkew === 'number' ? constraint.maxSkew : 0;
    if (maxSkew <= 0) errors.push(fieldErrors.invalid(`${path}.maxSkew`, maxSkew, 'must be greater than zero'));
    const topologyKey = typeof constraint.topologyKey === 'string' ? constraint.topologyKey : '';
    if (!topologyKey) errors.push(fieldErrors.required(`${path}.topologyKey`, 'can not be empty'));
    const action = typeof constraint.whenUnsatisfiable === 'string' ? constraint.whenUnsatisfiable : '';
    if (!unsatisfiableActions.includes(action)) errors.push(fieldErrors.notSupported(`${path}.whenUnsatisfiable`, action, unsatisfiableActions));
    const repeated = list.slice(i + 1).some((other) => other?.topologyKey === topologyKey && other?.whenUnsatisfiable === action);
    if (repeated) errors.push(fieldErrors.duplicate(`${path}.{topologyKey, whenUnsatisfiable}`, `{${topologyKey}, ${action}}`));
    if (typeof constraint.minDomains === 'number') {
      if (constraint.minDomains <= 0) errors.push(fieldErrors.invalid(`${path}.minDomains`, constraint.minDomains, 'must be greater than zero'));
      if (action !== 'DoNotSchedule') {
        errors.push(fieldErrors.invalid(`${path}.minDomains`, constraint.minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`));
      }
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy'] as const) {
      const value = constraint[policy];
      if (value !== undefined && value !== null && !nodeInclusionPolicies.includes(String(value))) {
        errors.push(fieldErrors.notSupported(`${path}.${policy}`, value, nodeInclusionPolicies));
      }
    }
    errors.push(...validateLabelSelector(constraint.labelSelector as LabelSelector | undefined, `${path}.labelSelector`));
  });
  return errors;
}
