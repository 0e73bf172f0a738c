/**
 * PriorityClasses (scheduling.k8s.io/v1, cluster-scoped).
 *
 * Upstream: SetDefaults_PriorityClass in pkg/apis/scheduling/v1/defaults.go; ValidatePriorityClass
 * and ValidatePriorityClassUpdate in pkg/apis/scheduling/validation/validation.go; the system classes
 * in pkg/apis/scheduling/v1/helpers.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, validateObjectMeta } from '../names.js';
import type { PriorityClass } from '../types.js';
import { validateImmutableField, validateKubeFinalizers } from './common.js';
import { validatePreemptionPolicy } from './pod-spec.js';
import type { KindRules } from './rules.js';

/** Highest value a user-defined class may have; larger values are reserved for system classes. */
export const highestUserDefinablePriority = 1_000_000_000;
/** Prefix reserved for the built-in classes. */
export const systemPriorityClassPrefix = 'system-';

/** The built-in classes: their names, values, and that neither is the global default. */
export const systemPriorityClasses: readonly { name: string; value: number; globalDefault: boolean }[] = [
  { name: 'system-node-critical', value: 2_000_001_000, globalDefault: false },
  { name: 'system-cluster-critical', value: 2_000_000_000, globalDefault: false },
];

/** PriorityClass defaults: `preemptionPolicy: PreemptLowerPriority`. */
export function setDefaultsPriorityClass(priorityClass: PriorityClass): void {
  if (!priorityClass.preemptionPolicy) priorityClass.preemptionPolicy = 'PreemptLowerPriority';
}

/** Why a `system-` class does not match a built-in one, or undefined when it does. */
function systemClassMismatch(name: string, value: number, globalDefault: boolean): string | undefined {
  const known = systemPriorityClasses.find((candidate) => candidate.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${name} PriorityClass must be ${known.value}`;
  if (known.globalDefault !== globalDefault) return `globalDefault of ${name} PriorityClass must be ${known.globalDefault}`;
  return undefined;
}

/**
 * A PriorityClass: cluster-scoped metadata; a `system-` name only for the built-in classes exactly as
 * defined; otherwise a value of at most 1,000,000,000; a known preemption policy.
 */
export function validatePriorityClass(priorityClass: PriorityClass): FieldError[] {
  const errors = [
    ...validateObjectMeta(priorityClass.metadata ?? {}, { namespaced: false, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(priorityClass.metadata?.finalizers),
  ];
  const name = priorityClass.metadata?.name ?? '';
  const value = typeof priorityClass.value === 'number' ? priorityClass.value : 0;
  if (name.startsWith(systemPriorityClassPrefix)) {
    const mismatch = systemClassMismatch(name, value, priorityClass.globalDefault === true);
    if (mismatch) {
      errors.push(
        fieldErrors.forbidden('metadata.name', `priority class names with '${systemPriorityClassPrefix}' prefix are reserved for system use only. error: ${mismatch}`),
      );
    }
  } else if (value > highestUserDefinablePriority) {
    errors.push(fieldErrors.forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  if (priorityClass.preemptionPolicy !== undefined && priorityClass.preemptionPolicy !== null) {
    errors.push(...validatePreemptionPolicy(priorityClass.preemptionPolicy, 'preemptionPolicy'));
  }
  return errors;
}

/** An update: still valid, and neither `value` nor `preemptionPolicy` changes. */
export function validatePriorityClassUpdate(priorityClass: PriorityClass, old: PriorityClass): FieldError[] {
  const errors = validatePriorityClass(priorityClass);
  if (priorityClass.value !== old.value) errors.push(fieldErrors.forbidden('value', 'may not be changed in an update.'));
  errors.push(...validateImmutableField(priorityClass.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errors;
}

/** PriorityClasses (scheduling.k8s.io/v1). */
export const priorityClassRules: KindRules<PriorityClass> = {
  applyDefaults: setDefaultsPriorityClass,
  validateCreate: validatePriorityClass,
  validateUpdate: validatePriorityClassUpdate,
};
