/**
 * PodDisruptionBudgets (policy/v1). No defaults.
 *
 * Upstream: ValidatePodDisruptionBudget and ValidatePodDisruptionBudgetStatusUpdate in
 * pkg/apis/policy/validation/validation.go; pkg/registry/policy/poddisruptionbudget/strategy.go.
 * The kind's validation does not cover metadata; the registry checks it afterwards with the generic
 * rule (a name usable as a URL path segment), and only when the spec is valid.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { validateLabelSelector } from '../labels.js';
import { validateObjectMeta } from '../names.js';
import type { IntOrString, LabelSelector, PodDisruptionBudget } from '../types.js';
import {
  asArray,
  isNotMoreThan100Percent,
  isObject,
  isValidPathSegmentName,
  validateLabelName,
  validateNonnegativeField,
  validatePositiveIntOrPercent,
} from './common.js';
import { invalidRendered } from './go-format.js';
import type { KindRules } from './rules.js';
import { regexError } from '../names.js';

type JsonObject = Record<string, unknown>;

const unhealthyPodEvictionPolicies = ['AlwaysAllow', 'IfHealthyBudget'];

/** How upstream prints the spec struct when both bounds are set (pointers print as addresses there). */
function goPdbSpec(spec: JsonObject): string {
  const pointer = (type: string, value: unknown): string => `(*${type})(${value === undefined || value === null ? 'nil' : '0xc000000000'})`;
  return (
    'policy.PodDisruptionBudgetSpec{' +
    `MinAvailable:${pointer('intstr.IntOrString', spec.minAvailable)}, ` +
    `Selector:${pointer('v1.LabelSelector', spec.selector)}, ` +
    `MaxUnavailable:${pointer('intstr.IntOrString', spec.maxUnavailable)}, ` +
    `UnhealthyPodEvictionPolicy:${pointer('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy)}}`
  );
}

/**
 * The spec: `minAvailable` and `maxUnavailable` not both set, each an integer ≥ 0 or a percentage
 * ≤ 100%; a valid selector (absent selects no pods); a known unhealthy-pod eviction policy.
 */
export function validatePodDisruptionBudgetSpec(spec: unknown, field: string): FieldError[] {
  if (!isObject(spec)) return [];
  const errors: FieldError[] = [];
  const has = (value: unknown): boolean => value !== undefined && value !== null;
  if (has(spec.minAvailable) && has(spec.maxUnavailable)) {
    errors.push(invalidRendered(field, goPdbSpec(spec), 'minAvailable and maxUnavailable cannot be both set', spec));
  }
  for (const bound of ['minAvailable', 'maxUnavailable'] as const) {
    if (!has(spec[bound])) continue;
    const value = spec[bound] as IntOrString;
    errors.push(...validatePositiveIntOrPercent(value, `${field}.${bound}`), ...isNotMoreThan100Percent(value, `${field}.${bound}`));
  }
  errors.push(...validateLabelSelector(spec.selector as LabelSelector | undefined, `${field}.selector`));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (has(policy) && !unhealthyPodEvictionPolicies.includes(String(policy))) {
    errors.push(fieldErrors.notSupported(`${field}.unhealthyPodEvictionPolicy`, policy, unhealthyPodEvictionPolicies));
  }
  return errors;
}

function validateMetadata(pdb: PodDisruptionBudget): FieldError[] {
  return validateObjectMeta(pdb.metadata ?? {}, { namespaced: true, nameValidator: isValidPathSegmentName });
}

/** A new budget: the spec, and only when it is valid, the metadata (upstream's registry order). */
export function validatePodDisruptionBudgetCreate(pdb: PodDisruptionBudget): FieldError[] {
  const errors = validatePodDisruptionBudgetSpec(pdb.spec, 'spec');
  return errors.length > 0 ? errors : validateMetadata(pdb);
}

/** An update: the metadata, then the spec (the order of upstream's update path). The spec may change. */
export function validatePodDisruptionBudgetUpdate(pdb: PodDisruptionBudget): FieldError[] {
  return [...validateMetadata(pdb), ...validatePodDisruptionBudgetSpec(pdb.spec, 'spec')];
}

// ---------------------------------------------------------------------------------------------
// Status.

const conditionReasonFormat = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const conditionReasonPattern = new RegExp(`^${conditionReasonFormat}$`);
const conditionStatuses = ['False', 'True', 'Unknown'];

/**
 * `metav1.Condition` lists: unique types that are label names, a known status, a transition time, a
 * reason in the condition-reason format (≤ 1024), a message ≤ 32768 characters.
 */
export function validateConditions(conditions: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const types = new Set<string>();
  asArray<JsonObject>(conditions).forEach((condition, i) => {
    if (!isObject(condition)) return;
    const path = `${field}[${i}]`;
    const type = typeof condition.type === 'string' ? condition.type : '';
    if (types.has(type)) errors.push(fieldErrors.duplicate(`${path}.type`, type));
    types.add(type);
    errors.push(...validateLabelName(type, `${path}.type`));
    const status = typeof condition.status === 'string' ? condition.status : '';
    if (!conditionStatuses.includes(status)) errors.push(fieldErrors.notSupported(`${path}.status`, status, conditionStatuses));
    if (typeof condition.observedGeneration === 'number' && condition.observedGeneration < 0) {
      errors.push(fieldErrors.invalid(`${path}.observedGeneration`, condition.observedGeneration, 'must be greater than or equal to zero'));
    }
    if (!condition.lastTransitionTime) errors.push(fieldErrors.required(`${path}.lastTransitionTime`, 'must be set'));
    const reason = typeof condition.reason === 'string' ? condition.reason : '';
    if (!reason) {
      errors.push(fieldErrors.required(`${path}.reason`, 'must be set'));
    } else {
      if (!conditionReasonPattern.test(reason)) {
        const message = regexError(
          "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'",
          conditionReasonFormat,
          'my_name',
          'MY_NAME',
          'MyName',
          'ReasonA,ReasonB',
          'ReasonA:ReasonB',
        );
        errors.push(fieldErrors.invalid(`${path}.reason`, reason, message));
      }
      if (reason.length > 1024) errors.push(fieldErrors.tooLong(`${path}.reason`, 1024));
    }
    if (typeof condition.message === 'string' && condition.message.length > 32768) errors.push(fieldErrors.tooLong(`${path}.message`, 32768));
  });
  return errors;
}

/** A `/status` update: valid conditions and non-negative counters. */
export function validatePodDisruptionBudgetStatusUpdate(pdb: PodDisruptionBudget): FieldError[] {
  const status: JsonObject = isObject(pdb.status) ? pdb.status : {};
  const errors = validateConditions(status.conditions, 'status.conditions');
  for (const counter of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods']) {
    const value = status[counter];
    errors.push(...validateNonnegativeField(typeof value === 'number' ? value : 0, `status.${counter}`));
  }
  return errors;
}

/** PodDisruptionBudgets (policy/v1). */
export const podDisruptionBudgetRules: KindRules<PodDisruptionBudget> = {
  applyDefaults: () => {},
  validateCreate: validatePodDisruptionBudgetCreate,
  validateUpdate: (pdb) => validatePodDisruptionBudgetUpdate(pdb),
  validateStatusUpdate: (pdb) => validatePodDisruptionBudgetStatusUpdate(pdb),
};
