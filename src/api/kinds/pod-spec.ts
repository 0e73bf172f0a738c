/**
 * Validation of a pod spec and of a pod template (a spec with labels and annotations), as embedded in
 * Pods, DaemonSets and every other workload.
 *
 * Upstream: ValidatePodSpec, ValidatePodTemplateSpec and ValidatePodSpecificAnnotations in
 * pkg/apis/core/validation/validation.go. The checks run in upstream's order, so errors come out in
 * the order kubectl users see.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { validateLabels } from '../labels.js';
import { validateAnnotations } from '../names.js';
import type { PodSpec, PodTemplateSpec } from '../types.js';
import {
  asArray,
  inclusiveRangeError,
  isObject,
  isValidUnixId,
  sortedKeys,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateIP,
  validateQualifiedName,
} from './common.js';
import {
  validateAppArmorProfile,
  validateContainers,
  validateInitContainers,
  validateSeccompProfile,
  validateUnixId,
  type ContainerContext,
} from './containers.js';
import { invalidValue } from './go-format.js';
import { validateResourceRequirements } from './resources.js';
import { validateAffinity, validateTolerations, validateTopologySpreadConstraints } from './scheduling-constraints.js';
import { validateLocalDescendingPath, validateVolumes } from './volumes.js';

type JsonObject = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** How a pod spec is being validated. */
export interface PodValidationOptions {
  /**
   * The spec belongs to a Pod rather than a template: host ports must then equal container ports
   * under host networking (templates may leave them 0, defaulting fills them in on the pod).
   */
  resourceIsPod: boolean;
}

const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];
const maxInt32 = 2147483647;

/** `spec.restartPolicy`: Always, OnFailure or Never. */
export function validateRestartPolicy(policy: unknown, field: string): FieldError[] {
  const value = str(policy);
  if (!value) return [fieldErrors.required(field)];
  return restartPolicies.includes(value) ? [] : [fieldErrors.notSupported(field, value, restartPolicies)];
}

function validateDNSPolicy(policy: unknown, field: string): FieldError[] {
  const value = str(policy);
  if (!value) return [fieldErrors.required(field)];
  return dnsPolicies.includes(value) ? [] : [fieldErrors.notSupported(field, value, dnsPolicies)];
}

/** `preemptionPolicy` of pods and priority classes: PreemptLowerPriority or Never. */
export function validatePreemptionPolicy(policy: unknown, field: string): FieldError[] {
  const value = str(policy);
  if (!value) return [fieldErrors.required(field)];
  return preemptionPolicies.includes(value) ? [] : [fieldErrors.notSupported(field, value, preemptionPolicies)];
}

