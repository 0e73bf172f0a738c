/**
 * ConfigMaps, Secrets and ServiceAccounts (core/v1): the configuration objects pods consume.
 *
 * Upstream: SetDefaults_Secret and Convert_v1_Secret_To_core_Secret (stringData) in pkg/apis/core/v1;
 * ValidateConfigMap, ValidateSecret, ValidateServiceAccount and their Update forms in
 * pkg/apis/core/validation/validation.go.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Subdomain, utf8ByteLength, validateObjectMeta } from '../names.js';
import type { KubeObject } from '../types.js';
import { fieldImmutableErrorMsg, isConfigMapKey, isObject, maxSecretSize, semanticEqual, sortedKeys, validateKubeFinalizers } from './common.js';
import type { KindRules } from './rules.js';

/** A ConfigMap: string `data`, base64 `binaryData`, optionally immutable. */
export interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** A Secret: base64 `data`, write-only plain-text `stringData`, a `type`, optionally immutable. */
export interface Secret extends KubeObject {
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  type?: string;
  immutable?: boolean;
}

/** A ServiceAccount. */
export interface ServiceAccount extends KubeObject {
  secrets?: unknown[];
  imagePullSecrets?: unknown[];
  automountServiceAccountToken?: boolean;
}

const utf8 = new TextEncoder();

