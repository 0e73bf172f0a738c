/**
 * Validation of pod volumes: names, exactly one source per volume, and the fields of the sources a
 * DaemonSet realistically uses (hostPath, emptyDir, configMap, secret, downwardAPI, projected,
 * persistentVolumeClaim, nfs, csi, ephemeral, image). The legacy in-tree sources only get their
 * required fields checked.
 *
 * Upstream: ValidateVolumes and validateVolumeSource in pkg/apis/core/validation/validation.go. Some
 * field paths there are odd (`downwarAPI`, `persistentDisk`, unindexed item paths); they are kept,
 * because kubectl prints them.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isValidQuantity, parseQuantity, compareQuantity } from '../quantity.js';
import {
  asArray,
  isObject,
  validateDNS1123Label,
  validateDNS1123Subdomain,
  validateQualifiedName,
} from './common.js';
import { isDNS1123Subdomain } from '../names.js';

type JsonObject = Record<string, unknown>;

const fileModeErrorMsg = 'must be a number between 0 and 0777 (octal), both inclusive';

/** The volumes that validated, by name: what volume mounts may refer to. */
export type ValidVolumes = Map<string, JsonObject>;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// ---------------------------------------------------------------------------------------------
// Paths.

/** A path may not contain a `..` element (one error is enough). */
export function validatePathNoBacksteps(targetPath: string, field: string): FieldError[] {
  return targetPath.split(/[\\/]/).includes('..') ? [fieldErrors.invalid(field, targetPath, "must not contain '..'")] : [];
}

/** A relative path without `..` elements. */
export function validateLocalDescendingPath(targetPath: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (targetPath.startsWith('/')) errors.push(fieldErrors.invalid(field, targetPath, 'must be a relative path'));
  return [...errors, ...validatePathNoBacksteps(targetPath, field)];
}

/** A relative path without `..` elements that does not start with `..` either. */
export function validateLocalNonReservedPath(targetPath: string, field: string): FieldError[] {
  const errors = validateLocalDescendingPath(targetPath, field);
  // The `..` element check already reported `../x`; `..x` is reported here.
  if (targetPath.startsWith('..') && !targetPath.startsWith('../')) {
    errors.push(fieldErrors.invalid(field, targetPath, "must not start with '..'"));
  }
  return errors;
}

function validateFileMode(mode: unknown, field: string): FieldError[] {
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [fieldErrors.invalid(field, mode, fileModeErrorMsg)] : [];
}

function validateKeyToPath(item: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(item.key)) errors.push(fieldErrors.required(`${field}.key`));
  if (!str(item.path)) errors.push(fieldErrors.required(`${field}.path`));
  errors.push(...validateLocalNonReservedPath(str(item.path), `${field}.path`));
  errors.push(...validateFileMode(item.mode, `${field}.mode`));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Downward API (shared with environment variables).

const envFieldPaths = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** Field paths environment variables may read through `fieldRef`. */
export const envDownwardAPIFieldPaths: readonly string[] = envFieldPaths;

const convertibleFieldLabels = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP',
  'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

/** `metadata.labels['key']` → `['metadata.labels', 'key']`. */
function splitSubscriptedPath(fieldPath: string): [string, string] | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const open = fieldPath.indexOf("['");
  if (open < 0) return undefined;
  return [fieldPath.slice(0, open), fieldPath.slice(open + 2, -2)];
}

/** An `ObjectFieldSelector` (env `fieldRef`, downward API file `fieldRef`). */
export function validateObjectFieldSelector(selector: JsonObject, expressions: readonly string[], field: string): FieldError[] {
  const apiVersion = str(selector.apiVersion);
  const fieldPath = str(selector.fieldPath);
  if (!apiVersion) return [fieldErrors.required(`${field}.apiVersion`)];
  if (!fieldPath) return [fieldErrors.required(`${field}.fieldPath`)];
  const subscripted = splitSubscriptedPath(fieldPath);
  let conversionError: string | undefined;
  if (apiVersion !== 'v1') conversionError = `unsupported pod version: ${apiVersion}`;
  else if (subscripted && subscripted[0] !== 'metadata.annotations' && subscripted[0] !== 'metadata.labels') {
    conversionError = `field label does not support subscript: ${fieldPath}`;
  } else if (!subscripted && !convertibleFieldLabels.has(fieldPath) && fieldPath !== 'spec.host') {
    conversionError = `field label not supported: ${fieldPath}`;
  }
  if (conversionError) return [fieldErrors.invalid(`${field}.fieldPath`, fieldPath, `error converting fieldPath: ${conversionError}`)];
  if (subscripted) {
    const [path, key] = subscripted;
    return validateQualifiedName(path === 'metadata.annotations' ? key.toLowerCase() : key, field);
  }
  const internalPath = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  if (!expressions.includes(internalPath)) return [fieldErrors.notSupported(`${field}.fieldPath`, internalPath, [...expressions].sort())];
  return [];
}

