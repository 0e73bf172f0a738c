/**
 * Validation of the containers of a pod spec: names, images, ports, environment, volume mounts,
 * probes and lifecycle hooks, resources and security contexts, and host-port conflicts.
 *
 * Upstream: validateContainers, validateInitContainers, validateContainerCommon and the functions they
 * call in pkg/apis/core/validation/validation.go. Some upstream paths omit the list index
 * (`volumeMounts.subPath`, `volumeMounts.mountPropagation`, `envFrom`); they are kept as they are.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import type { Container, ContainerPort } from '../types.js';
import {
  asArray,
  isConfigMapKey,
  isEnvVarName,
  isHTTPHeaderName,
  isObject,
  isValidPortName,
  isValidPortNum,
  isValidUnixId,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateNonnegativeField,
} from './common.js';
import { invalidValue } from './go-format.js';
import { validateResourceRequirements } from './resources.js';
import {
  envDownwardAPIFieldPaths,
  validateLocalDescendingPath,
  validateObjectFieldSelector,
  validateResourceFieldSelector,
  type ValidVolumes,
} from './volumes.js';
import { isDNS1123Subdomain } from '../names.js';

type JsonObject = Record<string, unknown>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** What container checks need to know about the pod around them. */
export interface ContainerContext {
  volumes: ValidVolumes;
  /** The pod's grace period (sleep hooks may not outlast it). */
  gracePeriod: number | undefined;
  /** Whether the pod shares the host's user namespace (the default). */
  hostUsers: boolean;
}

// ---------------------------------------------------------------------------------------------
// Ports.

const portProtocols = ['SCTP', 'TCP', 'UDP'];

function validateContainerPorts(ports: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  asArray<ContainerPort>(ports).forEach((port, i) => {
    if (!isObject(port)) return;
    const path = `${field}[${i}]`;
    const name = str(port.name);
    if (name) {
      const messages = isValidPortName(name);
      if (messages.length > 0) errors.push(...messages.map((message) => fieldErrors.invalid(`${path}.name`, name, message)));
      else if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
      else names.add(name);
    }
    const containerPort = num(port.containerPort);
    if (containerPort === 0) errors.push(fieldErrors.required(`${path}.containerPort`));
    else errors.push(...isValidPortNum(containerPort).map((message) => fieldErrors.invalid(`${path}.containerPort`, containerPort, message)));
    const hostPort = num(port.hostPort);
    if (hostPort !== 0) errors.push(...isValidPortNum(hostPort).map((message) => fieldErrors.invalid(`${path}.hostPort`, hostPort, message)));
    const protocol = str(port.protocol);
    if (!protocol) errors.push(fieldErrors.required(`${path}.protocol`));
    else if (!portProtocols.includes(protocol)) errors.push(fieldErrors.notSupported(`${path}.protocol`, protocol, portProtocols));
  });
  return errors;
}

/**
 * Host ports must be unique per protocol and host IP among the given containers; a clash is reported
 * as `Duplicate value: "TCP//80"` on the later port.
 */
