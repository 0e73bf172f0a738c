/**
 * ControllerRevisions (apps/v1): immutable snapshots of a DaemonSet's template. No defaults.
 *
 * Upstream: ValidateControllerRevision and ValidateControllerRevisionUpdate in
 * pkg/apis/apps/validation/validation.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, validateObjectMeta } from '../names.js';
import type { ControllerRevision } from '../types.js';
import { validateImmutableField, validateKubeFinalizers, validateNonnegativeField } from './common.js';
import type { KindRules } from './rules.js';

/** A revision: valid metadata, some `data`, and a revision number ≥ 0. */
export function validateControllerRevision(revision: ControllerRevision): FieldError[] {
  const errors = [
    ...validateObjectMeta(revision.metadata ?? {}, { namespaced: true, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(revision.metadata?.finalizers),
  ];
  if (revision.data === undefined || revision.data === null) errors.push(fieldErrors.required('data', 'data is mandatory'));
  errors.push(...validateNonnegativeField(typeof revision.revision === 'number' ? revision.revision : 0, 'revision'));
  return errors;
}

/**
 * An update: still valid, and `data` unchanged (upstream prints the old bytes as a Go struct; the
 * error here shows the new data as JSON). Only metadata (labels, owner references) may change.
 */
export function validateControllerRevisionUpdate(revision: ControllerRevision, old: ControllerRevision): FieldError[] {
  return [...validateControllerRevision(revision), ...validateImmutableField(revision.data, old.data, 'data')];
}

/** ControllerRevisions (apps/v1). */
export const controllerRevisionRules: KindRules<ControllerRevision> = {
  applyDefaults: () => {},
  validateCreate: validateControllerRevision,
  validateUpdate: validateControllerRevisionUpdate,
};