const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** A `ResourceFieldSelector` (env and downward API `resourceFieldRef`). */
export function validateResourceFieldSelector(selector: JsonObject, field: string, inVolume: boolean): FieldError[] {
  const resource = str(selector.resource);
  if (inVolume && !str(selector.containerName)) return [fieldErrors.required(`${field}.containerName`)];
  if (!resource) return [fieldErrors.required(`${field}.resource`)];
  const hugePages = resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-');
  if (!resourceFieldPaths.includes(resource) && !hugePages) {
    return [fieldErrors.notSupported(`${field}.resource`, resource, resourceFieldPaths)];
  }
  return [];
}

function validateDownwardAPIFile(file: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(file.path)) errors.push(fieldErrors.required(`${field}.path`));
  errors.push(...validateLocalNonReservedPath(str(file.path), `${field}.path`));
  if (isObject(file.fieldRef)) {
    errors.push(...validateObjectFieldSelector(file.fieldRef, volumeFieldPaths, `${field}.fieldRef`));
    if (isObject(file.resourceFieldRef)) {
      errors.push(fieldErrors.invalid(field, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
    }
  } else if (isObject(file.resourceFieldRef)) {
    errors.push(...validateResourceFieldSelector(file.resourceFieldRef, `${field}.resourceFieldRef`, true));
  } else {
    errors.push(fieldErrors.required(field, 'one of fieldRef and resourceFieldRef is required'));
  }
  errors.push(...validateFileMode(file.mode, `${field}.mode`));
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Sources.

const supportedHostPathTypes = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

function validateHostPath(source: JsonObject, field: string): FieldError[] {
  const path = str(source.path);
  if (!path) return [fieldErrors.required(`${field}.path`)];
  const errors = validatePathNoBacksteps(path, `${field}.path`);
  if (source.type !== undefined && source.type !== null && !supportedHostPathTypes.includes(String(source.type))) {
    errors.push(fieldErrors.notSupported(`${field}.type`, source.type, supportedHostPathTypes));
  }
  return errors;
}

function validateEmptyDir(source: JsonObject, field: string): FieldError[] {
  const limit = source.sizeLimit;
  if (typeof limit !== 'string' && typeof limit !== 'number') return [];
  const text = String(limit);
  if (isValidQuantity(text) && compareQuantity(parseQuantity(text), parseQuantity('0')) < 0) {
    return [fieldErrors.forbidden(`${field}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')];
  }
  return [];
}

function validateItems(items: unknown, field: string): FieldError[] {
  return asArray<JsonObject>(items).flatMap((item, i) => (isObject(item) ? validateKeyToPath(item, `${field}[${i}]`) : []));
}

function validateSecretSource(source: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(source.secretName)) errors.push(fieldErrors.required(`${field}.secretName`));
  errors.push(...validateFileMode(source.defaultMode, `${field}.defaultMode`));
  return [...errors, ...validateItems(source.items, `${field}.items`)];
}

function validateConfigMapSource(source: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(source.name)) errors.push(fieldErrors.required(`${field}.name`));
  errors.push(...validateFileMode(source.defaultMode, `${field}.defaultMode`));
  return [...errors, ...validateItems(source.items, `${field}.items`)];
}

function validateDownwardAPISource(source: JsonObject, field: string): FieldError[] {
  const errors = validateFileMode(source.defaultMode, `${field}.defaultMode`);
  // Upstream validates each item against the source's path, without the index.
  for (const item of asArray<JsonObject>(source.items)) if (isObject(item)) errors.push(...validateDownwardAPIFile(item, field));
  return errors;
}

function validateProjectedSource(source: JsonObject, field: string): FieldError[] {
  const errors = validateFileMode(source.defaultMode, `${field}.defaultMode`);
  const seenPaths = new Set<string>();
  const notePath = (path: string, badValue: string): void => {
    if (!path) return;
    if (seenPaths.has(path)) errors.push(fieldErrors.invalid(field, badValue, 'conflicting duplicate paths'));
    seenPaths.add(path);
  };
  asArray<JsonObject>(source.sources).forEach((projection, i) => {
    if (!isObject(projection)) return;
    const sourcePath = `${field}.sources[${i}]`;
    let kinds = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const ref = projection[kind];
      if (!isObject(ref)) continue;
      kinds++;
      if (!str(ref.name)) errors.push(fieldErrors.required(`${sourcePath}.${kind}.name`));
      asArray<JsonObject>(ref.items).forEach((item, j) => {
        if (!isObject(item)) return;
        errors.push(...validateKeyToPath(item, `${sourcePath}.${kind}.items[${j}]`));
        notePath(str(item.path), str(ref.name));
      });
    }
    if (isObject(projection.downwardAPI)) {
      kinds++;
      for (const file of asArray<JsonObject>(projection.downwardAPI.items)) {
        if (!isObject(file)) continue;
        errors.push(...validateDownwardAPIFile(file, `${sourcePath}.downwardAPI`));
        notePath(str(file.path), str(file.path));
      }
    }
    const token = projection.serviceAccountToken;
    if (isObject(token)) {
      kinds++;
      const expiration = typeof token.expirationSeconds === 'number' ? token.expirationSeconds : 0;
      const expirationPath = `${sourcePath}.serviceAccountToken.expirationSeconds`;
      if (expiration < 10 * 60) errors.push(fieldErrors.invalid(expirationPath, expiration, 'may not specify a duration less than 10 minutes'));
      if (expiration > 2 ** 32) errors.push(fieldErrors.invalid(expirationPath, expiration, 'may not specify a duration larger than 2^32 seconds'));
      // Upstream reports the token path against the projected source itself.
      if (!str(token.path)) errors.push(fieldErrors.required(`${field}.path`));
      else errors.push(...validateLocalNonReservedPath(str(token.path), `${field}.path`));
    }
    if (isObject(projection.clusterTrustBundle)) {
      kinds++;
      const bundle = projection.clusterTrustBundle;
      const bundlePath = `${sourcePath}.clusterTrustBundle`;
      if (!str(bundle.path)) errors.push(fieldErrors.required(`${bundlePath}.path`));
      errors.push(...validateLocalNonReservedPath(str(bundle.path), `${bundlePath}.path`));
      notePath(str(bundle.path), str(bundle.path));
    }
    if (kinds > 1) errors.push(fieldErrors.forbidden(sourcePath, 'may not specify more than 1 volume type per source'));
  });
  return errors;
}

function validateNFS(source: JsonObject, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!str(source.server)) errors.push(fieldErrors.required(`${field}.server`));
  if (!str(source.path)) errors.push(fieldErrors.required(`${field}.path`));
  if (!str(source.path).startsWith('/')) errors.push(fieldErrors.invalid(`${field}.path`, str(source.path), 'must be an absolute path'));
  return errors;
}

/** A CSI driver name: required, at most 63 characters, a DNS subdomain once lowercased. */
export function validateCSIDriverName(driver: string, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!driver) errors.push(fieldErrors.required(field));
  if (driver.length > 63) errors.push(fieldErrors.tooLong(field, 63));
  for (const message of isDNS1123Subdomain(driver.toLowerCase())) errors.push(fieldErrors.invalid(field, driver, message));
  return errors;
}

function validateCSI(source: JsonObject, field: string): FieldError[] {
  const errors = validateCSIDriverName(str(source.driver), `${field}.driver`);
  const secretRef = source.nodePublishSecretRef;
  if (isObject(secretRef)) {
    if (!str(secretRef.name)) errors.push(fieldErrors.required(`${field}.nodePublishSecretRef.name`));
    // Upstream reports a malformed secret name against `<csi>.name`.
    else errors.push(...validateDNS1123Subdomain(str(secretRef.name), `${field}.name`));
  }
  return errors;
}

function validateEphemeral(source: JsonObject, field: string): FieldError[] {
  return isObject(source.volumeClaimTemplate) ? [] : [fieldErrors.required(`${field}.volumeClaimTemplate`)];
}

function validatePersistentVolumeClaim(source: JsonObject, field: string): FieldError[] {
  return str(source.claimName) ? [] : [fieldErrors.required(`${field}.claimName`)];
}

function validateImageSource(source: JsonObject, field: string, resourceIsPod: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (resourceIsPod && !str(source.reference)) errors.push(fieldErrors.required(`${field}.reference`));
  const pullPolicy = source.pullPolicy;
  if (pullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(String(pullPolicy))) {
    errors.push(fieldErrors.notSupported(`${field}.pullPolicy`, pullPolicy, ['Always', 'IfNotPresent', 'Never']));
  }
  return errors;
}

/** Required string (or list) fields of the legacy in-tree sources, which get no deeper check here. */
function requireFields(...names: string[]) {
  return (source: JsonObject, field: string): FieldError[] =>
    names.flatMap((name) => {
      const value = source[name];
      const present = Array.isArray(value) ? value.length > 0 : typeof value === 'string' ? value.length > 0 : value !== undefined;
      return present ? [] : [fieldErrors.required(`${field}.${name}`)];
    });
}

function validateStorageOS(source: JsonObject, field: string): FieldError[] {
  const name = str(source.volumeName);
  return name ? validateDNS1123Label(name, `${field}.volumeName`) : [fieldErrors.required(`${field}.volumeName`)];
}

interface SourceRule {
  /** The JSON field of the source. */
  name: string;
  /** The path upstream uses in "may not specify more than 1 volume type" (typos included). */
  forbiddenPath?: string;
  /** The path upstream validates the source under, when it differs from the JSON name. */
  validatePath?: string;
  validate: (source: JsonObject, field: string, resourceIsPod: boolean) => FieldError[];
}

/** In upstream's order, which decides which of two sources is reported as the extra one. */
const sourceRules: SourceRule[] = [
  { name: 'emptyDir', validate: validateEmptyDir },
  { name: 'hostPath', validate: validateHostPath },
  { name: 'gitRepo', validate: (s, f) => [...requireFields('repository')(s, f), ...validateLocalDescendingPath(str(s.directory), `${f}.directory`)] },
  { name: 'gcePersistentDisk', validatePath: 'persistentDisk', validate: requireFields('pdName') },
  { name: 'awsElasticBlockStore', validate: requireFields('volumeID') },
  { name: 'secret', validate: validateSecretSource },
  { name: 'nfs', validate: validateNFS },
  { name: 'iscsi', validate: requireFields('targetPortal', 'iqn') },
  { name: 'glusterfs', validate: requireFields('endpoints', 'path') },
  { name: 'flocker', validate: () => [] },
  { name: 'persistentVolumeClaim', validate: validatePersistentVolumeClaim },
  { name: 'rbd', validate: requireFields('monitors', 'image') },
  { name: 'cinder', validate: requireFields('volumeID') },
  { name: 'cephfs', forbiddenPath: 'cephFS', validate: requireFields('monitors') },
  { name: 'quobyte', validate: requireFields('registry', 'volume') },
  { name: 'downwardAPI', forbiddenPath: 'downwarAPI', validate: validateDownwardAPISource },
  { name: 'fc', validate: () => [] },
  { name: 'flexVolume', validate: requireFields('driver') },
  { name: 'configMap', validate: validateConfigMapSource },
  { name: 'azureFile', validate: requireFields('secretName', 'shareName') },
  { name: 'vsphereVolume', validate: requireFields('volumePath') },
  { name: 'photonPersistentDisk', validate: requireFields('pdID') },
  { name: 'portworxVolume', validate: requireFields('volumeID') },
  { name: 'azureDisk', validate: requireFields('diskName', 'diskURI') },
  { name: 'storageos', validate: validateStorageOS },
  { name: 'projected', validate: validateProjectedSource },
  { name: 'scaleIO', validate: requireFields('gateway', 'system', 'volumeName') },
  { name: 'csi', validate: validateCSI },
  { name: 'ephemeral', validate: validateEphemeral },
  { name: 'image', validate: validateImageSource },
];

/** One volume's source: exactly one source field, each validated. */
export function validateVolumeSource(volume: JsonObject, field: string, resourceIsPod: boolean): FieldError[] {
  const errors: FieldError[] = [];
  let count = 0;
  for (const rule of sourceRules) {
    const source = volume[rule.name];
    if (source === undefined || source === null) continue;
    if (count > 0) {
      errors.push(fieldErrors.forbidden(`${field}.${rule.forbiddenPath ?? rule.name}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    if (isObject(source)) errors.push(...rule.validate(source, `${field}.${rule.validatePath ?? rule.name}`, resourceIsPod));
  }
  if (count === 0) errors.push(fieldErrors.required(field, 'must specify a volume type'));
  return errors;
}

/**
 * `spec.volumes`: each volume valid, named with a unique DNS-1123 label. Returns the volumes without
 * errors by name (what volume mounts may reference), as upstream does.
 */
export function validateVolumes(volumes: unknown, field: string, resourceIsPod: boolean): { volumes: ValidVolumes; errors: FieldError[] } {
  const valid: ValidVolumes = new Map();
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  asArray<JsonObject>(volumes).forEach((volume, i) => {
    const path = `${field}[${i}]`;
    if (!isObject(volume)) return;
    const name = str(volume.name);
    const volumeErrors = validateVolumeSource(volume, path, resourceIsPod);
    if (!name) volumeErrors.push(fieldErrors.required(`${path}.name`));
    else volumeErrors.push(...validateDNS1123Label(name, `${path}.name`));
    if (seen.has(name)) volumeErrors.push(fieldErrors.duplicate(`${path}.name`, name));
    if (volumeErrors.length === 0) {
      seen.add(name);
      valid.set(name, volume);
    } else {
      errors.push(...volumeErrors);
    }
  });
  return { volumes: valid, errors };
}