export function checkHostPortConflicts(containers: Container[], field: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  containers.forEach((container, ci) => {
    asArray<ContainerPort>(container?.ports).forEach((port, pi) => {
      const hostPort = num(port?.hostPort);
      if (hostPort === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hostPort}`;
      if (seen.has(key)) errors.push(fieldErrors.duplicate(`${field}[${ci}].ports[${pi}].hostPort`, key));
      seen.add(key);
    });
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Environment.

function validateKeySelector(selector: JsonObject, field: string): FieldError[] {
  const errors = validateDNS1123Subdomain(str(selector.name), `${field}.name`);
  const key = str(selector.key);
  if (!key) errors.push(fieldErrors.required(`${field}.key`));
  else errors.push(...isConfigMapKey(key).map((message) => fieldErrors.invalid(`${field}.key`, key, message)));
  return errors;
}

function validateEnvVarValueFrom(envVar: JsonObject, field: string): FieldError[] {
  const valueFrom = envVar.valueFrom;
  if (!isObject(valueFrom)) return [];
  const errors: FieldError[] = [];
  let sources = 0;
  if (isObject(valueFrom.fieldRef)) {
    sources++;
    errors.push(...validateObjectFieldSelector(valueFrom.fieldRef, envDownwardAPIFieldPaths, `${field}.fieldRef`));
  }
  if (isObject(valueFrom.resourceFieldRef)) {
    sources++;
    errors.push(...validateResourceFieldSelector(valueFrom.resourceFieldRef, `${field}.resourceFieldRef`, false));
  }
  if (isObject(valueFrom.configMapKeyRef)) {
    sources++;
    errors.push(...validateKeySelector(valueFrom.configMapKeyRef, `${field}.configMapKeyRef`));
  }
  if (isObject(valueFrom.secretKeyRef)) {
    sources++;
    errors.push(...validateKeySelector(valueFrom.secretKeyRef, `${field}.secretKeyRef`));
  }
  if (sources === 0) {
    errors.push(fieldErrors.invalid(field, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (str(envVar.value)) {
    errors.push(fieldErrors.invalid(field, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errors.push(fieldErrors.invalid(field, '', 'may not have more than one field specified at a time'));
  }
  return errors;
}

function validateEnv(env: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  asArray<JsonObject>(env).forEach((envVar, i) => {
    if (!isObject(envVar)) return;
    const path = `${field}[${i}]`;
    const name = str(envVar.name);
    if (!name) errors.push(fieldErrors.required(`${path}.name`));
    else errors.push(...isEnvVarName(name).map((message) => fieldErrors.invalid(`${path}.name`, name, message)));
    errors.push(...validateEnvVarValueFrom(envVar, `${path}.valueFrom`));
  });
  return errors;
}

/** A generateName-style prefix check: a trailing dash is allowed, as the name may get a suffix. */
function prefixNameErrors(name: string): string[] {
  const masked = name.endsWith('-') ? (name.length > 1 ? `${name.slice(0, -2)}a` : 'a') : name;
  return isDNS1123Subdomain(masked);
}

function validateEnvFrom(envFrom: unknown, field: string): FieldError[] {
  const errors: FieldError[] = [];
  asArray<JsonObject>(envFrom).forEach((source, i) => {
    if (!isObject(source)) return;
    const path = `${field}[${i}]`;
    const prefix = str(source.prefix);
    if (prefix) errors.push(...isEnvVarName(prefix).map((message) => fieldErrors.invalid(`${path}.prefix`, prefix, message)));
    let sources = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = source[kind];
      if (!isObject(ref)) continue;
      sources++;
      const name = str(ref.name);
      if (!name) errors.push(fieldErrors.required(`${path}.${kind}.name`));
      else errors.push(...prefixNameErrors(name).map((message) => fieldErrors.invalid(`${path}.${kind}.name`, name, message)));
    }
    // Upstream reports these against the list, without the index.
    if (sources === 0) errors.push(fieldErrors.invalid(field, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errors.push(fieldErrors.invalid(field, '', 'may not have more than one field specified at a time'));
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Volume mounts and devices.

const mountPropagations = ['Bidirectional', 'HostToContainer', 'None'];
const recursiveReadOnlyModes = ['Disabled', 'Enabled', 'IfPossible'];

function isPrivileged(container: Container): boolean {
  return isObject(container.securityContext) && container.securityContext.privileged === true;
}

function validateVolumeMounts(container: Container, volumes: ValidVolumes, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const mountPaths = new Set<string>();
  const devices = new Map(asArray<JsonObject>(container.volumeDevices).map((d) => [str(d?.name), str(d?.devicePath)]));
  const devicePaths = new Set(devices.values());
  asArray<JsonObject>(container.volumeMounts).forEach((mount, i) => {
    if (!isObject(mount)) return;
    const path = `${field}[${i}]`;
    const name = str(mount.name);
    const mountPath = str(mount.mountPath);
    if (!name) errors.push(fieldErrors.required(`${path}.name`));
    if (!volumes.has(name)) errors.push(fieldErrors.notFound(`${path}.name`, name));
    if (!mountPath) errors.push(fieldErrors.required(`${path}.mountPath`));
    if (mountPaths.has(mountPath)) errors.push(fieldErrors.invalid(`${path}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (devices.has(name)) errors.push(fieldErrors.invalid(`${path}.name`, name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errors.push(fieldErrors.invalid(`${path}.mountPath`, mountPath, 'must not already exist as a path in volumeDevices'));
    const volume = volumes.get(name);
    const subPath = str(mount.subPath);
    const subPathExpr = str(mount.subPathExpr);
    if (volume && isObject(volume.image)) {
      if (subPath) errors.push(fieldErrors.invalid(`${path}.subPath`, subPath, 'not allowed in image volume sources'));
      if (subPathExpr) errors.push(fieldErrors.invalid(`${path}.subPathExpr`, subPathExpr, 'not allowed in image volume sources'));
    }
    if (subPath) errors.push(...validateLocalDescendingPath(subPath, `${field}.subPath`));
    if (subPathExpr) {
      if (subPath) errors.push(fieldErrors.invalid(`${path}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errors.push(...validateLocalDescendingPath(subPathExpr, `${field}.subPathExpr`));
    }
    const propagation = mount.mountPropagation;
    if (propagation !== undefined && propagation !== null) {
      const propagationPath = `${field}.mountPropagation`;
      if (!mountPropagations.includes(String(propagation))) errors.push(fieldErrors.notSupported(propagationPath, propagation, mountPropagations));
      if (propagation === 'Bidirectional' && !isPrivileged(container)) {
        errors.push(fieldErrors.forbidden(propagationPath, 'Bidirectional mount propagation is available only to privileged containers'));
      }
    }
    const recursive = mount.recursiveReadOnly;
    if (recursive !== undefined && recursive !== null && recursive !== 'Disabled') {
      const recursivePath = `${field}.recursiveReadOnly`;
      if (!recursiveReadOnlyModes.includes(String(recursive))) {
        errors.push(fieldErrors.notSupported(recursivePath, recursive, recursiveReadOnlyModes));
      } else {
        if (mount.readOnly !== true) errors.push(fieldErrors.forbidden(recursivePath, 'may only be specified when readOnly is true'));
        if (propagation !== undefined && propagation !== null && propagation !== 'None') {
          errors.push(fieldErrors.forbidden(recursivePath, 'may only be specified when mountPropagation is None or not specified'));
        }
      }
    }
  });
  return errors;
}

function validateVolumeDevices(container: Container, volumes: ValidVolumes, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const mounts = new Map(asArray<JsonObject>(container.volumeMounts).map((m) => [str(m?.name), str(m?.mountPath)]));
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  asArray<JsonObject>(container.volumeDevices).forEach((device, i) => {
    if (!isObject(device)) return;
    const path = `${field}[${i}]`;
    const name = str(device.name);
    const devicePath = str(device.devicePath);
    const volume = volumes.get(name);
    if (!name) errors.push(fieldErrors.required(`${path}.name`));
    if (names.has(name)) errors.push(fieldErrors.invalid(`${path}.name`, name, 'must be unique'));
    if (volume && !isObject(volume.persistentVolumeClaim) && !isObject(volume.ephemeral)) {
      errors.push(fieldErrors.invalid(`${path}.name`, name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!volume) errors.push(fieldErrors.notFound(`${path}.name`, name));
    if (!devicePath) errors.push(fieldErrors.required(`${path}.devicePath`));
    if (paths.has(devicePath)) errors.push(fieldErrors.invalid(`${path}.devicePath`, devicePath, 'must be unique'));
    if (devicePath && devicePath.split(/[\\/]/).includes('..')) {
      errors.push(fieldErrors.invalid(`${path}.devicePath`, devicePath, "can not contain backsteps ('..')"));
    } else {
      paths.add(devicePath);
    }
    if (mounts.has(name)) errors.push(fieldErrors.invalid(`${path}.name`, name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errors.push(fieldErrors.invalid(`${path}.devicePath`, devicePath, 'must not already exist as a path in volumeMounts'));
    if (name) names.add(name);
  });
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Probes and lifecycle hooks.

const httpSchemes = ['HTTP', 'HTTPS'];

/** A port given as a number (1-65535) or a name (an IANA service name). */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((message) => fieldErrors.invalid(field, port, message));
  const name = str(port);
  return isValidPortName(name).map((message) => fieldErrors.invalid(field, name, message));
}

function validateHttpGet(action: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(action.path)) errors.push(fieldErrors.required(`${field}.path`));
  errors.push(...validatePortNumOrName(action.port, `${field}.port`));
  const scheme = str(action.scheme);
  if (!httpSchemes.includes(scheme)) errors.push(fieldErrors.notSupported(`${field}.scheme`, scheme, httpSchemes));
  for (const header of asArray<JsonObject>(action.httpHeaders)) {
    const name = str(header?.name);
    errors.push(...isHTTPHeaderName(name).map((message) => fieldErrors.invalid(`${field}.httpHeaders`, name, message)));
  }
  return errors;
}

function validateSleep(action: JsonObject, gracePeriod: number | undefined, field: string): FieldError[] {
  const seconds = num(action.seconds);
  if (gracePeriod === undefined || (seconds > 0 && seconds <= gracePeriod)) return [];
  return [
    fieldErrors.invalid(
      field,
      seconds,
      `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
    ),
  ];
}

/** Exactly one handler among those allowed (probes: exec, httpGet, tcpSocket, grpc; hooks add sleep). */
function validateHandler(handler: JsonObject, kinds: readonly string[], gracePeriod: number | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    const action = handler[kind];
    if (!isObject(action)) continue;
    if (count > 0) {
      errors.push(fieldErrors.forbidden(`${field}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const path = `${field}.${kind}`;
    if (kind === 'exec' && asArray(action.command).length === 0) errors.push(fieldErrors.required(`${path}.command`));
    if (kind === 'httpGet') errors.push(...validateHttpGet(action, path));
    if (kind === 'tcpSocket') errors.push(...validatePortNumOrName(action.port, `${path}.port`));
    if (kind === 'grpc') errors.push(...validatePortNumOrName(num(action.port), `${path}.port`));
    if (kind === 'sleep') errors.push(...validateSleep(action, gracePeriod, path));
  }
  if (count === 0) errors.push(fieldErrors.required(field, 'must specify a handler type'));
  return errors;
}

const probeHandlers = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const hookHandlers = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

function validateProbe(probe: unknown, kind: ProbeKind, gracePeriod: number | undefined, field: string): FieldError[] {
  if (!isObject(probe)) return [];
  const errors = validateHandler(probe, probeHandlers, gracePeriod, field);
  for (const name of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errors.push(...validateNonnegativeField(num(probe[name]), `${field}.${name}`));
  }
  const probeGrace = probe.terminationGracePeriodSeconds;
  if (typeof probeGrace === 'number' && probeGrace <= 0) {
    errors.push(fieldErrors.invalid(`${field}.terminationGracePeriodSeconds`, probeGrace, 'must be greater than 0'));
  }
  if (kind !== 'readinessProbe' && num(probe.successThreshold) !== 1) {
    errors.push(fieldErrors.invalid(`${field}.successThreshold`, num(probe.successThreshold), 'must be 1'));
  }
  if (kind === 'readinessProbe' && probeGrace !== undefined && probeGrace !== null) {
    errors.push(invalidValue(`${field}.terminationGracePeriodSeconds`, probeGrace, 'must not be set for readinessProbes'));
  }
  return errors;
}

function validateLifecycle(lifecycle: JsonObject, gracePeriod: number | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const handler = lifecycle[hook];
    if (isObject(handler)) errors.push(...validateHandler(handler, hookHandlers, gracePeriod, `${field}.${hook}`));
  }
  return errors;
}

function validateProbesAndHooks(container: Container, gracePeriod: number | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (isObject(container.lifecycle)) errors.push(...validateLifecycle(container.lifecycle, gracePeriod, `${field}.lifecycle`));
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    errors.push(...validateProbe(container[kind], kind, gracePeriod, `${field}.${kind}`));
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Security contexts.

const seccompTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const appArmorTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];

/** A seccomp profile: a known type; a localhost profile exactly when the type is Localhost. */
export function validateSeccompProfile(profile: unknown, field: string): FieldError[] {
  if (!isObject(profile)) return [];
  const errors: FieldError[] = [];
  const type = str(profile.type);
  if (!type) errors.push(fieldErrors.required(`${field}.type`, 'type is required when seccompProfile is set'));
  else if (!seccompTypes.includes(type)) errors.push(fieldErrors.notSupported(`${field}.type`, type, seccompTypes));
  const localhost = profile.localhostProfile;
  if (type === 'Localhost') {
    if (typeof localhost !== 'string') errors.push(fieldErrors.required(`${field}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errors.push(...validateLocalDescendingPath(localhost, `${field}.localhostProfile`));
  } else if (localhost !== undefined && localhost !== null) {
    errors.push(invalidValue(`${field}.localhostProfile`, profile, 'can only be set when seccomp type is Localhost'));
  }
  return errors;
}

/** An AppArmor profile: a known type; a localhost profile exactly when the type is Localhost. */
export function validateAppArmorProfile(profile: unknown, field: string): FieldError[] {
  if (!isObject(profile)) return [];
  const type = str(profile.type);
  const localhost = profile.localhostProfile;
  switch (type) {
    case 'Localhost': {
      if (typeof localhost !== 'string') return [fieldErrors.required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
      const errors: FieldError[] = [];
      if (localhost.trim() !== localhost) errors.push(fieldErrors.invalid(`${field}.localhostProfile`, localhost, 'must not be padded with whitespace'));
      else if (localhost === '') errors.push(fieldErrors.required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
      if (localhost.length > 4095) errors.push(fieldErrors.tooLong(`${field}.localhostProfile`, 4095));
      return errors;
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return localhost === undefined || localhost === null
        ? []
        : [invalidValue(`${field}.localhostProfile`, localhost, 'can only be set when AppArmor type is Localhost')];
    case '':
      return [fieldErrors.required(`${field}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [fieldErrors.notSupported(`${field}.type`, type, appArmorTypes)];
  }
}

/** A Unix user or group id, when set: 0 to 4294967295. */
export function validateUnixId(value: unknown, field: string): FieldError[] {
  if (typeof value !== 'number') return [];
  return isValidUnixId(value).map((message) => fieldErrors.invalid(field, value, message));
}

function validateContainerSecurityContext(context: unknown, hostUsers: boolean, field: string): FieldError[] {
  if (!isObject(context)) return [];
  const errors: FieldError[] = [];
  // Privileged containers are allowed: clusters run their API server with --allow-privileged=true.
  errors.push(...validateUnixId(context.runAsUser, `${field}.runAsUser`));
  errors.push(...validateUnixId(context.runAsGroup, `${field}.runAsGroup`));
  const procMount = context.procMount;
  if (procMount !== undefined && procMount !== null) {
    if (procMount !== 'Default' && procMount !== 'Unmasked') {
      errors.push(fieldErrors.notSupported(`${field}.procMount`, procMount, ['Default', 'Unmasked']));
    }
    if (hostUsers && procMount === 'Unmasked') {
      errors.push(fieldErrors.invalid(`${field}.procMount`, procMount, '`hostUsers` must be false to use `Unmasked`'));
    }
  }
  errors.push(...validateSeccompProfile(context.seccompProfile, `${field}.seccompProfile`));
  if (context.allowPrivilegeEscalation === false) {
    if (context.privileged === true) {
      errors.push(invalidValue(field, context, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    const added = isObject(context.capabilities) ? asArray<string>(context.capabilities.add) : [];
    for (const capability of added) {
      if (capability === 'CAP_SYS_ADMIN') {
        errors.push(invalidValue(field, context, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
      }
    }
  }
  errors.push(...validateAppArmorProfile(context.appArmorProfile, `${field}.appArmorProfile`));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Containers.

const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];

/** What every kind of container must satisfy: name, image, ports, env, mounts, resources, security. */
function validateContainerCommon(container: Container, context: ContainerContext, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = str(container.name);
  if (!name) errors.push(fieldErrors.required(`${field}.name`));
  else errors.push(...validateDNS1123Label(name, `${field}.name`));
  // Whitespace-only images are accepted in templates on purpose (upstream keeps that for compatibility).
  if (!str(container.image)) errors.push(fieldErrors.required(`${field}.image`));
  const messagePolicy = str(container.terminationMessagePolicy);
  if (!messagePolicy) errors.push(fieldErrors.required(`${field}.terminationMessagePolicy`));
  else if (!terminationMessagePolicies.includes(messagePolicy)) {
    errors.push(fieldErrors.notSupported(`${field}.terminationMessagePolicy`, messagePolicy, terminationMessagePolicies));
  }
  errors.push(...validateContainerPorts(container.ports, `${field}.ports`));
  errors.push(...validateEnv(container.env, `${field}.env`));
  errors.push(...validateEnvFrom(container.envFrom, `${field}.envFrom`));
  errors.push(...validateVolumeMounts(container, context.volumes, `${field}.volumeMounts`));
  errors.push(...validateVolumeDevices(container, context.volumes, `${field}.volumeDevices`));
  const pullPolicy = str(container.imagePullPolicy);
  if (!pullPolicy) errors.push(fieldErrors.required(`${field}.imagePullPolicy`));
  else if (!pullPolicies.includes(pullPolicy)) errors.push(fieldErrors.notSupported(`${field}.imagePullPolicy`, pullPolicy, pullPolicies));
  errors.push(...validateResourceRequirements(container.resources, `${field}.resources`));
  errors.push(...validateContainerSecurityContext(container.securityContext, context.hostUsers, `${field}.securityContext`));
  return errors;
}

/** `spec.containers`: at least one; names unique; probes and hooks valid; no restartPolicy; host ports unique. */
export function validateContainers(containers: unknown, context: ContainerContext, field: string): FieldError[] {
  const list = asArray<Container>(containers);
  if (list.length === 0) return [fieldErrors.required(field)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((container, i) => {
    if (!isObject(container)) return;
    const path = `${field}[${i}]`;
    errors.push(...validateContainerCommon(container, context, path));
    const name = str(container.name);
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
    else names.add(name);
    errors.push(...validateProbesAndHooks(container, context.gracePeriod, path));
    if (container.restartPolicy !== undefined && container.restartPolicy !== null) {
      errors.push(fieldErrors.forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
    }
  });
  return [...errors, ...checkHostPortConflicts(list, field)];
}

/**
 * `spec.initContainers`: names unique among all containers; only restartPolicy `Always` (sidecars),
 * and only sidecars may have probes and hooks; host ports checked per container (they run one by one).
 */
export function validateInitContainers(initContainers: unknown, regular: unknown, context: ContainerContext, field: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set(asArray<Container>(regular).map((c) => str(c?.name)));
  asArray<Container>(initContainers).forEach((container, i) => {
    if (!isObject(container)) return;
    const path = `${field}[${i}]`;
    errors.push(...validateContainerCommon(container, context, path));
    const restartPolicy = container.restartPolicy;
    const sidecar = restartPolicy === 'Always';
    if (restartPolicy !== undefined && restartPolicy !== null && !sidecar) {
      errors.push(fieldErrors.notSupported(`${path}.restartPolicy`, restartPolicy, ['Always']));
    }
    const name = str(container.name);
    if (names.has(name)) errors.push(fieldErrors.duplicate(`${path}.name`, name));
    else if (name) names.add(name);
    // Upstream checks each init container alone, as a one-element list, so the index printed is 0.
    errors.push(...checkHostPortConflicts([container], field));
    if (sidecar) {
      errors.push(...validateProbesAndHooks(container, context.gracePeriod, path));
    } else {
      for (const hook of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (container[hook] !== undefined && container[hook] !== null) {
          errors.push(fieldErrors.forbidden(`${path}.${hook}`, 'may not be set for init containers without restartPolicy=Always'));
        }
      }
    }
  });
  return errors;
}

/** Pods only (not templates): images may not carry leading or trailing whitespace. */
export function validateContainerImagesForPod(containers: unknown, field: string): FieldError[] {
  return asArray<Container>(containers).flatMap((container, i) => {
    const image = str(container?.image);
    return image.trim() !== image ? [fieldErrors.invalid(`${field}[${i}].image`, image, 'must not have leading or trailing whitespace')] : [];
  });
}
