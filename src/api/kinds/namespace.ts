/**
 * Namespaces (core/v1, cluster-scoped): defaulting, the create-time finalizer, and validation.
 *
 * Upstream: SetDefaults_Namespace and SetDefaults_NamespaceStatus in pkg/apis/core/v1/defaults.go;
 * PrepareForCreate in pkg/registry/core/namespace/strategy.go; ValidateNamespace,
 * ValidateNamespaceStatusUpdate in pkg/apis/core/validation/validation.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Label, validateObjectMeta } from '../names.js';
import type { Namespace } from '../types.js';
import { asArray, isObject, validateKubeFinalizerName, validateKubeFinalizers, validateQualifiedName } from './common.js';
import type { KindRules } from './rules.js';

/** Label every namespace carries, equal to its name. */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';
/** Finalizer the namespace controller removes once the namespace's contents are gone. */
export const kubernetesFinalizer = 'kubernetes';

/**
 * Namespace defaults: the `kubernetes.io/metadata.name` label, always equal to the name (a user
 * cannot change or remove it), and `status.phase: Active` when no phase is set.
 */
export function setDefaultsNamespace(namespace: Namespace): void {
  const metadata = namespace.metadata;
  // A namespace being created from generateName has no name yet; it is labelled once it does.
  if (isObject(metadata) && metadata.name) metadata.labels = { ...(metadata.labels ?? {}), [namespaceNameLabel]: metadata.name };
  if (!isObject(namespace.status)) namespace.status = {};
  if (!namespace.status.phase) namespace.status.phase = 'Active';
}

/**
 * On create only: status starts `Active` and `spec.finalizers` gains `kubernetes` when missing. Not
 * a default, because the finalizer must stay removed once the namespace controller removes it.
 */
export function prepareNamespaceForCreate(namespace: Namespace): void {
  namespace.status = { phase: 'Active' };
  if (!isObject(namespace.spec)) namespace.spec = {};
  const finalizers = asArray<string>(namespace.spec.finalizers);
  if (!finalizers.includes(kubernetesFinalizer)) namespace.spec.finalizers = [...finalizers, kubernetesFinalizer];
}

/** A namespace: cluster-scoped metadata with a DNS-1123 label name, and valid spec finalizers. */
export function validateNamespace(namespace: Namespace): FieldError[] {
  const errors = [
    ...validateObjectMeta(namespace.metadata ?? {}, { namespaced: false, nameValidator: isDNS1123Label }),
    ...validateKubeFinalizers(namespace.metadata?.finalizers),
  ];
  // Upstream reports spec finalizers against the list, without the index.
  for (const finalizer of asArray<string>(isObject(namespace.spec) ? namespace.spec.finalizers : undefined)) {
    const name = String(finalizer);
    errors.push(...validateQualifiedName(name, 'spec.finalizers'), ...validateKubeFinalizerName(name, 'spec.finalizers'));
  }
  return errors;
}

/**
 * A status update: the phase is `Active` until deletion starts, `Terminating` after (upstream spells
 * the path `status.Phase`).
 */
export function validateNamespaceStatusUpdate(namespace: Namespace): FieldError[] {
  const phase = namespace.status?.phase ?? '';
  if (!namespace.metadata?.deletionTimestamp) {
    return phase === 'Active' ? [] : [fieldErrors.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty")];
  }
  return phase === 'Terminating' ? [] : [fieldErrors.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty")];
}

/** Namespaces (core/v1). An update is validated as a create, as upstream's strategy does. */
export const namespaceRules: KindRules<Namespace> = {
  applyDefaults: setDefaultsNamespace,
  prepareForCreate: prepareNamespaceForCreate,
  validateCreate: validateNamespace,
  validateUpdate: validateNamespace,
  validateStatusUpdate: validateNamespaceStatusUpdate,
};