/** Under host networking a host port, when given (always, for pods), must equal the container port. */
function validateHostNetworkPorts(spec: PodSpec, field: string, options: PodValidationOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errors: FieldError[] = [];
  asArray(spec.containers).forEach((container, i) => {
    asArray<JsonObject>(isObject(container) ? container.ports : undefined).forEach((port, j) => {
      const hostPort = typeof port?.hostPort === 'number' ? port.hostPort : 0;
      const containerPort = typeof port?.containerPort === 'number' ? port.containerPort : 0;
      if ((options.resourceIsPod || hostPort !== 0) && hostPort !== containerPort) {
        errors.push(fieldErrors.invalid(`${field}.containers[${i}].ports[${j}].hostPort`, hostPort, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errors;
}

const sysctlName = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const sysctlFormat = '^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';

function validateSysctls(context: JsonObject, hostNetwork: boolean, hostIPC: boolean, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  asArray<JsonObject>(context.sysctls).forEach((sysctl, i) => {
    const name = str(sysctl?.name);
    const path = `${field}[${i}].name`;
    if (!name) errors.push(fieldErrors.required(path));
    else if (name.length > 253 || !sysctlName.test(name)) {
      errors.push(fieldErrors.invalid(path, name, `must have at most 253 characters and match regex ${sysctlFormat}`));
    } else if (names.has(name)) errors.push(fieldErrors.duplicate(path, name));
    // Namespaced sysctls make no sense for namespaces shared with the host.
    if (hostNetwork && name.startsWith('net.')) errors.push(fieldErrors.invalid(path, name, "may not be specified when 'hostNetwork' is true"));
    if (hostIPC && (name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name === 'kernel.sem' || name.startsWith('fs.mqueue.'))) {
      errors.push(fieldErrors.invalid(path, name, "may not be specified when 'hostIPC' is true"));
    }
    names.add(name);
  });
  return errors;
}

function validatePodSecurityContext(spec: PodSpec, field: string): FieldError[] {
  const context = spec.securityContext;
  if (!isObject(context)) return [];
  const errors: FieldError[] = [];
  errors.push(...validateUnixId(context.fsGroup, `${field}.fsGroup`));
  errors.push(...validateUnixId(context.runAsUser, `${field}.runAsUser`));
  errors.push(...validateUnixId(context.runAsGroup, `${field}.runAsGroup`));
  asArray<number>(context.supplementalGroups).forEach((gid, i) => {
    if (typeof gid === 'number') {
      errors.push(...isValidUnixId(gid).map((message) => fieldErrors.invalid(`${field}.supplementalGroups[${i}]`, gid, message)));
    }
  });
  if (spec.shareProcessNamespace === true && spec.hostPID === true) {
    errors.push(fieldErrors.invalid(`${field}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  errors.push(...validateSysctls(context, spec.hostNetwork === true, spec.hostIPC === true, `${field}.sysctls`));
  const changePolicy = context.fsGroupChangePolicy;
  if (changePolicy !== undefined && changePolicy !== null && changePolicy !== 'Always' && changePolicy !== 'OnRootMismatch') {
    errors.push(fieldErrors.notSupported(`${field}.fsGroupChangePolicy`, changePolicy, ['Always', 'OnRootMismatch']));
  }
  errors.push(...validateSeccompProfile(context.seccompProfile, `${field}.seccompProfile`));
  errors.push(...validateAppArmorProfile(context.appArmorProfile, `${field}.appArmorProfile`));
  const groupsPolicy = context.supplementalGroupsPolicy;
  if (groupsPolicy !== undefined && groupsPolicy !== null && groupsPolicy !== 'Merge' && groupsPolicy !== 'Strict') {
    errors.push(fieldErrors.notSupported(`${field}.supplementalGroupsPolicy`, groupsPolicy, ['Merge', 'Strict']));
  }
  const seLinuxChangePolicy = context.seLinuxChangePolicy;
  if (seLinuxChangePolicy !== undefined && seLinuxChangePolicy !== null && seLinuxChangePolicy !== 'MountOption' && seLinuxChangePolicy !== 'Recursive') {
    errors.push(fieldErrors.notSupported(`${field}.seLinuxChangePolicy`, seLinuxChangePolicy, ['MountOption', 'Recursive']));
  }
  return errors;
}

function validateImagePullSecrets(secrets: unknown, field: string): FieldError[] {
  return asArray<JsonObject>(secrets).flatMap((secret, i) =>
    isObject(secret) && Object.keys(secret).some((key) => key !== 'name') ? [invalidValue(`${field}[${i}]`, secret, 'only name may be set')] : [],
  );
}

function validateDNSConfig(config: unknown, dnsPolicy: string, field: string): FieldError[] {
  if (dnsPolicy === 'None') {
    if (!isObject(config)) return [fieldErrors.required(field, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (asArray(config.nameservers).length === 0) {
      return [fieldErrors.required(`${field}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  if (!isObject(config)) return [];
  const errors: FieldError[] = [];
  const nameservers = asArray<string>(config.nameservers);
  if (nameservers.length > 3) errors.push(invalidValue(`${field}.nameservers`, nameservers, 'must not have more than 3 nameservers'));
  nameservers.forEach((server, i) => errors.push(...validateIP(str(server), `${field}.nameservers[${i}]`)));
  const searches = asArray<string>(config.searches);
  if (searches.length > 32) errors.push(invalidValue(`${field}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) {
    errors.push(invalidValue(`${field}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  searches.forEach((search, i) => {
    const domain = str(search);
    if (domain !== '.') errors.push(...validateDNS1123Subdomain(domain.replace(/\.$/, ''), `${field}.searches[${i}]`));
  });
  asArray<JsonObject>(config.options).forEach((option, i) => {
    if (!str(option?.name)) errors.push(fieldErrors.required(`${field}.options[${i}]`, 'must not be empty'));
  });
  return errors;
}

function validateSchedulingGates(gates: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  asArray<JsonObject>(gates).forEach((gate, i) => {
    const name = str(gate?.name);
    errors.push(...validateQualifiedName(name, `${field}[${i}]`));
    if (seen.has(name)) errors.push(fieldErrors.duplicate(`${field}[${i}]`, name));
    seen.add(name);
  });
  return errors;
}

function validateHostAliases(aliases: unknown, field: string): FieldError[] {
  return asArray<JsonObject>(aliases).flatMap((alias, i) => [
    ...validateIP(str(alias?.ip), `${field}[${i}].ip`),
    ...asArray<string>(alias?.hostnames).flatMap((hostname, j) => validateDNS1123Subdomain(str(hostname), `${field}[${i}].hostnames[${j}]`)),
  ]);
}

/** Host namespaces may not be combined with a user namespace of the pod's own. */
function validateHostUsers(spec: PodSpec, field: string): FieldError[] {
  const context = spec.securityContext;
  if (!isObject(context) || context.hostUsers !== false) return [];
  const errors: FieldError[] = [];
  // Upstream capitalises two of these three paths.
  if (spec.hostNetwork === true) errors.push(fieldErrors.forbidden(`${field}.hostNetwork`, 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostPID === true) errors.push(fieldErrors.forbidden(`${field}.HostPID`, 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostIPC === true) errors.push(fieldErrors.forbidden(`${field}.HostIPC`, 'when `pod.Spec.HostUsers` is false'));
  return errors;
}

function validateOS(spec: PodSpec, field: string): FieldError[] {
  const os = spec.os;
  if (!isObject(os)) return [];
  const name = str(os.name);
  if (name !== 'linux' && name !== 'windows') return [fieldErrors.notSupported(`${field}.os.name`, name, ['linux', 'windows'])];
  if (name === 'windows') return [];
  const errors: FieldError[] = [];
  if (isObject(spec.securityContext) && spec.securityContext.windowsOptions !== undefined) {
    errors.push(fieldErrors.forbidden(`${field}.securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
  }
  for (const list of ['initContainers', 'containers'] as const) {
    asArray<JsonObject>(spec[list]).forEach((container, i) => {
      if (isObject(container?.securityContext) && container.securityContext.windowsOptions !== undefined) {
        errors.push(fieldErrors.forbidden(`${field}.${list}[${i}].securityContext.windowsOptions`, 'windows options cannot be set for a linux pod'));
      }
    });
  }
  return errors;
}

function validateNameField(value: unknown, field: string): FieldError[] {
  const name = str(value);
  return name ? validateDNS1123Subdomain(name, field) : [];
}

/**
 * A pod spec, in upstream's order: grace period, volumes, containers, init containers, host-network
 * ports, restart and DNS policies, node selector, security context, pull secrets, affinity, DNS
 * config, readiness and scheduling gates, topology spread, names it refers to, deadlines, hostname,
 * tolerations, host aliases, priority class, runtime class, preemption policy, overhead, OS.
 */
export function validatePodSpec(spec: PodSpec, field: string, options: PodValidationOptions): FieldError[] {
  if (!isObject(spec)) return [fieldErrors.required(field)];
  const errors: FieldError[] = [];
  const grace = spec.terminationGracePeriodSeconds;
  if (grace === undefined || grace === null) errors.push(fieldErrors.required(`${field}.terminationGracePeriodSeconds`));
  const hostUsers = !(isObject(spec.securityContext) && spec.securityContext.hostUsers === false);

  const volumes = validateVolumes(spec.volumes, `${field}.volumes`, options.resourceIsPod);
  errors.push(...volumes.errors);
  const context: ContainerContext = { volumes: volumes.volumes, gracePeriod: typeof grace === 'number' ? grace : undefined, hostUsers };
  errors.push(...validateContainers(spec.containers, context, `${field}.containers`));
  errors.push(...validateInitContainers(spec.initContainers, spec.containers, context, `${field}.initContainers`));

  errors.push(...validateHostNetworkPorts(spec, field, options));
  errors.push(...validateRestartPolicy(spec.restartPolicy, `${field}.restartPolicy`));
  errors.push(...validateDNSPolicy(spec.dnsPolicy, `${field}.dnsPolicy`));
  errors.push(...validateLabels(spec.nodeSelector, `${field}.nodeSelector`));
  errors.push(...validatePodSecurityContext(spec, `${field}.securityContext`));
  errors.push(...validateImagePullSecrets(spec.imagePullSecrets, `${field}.imagePullSecrets`));
  errors.push(...validateAffinity(spec.affinity, `${field}.affinity`));
  errors.push(...validateDNSConfig(spec.dnsConfig, str(spec.dnsPolicy), `${field}.dnsConfig`));
  asArray<JsonObject>(spec.readinessGates).forEach((gate, i) => {
    errors.push(...validateQualifiedName(str(gate?.conditionType), `${field}.readinessGates[${i}].conditionType`));
  });
  errors.push(...validateSchedulingGates(spec.schedulingGates, `${field}.schedulingGates`));
  errors.push(...validateTopologySpreadConstraints(spec.topologySpreadConstraints, `${field}.topologySpreadConstraints`));
  errors.push(...validateHostUsers(spec, field));
  errors.push(...validateNameField(spec.serviceAccountName, `${field}.serviceAccountName`));
  errors.push(...validateNameField(spec.nodeName, `${field}.nodeName`));
  const deadline = spec.activeDeadlineSeconds;
  if (typeof deadline === 'number' && (deadline < 1 || deadline > maxInt32)) {
    errors.push(fieldErrors.invalid(`${field}.activeDeadlineSeconds`, deadline, inclusiveRangeError(1, maxInt32)));
  }
  if (str(spec.hostname)) errors.push(...validateDNS1123Label(str(spec.hostname), `${field}.hostname`));
  if (str(spec.subdomain)) errors.push(...validateDNS1123Label(str(spec.subdomain), `${field}.subdomain`));
  errors.push(...validateTolerations(spec.tolerations, `${field}.tolerations`));
  errors.push(...validateHostAliases(spec.hostAliases, `${field}.hostAliases`));
  errors.push(...validateNameField(spec.priorityClassName, `${field}.priorityClassName`));
  if (spec.runtimeClassName !== undefined && spec.runtimeClassName !== null) {
    errors.push(...validateDNS1123Subdomain(str(spec.runtimeClassName), `${field}.runtimeClassName`));
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null) {
    errors.push(...validatePreemptionPolicy(spec.preemptionPolicy, `${field}.preemptionPolicy`));
  }
  if (isObject(spec.overhead)) errors.push(...validateResourceRequirements({ limits: spec.overhead }, `${field}.overhead`));
  errors.push(...validateOS(spec, field));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Annotations with meaning for pods.

const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';
const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerAnnotationPrefix = 'container.seccomp.security.alpha.kubernetes.io/';
/** Annotations under this prefix name a container's AppArmor profile (deprecated, still checked). */
export const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

/** `"0"`, `"-5"`, `"12"` but not `"+5"`, `"012"` or anything beyond 32 bits. */
function isDeletionCost(value: string): boolean {
  if (!/^(-?[1-9][0-9]*|0|-0)$/.test(value) && !/^-[0-9]+$/.test(value)) return false;
  const n = Number(value);
  return Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;
}

function seccompAnnotationErrors(profile: string, field: string): FieldError[] {
  if (profile === 'runtime/default' || profile === 'docker/default' || profile === 'unconfined') return [];
  if (profile.startsWith('localhost/')) return validateLocalDescendingPath(profile.slice('localhost/'.length), field);
  return [fieldErrors.invalid(field, profile, 'must be a valid seccomp profile')];
}

function podSpecHasContainer(spec: PodSpec, name: string): boolean {
  return ['initContainers', 'containers', 'ephemeralContainers'].some((list) => asArray<JsonObject>(spec?.[list]).some((c) => c?.name === name));
}

/**
 * Annotations that mean something to pods: the mirror-pod marker needs a node name, the deletion cost
 * must be a 32-bit integer, seccomp and AppArmor annotations must name valid profiles (and existing
 * containers).
 */
export function validatePodSpecificAnnotations(annotations: Record<string, string> | undefined, spec: PodSpec, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!annotations) return errors;
  if (Object.hasOwn(annotations, mirrorPodAnnotation) && !str(spec?.nodeName)) {
    errors.push(fieldErrors.invalid(`${field}[${mirrorPodAnnotation}]`, annotations[mirrorPodAnnotation], 'must set spec.nodeName if mirror pod annotation is set'));
  }
  if (Object.hasOwn(annotations, podDeletionCostAnnotation) && !isDeletionCost(annotations[podDeletionCostAnnotation])) {
    errors.push(fieldErrors.invalid(`${field}[${podDeletionCostAnnotation}]`, annotations[podDeletionCostAnnotation], 'must be a 32bit integer'));
  }
  for (const key of sortedKeys(annotations)) {
    const value = String(annotations[key]);
    // Upstream addresses seccomp annotations with `.` rather than `[...]`.
    if (key === seccompPodAnnotation || key.startsWith(seccompContainerAnnotationPrefix)) {
      errors.push(...seccompAnnotationErrors(value, `${field}.${key}`));
    }
    if (key.startsWith(appArmorAnnotationPrefix)) {
      const container = key.slice(appArmorAnnotationPrefix.length);
      if (!podSpecHasContainer(spec, container)) errors.push(fieldErrors.invalid(`${field}[${key}]`, container, 'container not found'));
      if (value !== '' && value !== 'runtime/default' && value !== 'unconfined' && !value.startsWith('localhost/')) {
        errors.push(fieldErrors.invalid(`${field}[${key}]`, value, `invalid AppArmor profile name: ${JSON.stringify(value)}`));
      }
    }
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Templates.

/**
 * A pod template: labels and annotations (reported at `<template>.labels`, not
 * `<template>.metadata.labels`, as upstream does), the pod-specific annotations, the spec as a
 * template spec, and no ephemeral containers.
 */
export function validatePodTemplateSpec(template: PodTemplateSpec | undefined, field: string): FieldError[] {
  if (!isObject(template)) return [fieldErrors.required(field)];
  const metadata = isObject(template.metadata) ? template.metadata : {};
  const errors = [
    ...validateLabels(metadata.labels, `${field}.labels`),
    ...validateAnnotations(metadata.annotations, `${field}.annotations`),
    ...validatePodSpecificAnnotations(metadata.annotations, template.spec, `${field}.annotations`),
    ...validatePodSpec(template.spec, `${field}.spec`, { resourceIsPod: false }),
  ];
  if (isObject(template.spec) && asArray(template.spec.ephemeralContainers).length > 0) {
    errors.push(fieldErrors.forbidden(`${field}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  }
  return errors;
}
