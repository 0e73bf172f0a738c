/**
 * Events (core/v1). The only defaults are what upstream's Go type prints for unset fields. The core/v1
 * API only applies upstream's "legacy" checks; the strict ones belong to events.k8s.io/v1, which
 * everynode does not serve. Names only need to be usable as a URL path segment (upstream's generic rule
 * for kinds without their own), since event names are generated as `<object>.<hex>`.
 *
 * Upstream: ValidateEventCreate, ValidateEventUpdate and legacyValidateEvent in
 * pkg/apis/core/validation/events.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, isQualifiedName, validateObjectMeta } from '../names.js';
import type { Event } from '../types.js';
import { isObject, isValidPathSegmentName } from './common.js';
import type { KindRules } from './rules.js';

const reportingInstanceLengthLimit = 128;
const actionLengthLimit = 128;
const reasonLengthLimit = 128;
const noteLengthLimit = 1024;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The checks every event passes. An event without `eventTime` (the classic kind kubectl and most
 * controllers write) must sit in its object's namespace (or `default`, for cluster-scoped objects); one
 * with `eventTime` must also name its reporter, action and reason within length limits.
 */
export function legacyValidateEvent(event: Event): FieldError[] {
  const errors: FieldError[] = [];
  const namespace = event.metadata?.namespace ?? '';
  const involved = isObject(event.involvedObject) ? event.involvedObject : {};
  const involvedNamespace = str(involved.namespace);
  const mismatch = fieldErrors.invalid('involvedObject.namespace', involvedNamespace, 'does not match event.namespace');
  if (!event.eventTime) {
    if (!involvedNamespace) {
      if (namespace !== '' && namespace !== 'default') errors.push(mismatch);
    } else if (namespace !== involvedNamespace) {
      errors.push(mismatch);
    }
  } else {
    if (!involvedNamespace && namespace !== 'default' && namespace !== 'kube-system') errors.push(mismatch);
    const controller = str(event.reportingComponent);
    if (!controller) errors.push(fieldErrors.required('reportingController'));
    for (const message of isQualifiedName(controller)) errors.push(fieldErrors.invalid('reportingController', controller, message));
    const instance = str(event.reportingInstance);
    if (!instance) errors.push(fieldErrors.required('reportingInstance'));
    if (instance.length > reportingInstanceLengthLimit) {
      errors.push(fieldErrors.invalid('reportingInstance', '', `can have at most ${reportingInstanceLengthLimit} characters`));
    }
    const action = str(event.action);
    if (!action) errors.push(fieldErrors.required('action'));
    if (action.length > actionLengthLimit) errors.push(fieldErrors.invalid('action', '', `can have at most ${actionLengthLimit} characters`));
    const reason = str(event.reason);
    if (!reason) errors.push(fieldErrors.required('reason'));
    if (reason.length > reasonLengthLimit) errors.push(fieldErrors.invalid('reason', '', `can have at most ${reasonLengthLimit} characters`));
    if (str(event.message).length > noteLengthLimit) errors.push(fieldErrors.invalid('message', '', `can have at most ${noteLengthLimit} characters`));
  }
  for (const message of isDNS1123Subdomain(namespace)) errors.push(fieldErrors.invalid('namespace', namespace, message));
  return errors;
}

function validateEventMetadata(event: Event): FieldError[] {
  return validateObjectMeta(event.metadata ?? {}, { namespaced: true, nameValidator: isValidPathSegmentName });
}

/**
 * A new event: the legacy checks, and only when they pass, the metadata under the generic name rule
 * (upstream's registry stops at the kind's own errors before it checks metadata generically).
 */
export function validateEventCreate(event: Event): FieldError[] {
  const errors = legacyValidateEvent(event);
  return errors.length > 0 ? errors : validateEventMetadata(event);
}

/** An event update: the generic metadata checks, then the legacy checks (the order of upstream's update path). */
export function validateEventUpdate(event: Event): FieldError[] {
  return [...validateEventMetadata(event), ...legacyValidateEvent(event)];
}

/**
 * What upstream's Go type prints for unset fields: the three times as `null` (zero times), `source` as
 * `{}` (a struct), and the reporting controller and instance as `""` (strings without omitempty).
 */
export function setDefaultsEvent(event: Event): void {
  const fields = event as unknown as Record<string, unknown>;
  for (const time of ['firstTimestamp', 'lastTimestamp', 'eventTime']) fields[time] ??= null;
  fields.source ??= {};
  fields.reportingComponent ??= '';
  fields.reportingInstance ??= '';
}

/** Events (core/v1). */
export const eventRules: KindRules<Event> = {
  applyDefaults: setDefaultsEvent,
  validateCreate: validateEventCreate,
  validateUpdate: (event) => validateEventUpdate(event),
};
