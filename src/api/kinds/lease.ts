/**
 * Leases (coordination.k8s.io/v1): node heartbeats and leader election. No defaults.
 *
 * Upstream: ValidateLease, ValidateLeaseUpdate, ValidateLeaseSpec in
 * pkg/apis/coordination/validation/validation.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, validateObjectMeta } from '../names.js';
import type { Lease } from '../types.js';
import { isObject, validateQualifiedName } from './common.js';
import type { KindRules } from './rules.js';

/** Coordinated-leader strategies Kubernetes defines (others must be prefixed names). */
const leaseStrategies = ['OldestEmulationVersion'];

/**
 * The spec: a positive duration, a non-negative transition count, a known or prefixed strategy, and a
 * preferred holder only together with a strategy.
 */
export function validateLeaseSpec(spec: unknown, field: string): FieldError[] {
  if (!isObject(spec)) return [];
  const errors: FieldError[] = [];
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0) errors.push(fieldErrors.invalid(`${field}.leaseDurationSeconds`, duration, 'must be greater than 0'));
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0) {
    errors.push(fieldErrors.invalid(`${field}.leaseTransitions`, transitions, 'must be greater than or equal to 0'));
  }
  const strategy = typeof spec.strategy === 'string' ? spec.strategy : undefined;
  if (strategy !== undefined) {
    // Upstream nests the path one level too deep here (`strategy.strategy`); kept as printed.
    if (!strategy.includes('/')) {
      if (!leaseStrategies.includes(strategy)) errors.push(fieldErrors.notSupported(`${field}.strategy.strategy`, strategy, leaseStrategies));
    } else {
      errors.push(...validateQualifiedName(strategy, `${field}.strategy.strategy`));
    }
  }
  if (typeof spec.preferredHolder === 'string' && spec.preferredHolder && !strategy) {
    errors.push(fieldErrors.forbidden(`${field}.preferredHolder`, 'may only be specified if `strategy` is defined'));
  }
  return errors;
}

/** A Lease: metadata (namespaced, DNS subdomain name) and spec. Updates are checked the same way. */
export function validateLease(lease: Lease): FieldError[] {
  return [
    ...validateObjectMeta(lease.metadata ?? {}, { namespaced: true, nameValidator: isDNS1123Subdomain }),
    ...validateLeaseSpec(lease.spec, 'spec'),
  ];
}

/** Leases (coordination.k8s.io/v1). */
export const leaseRules: KindRules<Lease> = {
  applyDefaults: () => {},
  validateCreate: validateLease,
  validateUpdate: (lease) => validateLease(lease),
};
