/**
 * DaemonSets (apps/v1): defaulting and validation.
 *
 * Upstream: SetDefaults_DaemonSet in pkg/apis/apps/v1/defaults.go; ValidateDaemonSet,
 * ValidateDaemonSetSpec, ValidateDaemonSetUpdate, ValidateDaemonSetStatusUpdate and
 * ValidateRollingUpdateDaemonSet in pkg/apis/apps/validation/validation.go; ValidateUpdate in
 * pkg/registry/apps/daemonset/strategy.go. See shared/reference/daemonset-semantics.md §2.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { labelSelectorFromObject, matchesLabels, validateLabelSelector } from '../labels.js';
import { isDNS1123Subdomain, validateObjectMeta } from '../names.js';
import type {
  DaemonSet,
  DaemonSetSpec,
  DaemonSetStatus,
  DaemonSetUpdateStrategy,
  IntOrString,
  LabelSelector,
  RollingUpdateDaemonSet,
} from '../types.js';
import {
  asArray,
  intOrPercentValue,
  isNotMoreThan100Percent,
  isObject,
  validateImmutableField,
  validateKubeFinalizers,
  validateNonnegativeField,
  validatePositiveIntOrPercent,
} from './common.js';
import { goIntOrString, goLabelSelector, goQuote, goStringMap, invalidRendered, renderedFieldError } from './go-format.js';
import { setDefaultsPodTemplateSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-spec.js';
import type { KindRules } from './rules.js';

/** Old revisions kept for rollback when the spec does not say. */
export const defaultRevisionHistoryLimit = 10;

// ---------------------------------------------------------------------------------------------
// Defaults.

/**
 * Upstream's DaemonSet defaults: update strategy `RollingUpdate` with `maxUnavailable: 1` and
 * `maxSurge: 0` (only for RollingUpdate; OnDelete keeps whatever it was given), a revision history
 * of 10, and the pod-template defaults.
 *
 * Note that `maxUnavailable` is defaulted even when the user set `maxSurge`, so `{maxSurge: 1}` alone
 * fails validation: surging needs an explicit `maxUnavailable: 0`.
 */
export function setDefaultsDaemonSet(ds: DaemonSet): void {
  // Missing structs are zero values upstream, and zero values get defaulted too.
  if (!isObject(ds.spec)) ds.spec = {} as DaemonSetSpec;
  const spec = ds.spec;
  if (!isObject(spec.template)) spec.template = { spec: {} as DaemonSetSpec['template']['spec'] };
  if (!isObject(spec.updateStrategy)) spec.updateStrategy = {};
  const strategy = spec.updateStrategy;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rollingUpdate: RollingUpdateDaemonSet = isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : {};
    strategy.rollingUpdate = rollingUpdate;
    if (rollingUpdate.maxUnavailable === undefined || rollingUpdate.maxUnavailable === null) rollingUpdate.maxUnavailable = 1;
    if (rollingUpdate.maxSurge === undefined || rollingUpdate.maxSurge === null) rollingUpdate.maxSurge = 0;
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = defaultRevisionHistoryLimit;
  setDefaultsPodTemplateSpec(spec.template);
}

// ---------------------------------------------------------------------------------------------
// Validation.

/**
 * `maxUnavailable` and `maxSurge`: each an integer ≥ 0 or a percentage ≤ 100%, and exactly one of
 * them non-zero.
 */
