/**
 * Pods: defaulting, validation on create, the narrow set of spec changes allowed on update, and the
 * status-update rules.
 *
 * Upstream: ValidatePodCreate, ValidatePodUpdate, ValidatePodStatusUpdate in
 * pkg/apis/core/validation/validation.go; pkg/registry/core/pod/strategy.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, validateObjectMeta } from '../names.js';
import type { Container, Pod, PodSpec } from '../types.js';
import {
  asArray,
  inclusiveRangeError,
  ipFamily,
  isObject,
  semanticEqual,
  sortedKeys,
  validateImmutableField,
  validateKubeFinalizers,
  validateQualifiedName,
} from './common.js';
import { validateContainerImagesForPod } from './containers.js';
import { goQuote, invalidRendered, invalidValue, renderedFieldError } from './go-format.js';
import { setDefaultsPod, setDefaultsPodStatus } from './pod-defaults.js';
import { appArmorAnnotationPrefix, validatePodSpec, validatePodSpecificAnnotations } from './pod-spec.js';
import { validateTolerations } from './scheduling-constraints.js';
import type { KindRules } from './rules.js';

type JsonObject = Record<string, unknown>;

const maxInt32 = 2147483647;
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/** The spec fields a pod update may change, as upstream lists them in its error. */
const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Metadata, pod annotations, the spec as a Pod's, and the pod-only checks (shared by create and update). */
function validatePodMetadataAndSpec(pod: Pod): FieldError[] {
  const errors = [
    ...validateObjectMeta(pod.metadata ?? {}, { namespaced: true, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(pod.metadata?.finalizers),
    ...validatePodSpecificAnnotations(pod.metadata?.annotations, pod.spec, 'metadata.annotations'),
    ...validatePodSpec(pod.spec, 'spec', { resourceIsPod: true }),
  ];
  const spec = isObject(pod.spec) ? pod.spec : undefined;
  if (spec && !spec.serviceAccountName) {
    asArray<JsonObject>(spec.volumes).forEach((volume, i) => {
      const projected = volume?.projected;
      if (!isObject(projected)) return;
      asArray<JsonObject>(projected.sources).forEach((source, j) => {
        if (isObject(source?.serviceAccountToken)) {
          errors.push(
            fieldErrors.forbidden(
              `spec.volumes[${i}].projected.sources[${j}].serviceAccountToken`,
              'must not be specified when serviceAccountName is not set',
            ),
          );
        }
      });
    });
  }
  errors.push(...validateContainerImagesForPod(spec?.containers, 'spec.containers'));
  errors.push(...validateContainerImagesForPod(spec?.initContainers, 'spec.initContainers'));
  return errors;
}

/**
 * A new Pod: metadata, annotations, spec; no ephemeral containers yet (they are added through their
 * own subresource), and no node name while scheduling gates remain.
 */
export function validatePodCreate(pod: Pod): FieldError[] {
  const errors = validatePodMetadataAndSpec(pod);
  const spec = isObject(pod.spec) ? pod.spec : undefined;
  if (asArray(spec?.ephemeralContainers).length > 0) errors.push(fieldErrors.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (spec?.nodeName && asArray(spec.schedulingGates).length > 0) {
    errors.push(fieldErrors.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  }
  return errors;
}

/** The mirror-pod and AppArmor annotations may be neither added, changed nor removed. */
function validatePodAnnotationUpdates(pod: Pod, old: Pod): FieldError[] {
  const field = 'metadata.annotations';
  const next = pod.metadata?.annotations ?? {};
  const prev = old.metadata?.annotations ?? {};
  const errors: FieldError[] = [];
  for (const key of sortedKeys(prev)) {
    if (Object.hasOwn(next, key) && next[key] === prev[key]) continue;
    if (key.startsWith(appArmorAnnotationPrefix)) errors.push(fieldErrors.forbidden(`${field}[${key}]`, 'may not remove or update AppArmor annotations'));
    if (key === mirrorPodAnnotation) errors.push(fieldErrors.forbidden(`${field}[${key}]`, 'may not remove or update mirror pod annotation'));
  }
  for (const key of sortedKeys(next)) {
    if (Object.hasOwn(prev, key)) continue;
    if (key.startsWith(appArmorAnnotationPrefix)) errors.push(fieldErrors.forbidden(`${field}[${key}]`, 'may not add AppArmor annotations'));
    if (key === mirrorPodAnnotation) errors.push(fieldErrors.forbidden(`${field}[${key}]`, 'may not add mirror pod annotation'));
  }
  return errors;
}

/** Containers may not be added or removed, and every image stays required. `stop` ends the update checks. */
function validateContainerUpdates(next: unknown, prev: unknown, field: string): { errors: FieldError[]; stop: boolean } {
  const nextList = asArray<Container>(next);
  if (nextList.length !== asArray(prev).length) {
    return { errors: [fieldErrors.forbidden(field, 'pod updates may not add or remove containers')], stop: true };
  }
  const errors: FieldError[] = [];
  nextList.forEach((container, i) => {
    const image = typeof container?.image === 'string' ? container.image : '';
    if (!image) errors.push(fieldErrors.required(`${field}[${i}].image`));
    if (image.trim() !== image) errors.push(fieldErrors.invalid(`${field}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return { errors, stop: false };
}

/** Tolerations may be added; existing ones may only change their tolerationSeconds. */
function validateOnlyAddedTolerations(next: unknown, prev: unknown, field: string): FieldError[] {
  const nextList = asArray<JsonObject>(next);
  for (const old of asArray<JsonObject>(prev)) {
    const kept = nextList.some((candidate) => semanticEqual({ ...old, tolerationSeconds: candidate?.tolerationSeconds }, candidate));
    if (!kept) return [fieldErrors.forbidden(field, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, field);
}

/** Scheduling gates may only be removed. */
function validateOnlyDeletedSchedulingGates(next: unknown, prev: unknown, field: string): FieldError[] {
  const oldNames = new Set(asArray<JsonObject>(prev).map((gate) => gate?.name));
  return asArray<JsonObject>(next).flatMap((gate, i) =>
    oldNames.has(gate?.name) ? [] : [fieldErrors.forbidden(`${field}[${i}].name`, `only deletion is allowed, but found new scheduling gate '${String(gate?.name)}'`)],
  );
}

/** The new spec with every field an update may change put back to its old value. */
function mungedSpec(spec: PodSpec, old: PodSpec): JsonObject {
  const copy: JsonObject = structuredClone(spec);
  const withOldImages = (list: unknown, oldList: unknown): unknown =>
    Array.isArray(list) ? list.map((c, i) => ({ ...c, image: asArray<Container>(oldList)[i]?.image })) : list;
  copy.containers = withOldImages(copy.containers, old.containers);
  copy.initContainers = withOldImages(copy.initContainers, old.initContainers);
  copy.activeDeadlineSeconds = old.activeDeadlineSeconds;
  copy.schedulingGates = old.schedulingGates;
  copy.tolerations = old.tolerations;
  const oldGrace = old.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && copy.terminationGracePeriodSeconds === 1) copy.terminationGracePeriodSeconds = oldGrace;
  return copy;
}

/** A short account of what differs, in place of upstream's Go struct diff. */
function describeSpecDiff(old: JsonObject, munged: JsonObject): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(munged)])].sort();
  return keys
    .filter((key) => !semanticEqual(old[key], munged[key], true))
    .map((key) => `  spec.${key}: ${JSON.stringify(old[key]) ?? 'null'} -> ${JSON.stringify(munged[key]) ?? 'null'}`)
    .join('\n');
}

/**
 * A Pod update: the new pod must be valid, and only images, activeDeadlineSeconds (set, or lowered),
 * added tolerations, removed scheduling gates and a negative grace period raised to 1 may change.
 * Anything else is `spec: Forbidden: pod updates may not change fields other than ...`, followed by
 * a line per changed field (upstream follows with a Go struct diff instead).
 */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errors = [...validatePodMetadataAndSpec(pod), ...validatePodAnnotationUpdates(pod, old)];
  const spec = isObject(pod.spec) ? pod.spec : ({} as PodSpec);
  const oldSpec = isObject(old.spec) ? old.spec : ({} as PodSpec);
  for (const list of ['containers', 'initContainers'] as const) {
    const checked = validateContainerUpdates(spec[list], oldSpec[list], `spec.${list}`);
    errors.push(...checked.errors);
    if (checked.stop) return errors;
  }
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number') {
    if (deadline < 0 || deadline > maxInt32) {
      errors.push(fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, inclusiveRangeError(0, maxInt32)));
      return errors;
    }
    if (typeof oldSpec.activeDeadlineSeconds === 'number' && oldSpec.activeDeadlineSeconds < deadline) {
      errors.push(fieldErrors.invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'));
      return errors;
    }
  } else if (typeof oldSpec.activeDeadlineSeconds === 'number') {
    errors.push(invalidValue('spec.activeDeadlineSeconds', deadline, 'must not update from a positive integer to nil value'));
  }
  errors.push(...validateOnlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  errors.push(...validateOnlyDeletedSchedulingGates(spec.schedulingGates, oldSpec.schedulingGates, 'spec.schedulingGates'));
  if (semanticEqual(spec, oldSpec)) return errors;
  const munged = mungedSpec(spec, oldSpec);
  if (!semanticEqual(munged, oldSpec)) {
    const diff = describeSpecDiff(oldSpec as JsonObject, munged);
    errors.push(fieldErrors.forbidden('spec', `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${diff}`));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Status.

const systemConditions = new Set(['PodScheduled', 'Ready', 'Initialized']);

function validateContainerStateTransitions(next: unknown, prev: unknown, restartPolicy: string, field: string): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errors: FieldError[] = [];
  asArray<JsonObject>(prev).forEach((oldStatus, i) => {
    const terminated = isObject(oldStatus?.state) ? oldStatus.state.terminated : undefined;
    if (!isObject(terminated)) return;
    if (terminated.exitCode !== 0 && restartPolicy === 'OnFailure') return;
    for (const newStatus of asArray<JsonObject>(next)) {
      const stillTerminated = isObject(newStatus?.state) && isObject(newStatus.state.terminated);
      if (newStatus?.name === oldStatus.name && !stillTerminated) {
        errors.push(fieldErrors.forbidden(`${field}[${i}].state`, 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errors;
}

/** Pod or host IPs: each valid, at most one per family, no repeats. `goType` names the entry struct. */
function validateIPList(ips: unknown, field: string, goType: 'core.PodIP' | 'core.HostIP'): FieldError[] {
  const list = asArray<JsonObject>(ips);
  const errors: FieldError[] = [];
  const ipOf = (entry: JsonObject | undefined): string => (typeof entry?.ip === 'string' ? entry.ip : '');
  const render = (entry: JsonObject | undefined): string => `${goType}{IP:${goQuote(ipOf(entry))}}`;
  const families = list.map((entry, i) => {
    const family = ipFamily(ipOf(entry));
    if (!family) errors.push(fieldErrors.invalid(`${field}[${i}]`, ipOf(entry), 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
    return family;
  });
  if (list.length > 1) {
    const dualStack = list.length === 2 && families[0] !== undefined && families[1] !== undefined && families[0] !== families[1];
    if (!dualStack) {
      errors.push(invalidRendered(field, `[]${goType}{${list.map(render).join(', ')}}`, 'may specify no more than one IP for each IP family', list));
    }
    const seen = new Set<string>();
    list.forEach((entry, i) => {
      if (seen.has(ipOf(entry))) errors.push(renderedFieldError('FieldValueDuplicate', `${field}[${i}]`, render(entry), undefined, entry));
      seen.add(ipOf(entry));
    });
  }
  return errors;
}

/**
 * A status update: the node name may not change here (bindings set it), QoS class is immutable,
 * custom condition types are qualified names, terminated containers of pods that do not restart
 * stay terminated, and pod and host IPs are valid (one per family).
 */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errors = validatePodAnnotationUpdates(pod, old);
  const status = isObject(pod.status) ? pod.status : {};
  const oldStatus = isObject(old.status) ? old.status : {};
  asArray<JsonObject>(status.conditions).forEach((condition, i) => {
    const type = typeof condition?.type === 'string' ? condition.type : '';
    // Upstream reports these under metadata, with a capital T.
    if (!systemConditions.has(type)) errors.push(...validateQualifiedName(type, `metadata.conditions[${i}].Type`));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errors.push(fieldErrors.forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = typeof status.nominatedNodeName === 'string' ? status.nominatedNodeName : '';
  if (nominated && nominated !== oldStatus.nominatedNodeName) {
    errors.push(...isDNS1123Subdomain(nominated).map((message) => fieldErrors.invalid('status.nominatedNodeName', nominated, message)));
  }
  errors.push(...validateImmutableField(status.qosClass ?? '', oldStatus.qosClass ?? '', 'status.qosClass'));
  const restartPolicy = typeof old.spec?.restartPolicy === 'string' ? old.spec.restartPolicy : '';
  errors.push(...validateContainerStateTransitions(status.containerStatuses, oldStatus.containerStatuses, restartPolicy, 'status.containerStatuses'));
  errors.push(...validateIPList(status.podIPs, 'status.podIPs', 'core.PodIP'));
  const hostIPs = asArray<JsonObject>(status.hostIPs);
  if (hostIPs.length > 0 && status.hostIP !== hostIPs[0]?.ip) {
    errors.push(fieldErrors.invalid('status.hostIPs[0].ip', String(hostIPs[0]?.ip ?? ''), 'must be equal to `hostIP`'));
  }
  errors.push(...validateIPList(status.hostIPs, 'status.hostIPs', 'core.HostIP'));
  return errors;
}

/** Pods (core/v1). */
export const podRules: KindRules<Pod> = {
  applyDefaults: setDefaultsPod,
  applyStatusDefaults: setDefaultsPodStatus,
  validateCreate: validatePodCreate,
  validateUpdate: validatePodUpdate,
  validateStatusUpdate: validatePodStatusUpdate,
};