/** Base64 of the UTF-8 bytes of `text` (no `node:` Buffer: this code also runs in browsers). */
export function base64Encode(text: string): string {
  let binary = '';
  for (const byte of utf8.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Bytes a base64 value decodes to, computed from its length (the API stores decoded bytes). */
function decodedLength(base64: string): number {
  const clean = base64.replace(/\s/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function validateMetadata(obj: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(obj.metadata ?? {}, { namespaced: true, nameValidator: isDNS1123Subdomain }),
    ...validateKubeFinalizers(obj.metadata?.finalizers),
  ];
}

function keyErrors(key: string, field: string): FieldError[] {
  return isConfigMapKey(key).map((message) => fieldErrors.invalid(field, key, message));
}

// ---------------------------------------------------------------------------------------------
// ConfigMap.

/**
 * A ConfigMap: keys of `data` and `binaryData` are config keys (`[-._a-zA-Z0-9]+`), no key in both,
 * and at most 1 MiB in total. The size error has an empty path, as upstream's (it is about the object).
 */
export function validateConfigMap(configMap: ConfigMap): FieldError[] {
  const errors = validateMetadata(configMap);
  const data = isObject(configMap.data) ? configMap.data : {};
  const binaryData = isObject(configMap.binaryData) ? configMap.binaryData : {};
  let size = 0;
  for (const key of sortedKeys(data)) {
    errors.push(...keyErrors(key, `data[${key}]`));
    if (Object.hasOwn(binaryData, key)) errors.push(fieldErrors.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    size += utf8ByteLength(String(data[key]));
  }
  for (const key of sortedKeys(binaryData)) {
    errors.push(...keyErrors(key, `binaryData[${key}]`));
    size += decodedLength(String(binaryData[key]));
  }
  if (size > maxSecretSize) errors.push(fieldErrors.tooLong('', maxSecretSize));
  return errors;
}

/** Once `immutable: true` is set, the flag and the contents stay as they are. */
function validateImmutableContents(obj: ConfigMap | Secret, old: ConfigMap | Secret, fields: readonly ('data' | 'binaryData')[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  const message = 'field is immutable when `immutable` is set';
  if (obj.immutable !== true) errors.push(fieldErrors.forbidden('immutable', message));
  for (const name of fields) {
    const next = (obj as Record<string, unknown>)[name];
    const prev = (old as Record<string, unknown>)[name];
    if (!semanticEqual(next, prev)) errors.push(fieldErrors.forbidden(name, message));
  }
  return errors;
}

/** A ConfigMap update: the immutability rules, then the ConfigMap as on create. */
export function validateConfigMapUpdate(configMap: ConfigMap, old: ConfigMap): FieldError[] {
  return [...validateImmutableContents(configMap, old, ['data', 'binaryData']), ...validateConfigMap(configMap)];
}

// ---------------------------------------------------------------------------------------------
// Secret.

/**
 * Secret defaults: `type: Opaque`, and `stringData` merged into `data`. The merge is upstream's v1
 * conversion: each `stringData` entry is base64-encoded into `data` (overwriting an entry of the same
 * key) and `stringData` itself is dropped, so it is never stored or returned.
 */
export function setDefaultsSecret(secret: Secret): void {
  if (!secret.type) secret.type = 'Opaque';
  if (isObject(secret.stringData)) {
    const data = isObject(secret.data) ? secret.data : {};
    for (const [key, value] of Object.entries(secret.stringData)) data[key] = base64Encode(String(value));
    if (Object.keys(data).length > 0) secret.data = data;
  }
  delete secret.stringData;
}

function requireDataKey(data: Record<string, string>, key: string): FieldError[] {
  return Object.hasOwn(data, key) ? [] : [fieldErrors.required(`data[${key}]`)];
}

function jsonDataErrors(data: Record<string, string>, key: string): FieldError[] {
  if (!Object.hasOwn(data, key)) return [fieldErrors.required(`data[${key}]`)];
  try {
    const text = new TextDecoder().decode(Uint8Array.from(atob(data[key]), (ch) => ch.charCodeAt(0)));
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return [];
    return [fieldErrors.invalid(`data[${key}]`, '<secret contents redacted>', 'json: cannot unmarshal into Go value of type map[string]interface {}')];
  } catch (error) {
    return [fieldErrors.invalid(`data[${key}]`, '<secret contents redacted>', error instanceof Error ? error.message : String(error))];
  }
}

/** What each well-known secret type requires of its data. */
function validateSecretType(secret: Secret, data: Record<string, string>): FieldError[] {
  switch (secret.type) {
    case 'kubernetes.io/service-account-token': {
      const key = 'kubernetes.io/service-account.name';
      return secret.metadata?.annotations?.[key] ? [] : [fieldErrors.required(`metadata.annotations[${key}]`)];
    }
    case 'kubernetes.io/dockercfg':
      return jsonDataErrors(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return jsonDataErrors(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      if (Object.hasOwn(data, 'username') || Object.hasOwn(data, 'password')) return [];
      return [fieldErrors.required('data[username]'), fieldErrors.required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [fieldErrors.required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return [...requireDataKey(data, 'tls.crt'), ...requireDataKey(data, 'tls.key')];
    default:
      return [];
  }
}

/** A Secret: config keys, at most 1 MiB of decoded data, and what its type requires. */
export function validateSecret(secret: Secret): FieldError[] {
  const errors = validateMetadata(secret);
  const data = isObject(secret.data) ? secret.data : {};
  let size = 0;
  for (const key of sortedKeys(data)) {
    errors.push(...keyErrors(key, `data[${key}]`));
    size += decodedLength(String(data[key]));
  }
  if (size > maxSecretSize) errors.push(fieldErrors.tooLong('data', maxSecretSize));
  return [...errors, ...validateSecretType(secret, data)];
}

/** A Secret update: the type may not change, the immutability rules hold, and the Secret stays valid. */
export function validateSecretUpdate(secret: Secret, old: Secret): FieldError[] {
  const errors: FieldError[] = [];
  if ((secret.type ?? '') !== (old.type ?? '')) errors.push(fieldErrors.invalid('type', secret.type ?? '', fieldImmutableErrorMsg));
  return [...errors, ...validateImmutableContents(secret, old, ['data']), ...validateSecret(secret)];
}

// ---------------------------------------------------------------------------------------------
// ServiceAccount.

/** A ServiceAccount: only its metadata is checked (name a DNS subdomain). Updates likewise. */
export function validateServiceAccount(serviceAccount: ServiceAccount): FieldError[] {
  return validateMetadata(serviceAccount);
}

/** ConfigMaps (core/v1). */
export const configMapRules: KindRules<ConfigMap> = {
  applyDefaults: () => {},
  validateCreate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
};

/** Secrets (core/v1). */
export const secretRules: KindRules<Secret> = {
  applyDefaults: setDefaultsSecret,
  validateCreate: validateSecret,
  validateUpdate: validateSecretUpdate,
};

/** ServiceAccounts (core/v1). */
export const serviceAccountRules: KindRules<ServiceAccount> = {
  applyDefaults: () => {},
  validateCreate: validateServiceAccount,
  validateUpdate: (serviceAccount) => validateServiceAccount(serviceAccount),
};