export function validateRollingUpdateDaemonSet(rollingUpdate: { maxUnavailable?: IntOrString; maxSurge?: IntOrString }, field: string): FieldError[] {
  const { maxUnavailable, maxSurge } = rollingUpdate;
  const errors = [
    ...validatePositiveIntOrPercent(maxUnavailable, `${field}.maxUnavailable`),
    ...validatePositiveIntOrPercent(maxSurge, `${field}.maxSurge`),
    ...isNotMoreThan100Percent(maxUnavailable, `${field}.maxUnavailable`),
    ...isNotMoreThan100Percent(maxSurge, `${field}.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errors.push(invalidRendered(`${field}.maxSurge`, goIntOrString(maxSurge), 'may not be set when maxUnavailable is non-zero', maxSurge));
  } else if (!hasUnavailable && !hasSurge) {
    errors.push(fieldErrors.required(`${field}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  return errors;
}

/** How upstream prints the strategy struct in its "Unsupported value" error. */
function goUpdateStrategy(strategy: DaemonSetUpdateStrategy): string {
  // A set pointer prints as an address upstream; no client can depend on its value.
  const rollingUpdate = isObject(strategy.rollingUpdate) ? '(*apps.RollingUpdateDaemonSet)(0xc000000000)' : '(*apps.RollingUpdateDaemonSet)(nil)';
  return `apps.DaemonSetUpdateStrategy{Type:${goQuote(strategy.type ?? '')}, RollingUpdate:${rollingUpdate}}`;
}

/** The update strategy: a known type; RollingUpdate needs its parameters (defaulting provides them). */
export function validateDaemonSetUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined, field: string): FieldError[] {
  const value = isObject(strategy) ? strategy : {};
  switch (value.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate':
      if (!isObject(value.rollingUpdate)) return [fieldErrors.required(`${field}.rollingUpdate`)];
      return validateRollingUpdateDaemonSet(value.rollingUpdate, `${field}.rollingUpdate`);
    default: {
      const supported = 'supported values: "RollingUpdate", "OnDelete"';
      return [renderedFieldError('FieldValueNotSupported', field, goUpdateStrategy(value), supported, value)];
    }
  }
}

/** Whether the selector matches the labels, when it converts at all (an invalid one is reported elsewhere). */
function selectorMismatch(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  let requirements: ReturnType<typeof labelSelectorFromObject>;
  try {
    requirements = labelSelectorFromObject(selector);
  } catch {
    return false;
  }
  return !matchesLabels(requirements, labels);
}

/**
 * The spec: a valid selector that selects the template's labels and is not empty; a valid pod
 * template that always restarts and has no active deadline; non-negative counts; a valid strategy.
 *
 * A missing selector selects nothing, so it fails as "does not match template labels" (current
 * upstream behaviour; older releases said `spec.selector: Required value`).
 */
export function validateDaemonSetSpec(spec: DaemonSetSpec, field: string): FieldError[] {
  if (!isObject(spec)) return [fieldErrors.required(field)];
  const errors = validateLabelSelector(spec.selector, `${field}.selector`);
  const template = isObject(spec.template) ? spec.template : undefined;
  const templateLabels = isObject(template?.metadata) ? template.metadata.labels : undefined;
  if (selectorMismatch(spec.selector, templateLabels)) {
    errors.push(
      invalidRendered(`${field}.template.metadata.labels`, goStringMap(templateLabels), '`selector` does not match template `labels`', templateLabels),
    );
  }
  const selector = spec.selector;
  const selectorSize = (s: LabelSelector): number => Object.keys(s.matchLabels ?? {}).length + asArray(s.matchExpressions).length;
  if (isObject(selector) && selectorSize(selector) === 0) {
    errors.push(invalidRendered(`${field}.selector`, goLabelSelector(selector), 'empty selector is invalid for daemonset', selector));
  }
  errors.push(...validatePodTemplateSpec(template, `${field}.template`));
  const templateSpec = isObject(template?.spec) ? template.spec : undefined;
  const restartPolicy = templateSpec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errors.push(fieldErrors.notSupported(`${field}.template.spec.restartPolicy`, restartPolicy, ['Always']));
  if (templateSpec?.activeDeadlineSeconds !== undefined && templateSpec.activeDeadlineSeconds !== null) {
    errors.push(fieldErrors.forbidden(`${field}.template.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errors.push(...validateNonnegativeField(spec.minReadySeconds ?? 0, `${field}.minReadySeconds`));
  errors.push(...validateDaemonSetUpdateStrategy(spec.updateStrategy, `${field}.updateStrategy`));
  if (typeof spec.revisionHistoryLimit === 'number') errors.push(...validateNonnegativeField(spec.revisionHistoryLimit, `${field}.revisionHistoryLimit`));
  return errors;
}

/** A new DaemonSet: metadata (name a DNS subdomain, namespaced) and spec. */
export function validateDaemonSet(ds: DaemonSet): FieldError[] {
  return [
    ...validateObjectMeta(ds.metadata ?? {}, { namespaced: true, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(ds.metadata?.finalizers),
    ...validateDaemonSetSpec(ds.spec, 'spec'),
  ];
}

/**
 * An update through the main resource. Mirrors upstream's strategy exactly: the whole object is
 * validated as on create, then the update rules run, and they validate the spec a second time, so
 * every spec error is reported twice (kubectl prints both); last, the selector may not change.
 */
export function validateDaemonSetUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  return [
    ...validateDaemonSet(ds),
    ...validateDaemonSetSpec(ds.spec, 'spec'),
    ...validateImmutableField(ds.spec?.selector, old.spec?.selector, 'spec.selector', (value) => goLabelSelector(value as LabelSelector | undefined)),
  ];
}

/**
 * An update through `/status`: every counter ≥ 0, and `collisionCount` never decreases (a missing
 * count after a present one counts as a decrease to 0).
 */
export function validateDaemonSetStatusUpdate(ds: DaemonSet, old: DaemonSet): FieldError[] {
  const status: Partial<DaemonSetStatus> = isObject(ds.status) ? ds.status : {};
  const counters = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
  ] as const;
  const errors = counters.flatMap((name) => validateNonnegativeField(status[name] ?? 0, `status.${name}`));
  if (typeof status.collisionCount === 'number') errors.push(...validateNonnegativeField(status.collisionCount, 'status.collisionCount'));
  const newCount = status.collisionCount;
  const oldCount = isObject(old.status) ? old.status.collisionCount : undefined;
  const decremented = typeof oldCount === 'number' && (typeof newCount !== 'number' || newCount < oldCount);
  if (decremented) errors.push(fieldErrors.invalid('status.collisionCount', typeof newCount === 'number' ? newCount : 0, 'cannot be decremented'));
  return errors;
}

/** The status counters upstream's Go type omits when they are 0 (`omitempty`); the other four always print. */
const countersOmittedAtZero = ['observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;

/**
 * What upstream prints of a written status: the counters in {@link countersOmittedAtZero} leave at 0,
 * and an empty condition list leaves, so `kubectl get ds -o yaml` shows no `numberUnavailable: 0`.
 */
export function setDefaultsDaemonSetStatus(ds: DaemonSet): void {
  const status = ds.status as Record<string, unknown> | undefined;
  if (!isObject(status)) return;
  for (const name of countersOmittedAtZero) if (status[name] === 0) delete status[name];
  if (Array.isArray(status.conditions) && status.conditions.length === 0) delete status.conditions;
}

/** DaemonSets (apps/v1). */
export const daemonSetRules: KindRules<DaemonSet> = {
  applyDefaults: setDefaultsDaemonSet,
  applyStatusDefaults: setDefaultsDaemonSetStatus,
  validateCreate: validateDaemonSet,
  validateUpdate: validateDaemonSetUpdate,
  validateStatusUpdate: validateDaemonSetStatusUpdate,
};
