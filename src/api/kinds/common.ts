/**
 * Small validators shared by several kinds: number ranges, immutability, the string formats of
 * k8s.io/apimachinery/pkg/util/validation that names.ts does not cover, int-or-percent values, and a
 * semantic deep-equality that treats missing and empty collections alike.
 *
 * Messages are upstream's, word for word, because kubectl prints them.
 */

import { fieldErrors, type FieldError } from '../errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, maxLenError, regexError } from '../names.js';
import type { IntOrString } from '../types.js';
import { goIntOrString, invalidRendered, invalidValue } from './go-format.js';

/** `must be greater than or equal to 0` (apimachinery `IsNegativeErrorMsg`). */
export const isNegativeErrorMsg = 'must be greater than or equal to 0';

/** `field is immutable` (apimachinery `FieldImmutableErrorMsg`). */
export const fieldImmutableErrorMsg = 'field is immutable';

/** Largest ConfigMap or Secret payload, in bytes (`core.MaxSecretSize`). */
export const maxSecretSize = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Plain-JSON access: objects arrive from the wire, so every nested field may be missing or odd.

/** The value as an array, or an empty array when it is not one. */
export function asArray<T = unknown>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Whether the value is a JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a string map, or undefined when it is not an object. */
export function asStringMap(value: unknown): Record<string, string> | undefined {
  return isObject(value) ? (value as Record<string, string>) : undefined;
}

/** Sorted own keys, so that errors about maps come out in a stable order (Go's map order is random). */
export function sortedKeys(map: Record<string, unknown> | undefined): string[] {
  return map ? Object.keys(map).sort() : [];
}

// ---------------------------------------------------------------------------------------------
// Equality.

function isMissingOrEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0;
}

/**
 * Deep equality in the spirit of upstream's `apiequality.Semantic.DeepEqual`, which treats nil and
 * empty slices and maps as equal. Inside objects a missing field also equals an empty list or map;
 * at the top level an empty object differs from a missing one (a set pointer versus nil).
 */
export function semanticEqual(a: unknown, b: unknown, nested = false): boolean {
  if (a === b) return true;
  if (nested && isMissingOrEmpty(a) && isMissingOrEmpty(b)) return true;
  if ((a === undefined || a === null) && Array.isArray(b)) return b.length === 0;
  if ((b === undefined || b === null) && Array.isArray(a)) return a.length === 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => semanticEqual(item, b[i], true));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!semanticEqual(a[key], b[key], true)) return false;
    return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Numbers and immutability.

/** `<field>: Invalid value: <n>: must be greater than or equal to 0` when the number is negative. */
export function validateNonnegativeField(value: number | undefined, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldErrors.invalid(field, value, isNegativeErrorMsg)] : [];
}

/**
 * `<field>: Invalid value: <new>: field is immutable` unless old and new are semantically equal.
 * `render` formats the new value in Go syntax when it is not a plain scalar.
 */
export function validateImmutableField(
  newValue: unknown,
  oldValue: unknown,
  field: string,
  render?: (value: unknown) => string,
): FieldError[] {
  if (semanticEqual(newValue, oldValue)) return [];
  if (render) return [invalidRendered(field, render(newValue), fieldImmutableErrorMsg, newValue)];
  return [invalidValue(field, newValue, fieldImmutableErrorMsg)];
}

// ---------------------------------------------------------------------------------------------
// String formats (k8s.io/apimachinery/pkg/util/validation), each returning its messages.

/** `must be between <lo> and <hi>, inclusive` */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** A port number: 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** An IANA service name, as container ports are named: at most 15 of `[-a-z0-9]`, at least one letter. */
export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (port.length > 15) errors.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errors.push('must not begin or end with a hyphen');
  return errors;
}

const percentFormat = '[0-9]+%';

/** A percentage such as `25%`. */
export function isValidPercent(value: string): string[] {
  if (/^[0-9]+%$/.test(value)) return [];
  return [regexError("a valid percent string must be a numeric string followed by an ending '%'", percentFormat, '1%', '93%')];
}

function chdirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/**
 * An environment variable name (also an envFrom prefix): printable ASCII other than `=`. This is the
 * relaxed rule the RelaxedEnvironmentVariableValidation gate turns on (default since v1.32).
 */
export function isEnvVarName(value: string): string[] {
  const errors: string[] = [];
  if (value.length === 0) errors.push('environment variable name must be non-empty');
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e || ch === '=') {
      errors.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errors;
}

/** A ConfigMap or Secret key (also a projected file name). */
export function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 253) errors.push(maxLenError(253));
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) {
    errors.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name'));
  }
  return [...errors, ...chdirPrefixErrors(value)];
}

/** An HTTP header name. */
export function isHTTPHeaderName(value: string): string[] {
  if (/^[-A-Za-z0-9]+$/.test(value)) return [];
  return [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", '[-A-Za-z0-9]+', 'X-Header-Name')];
}

/** A Unix user or group id (0 to 2^32-1). */
export function isValidUnixId(id: number): string[] {
  return Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? [] : [inclusiveRangeError(0, 0xffffffff)];
}

/** A path segment usable as an object name in a URL (the generic rule for kinds without their own). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  if (name.includes('/')) errors.push("may not contain '/'");
  if (name.includes('%')) errors.push("may not contain '%'");
  return errors;
}

// ---------------------------------------------------------------------------------------------
// IP addresses (no node: imports here; the web UI shares this code).

function isIPv4(value: string): boolean {
  const parts = value.split('.');
  // Upstream parses "sloppily": leading zeros are accepted and read as decimal.
  return parts.length === 4 && parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255);
}

function isIPv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value)) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (text: string): string[] | undefined => (text === '' ? [] : text.split(':'));
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (!head || !tail) return false;
  const groups = [...head, ...tail];
  let width = 0;
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && group.includes('.')) {
      if (!isIPv4(group)) return false;
      width += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(group)) {
      width += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? width < 8 : width === 8;
}

/** Which IP family an address belongs to, or undefined when it is not an IP address. */
export function ipFamily(value: string): 4 | 6 | undefined {
  if (isIPv4(value)) return 4;
  if (isIPv6(value)) return 6;
  return undefined;
}

/** `<field>: Invalid value: "<ip>": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` */
export function validateIP(value: string, field: string): FieldError[] {
  if (ipFamily(value)) return [];
  return [fieldErrors.invalid(field, value, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
}

/** Which IP family a CIDR belongs to, or undefined when it is not a CIDR. */
export function cidrFamily(value: string): 4 | 6 | undefined {
  const slash = value.indexOf('/');
  if (slash < 0) return undefined;
  const family = ipFamily(value.slice(0, slash));
  const prefix = value.slice(slash + 1);
  if (!family || !/^[0-9]{1,3}$/.test(prefix)) return undefined;
  return Number(prefix) <= (family === 4 ? 32 : 128) ? family : undefined;
}

/** `<field>: Invalid value: "<cidr>": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)` */
export function validateCIDR(value: string, field: string): FieldError[] {
  if (cidrFamily(value)) return [];
  return [fieldErrors.invalid(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

// ---------------------------------------------------------------------------------------------
// Field-level wrappers around the name formats of names.ts.

function invalidEach(value: string, field: string, messages: string[]): FieldError[] {
  return messages.map((message) => fieldErrors.invalid(field, value, message));
}

/** One `Invalid value` per DNS-1123 label rule the value breaks. */
export function validateDNS1123Label(value: string, field: string): FieldError[] {
  return invalidEach(value, field, isDNS1123Label(value));
}

/** One `Invalid value` per DNS-1123 subdomain rule the value breaks. */
export function validateDNS1123Subdomain(value: string, field: string): FieldError[] {
  return invalidEach(value, field, isDNS1123Subdomain(value));
}

/** One `Invalid value` per qualified-name rule the value breaks (upstream `ValidateQualifiedName`). */
export function validateQualifiedName(value: string, field: string): FieldError[] {
  return invalidEach(value, field, isQualifiedName(value));
}

/** Label keys, taint keys, toleration keys, topology keys (upstream `ValidateLabelName`). */
export const validateLabelName = validateQualifiedName;

const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

/**
 * The core API's extra rule for finalizer names: a name without a `/` must be one of the standard
 * finalizers (`kubernetes`, `orphan`, `foregroundDeletion`).
 */
export function validateKubeFinalizerName(name: string, field: string): FieldError[] {
  if (name.includes('/') || standardFinalizers.has(name)) return [];
  return [fieldErrors.invalid(field, name, 'name is neither a standard finalizer name nor is it fully qualified')];
}

/** `metadata.finalizers[i]` checked with {@link validateKubeFinalizerName}, as core kinds do. */
export function validateKubeFinalizers(finalizers: unknown, field = 'metadata.finalizers'): FieldError[] {
  return asArray<string>(finalizers).flatMap((name, i) =>
    typeof name === 'string' ? validateKubeFinalizerName(name, `${field}[${i}]`) : [],
  );
}

// ---------------------------------------------------------------------------------------------
// Int-or-percent values (rolling updates, disruption budgets).

function isPercentString(value: IntOrString | undefined): value is string {
  return typeof value === 'string' && isValidPercent(value).length === 0;
}

/**
 * The number an int-or-percent stands for: the percentage for `"25%"`, the integer otherwise.
 * Strings that are neither read as their integer value, or 0 (Go's `IntValue` ignores the error).
 */
export function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  if (isPercentString(value)) return Number(value.slice(0, -1));
  return /^[+-]?[0-9]+$/.test(value) ? Number(value) : 0;
}

/** An int-or-percent must be an integer ≥ 0 or a string such as `"25%"`. */
export function validatePositiveIntOrPercent(value: IntOrString | undefined, field: string): FieldError[] {
  if (typeof value === 'string') {
    return isValidPercent(value).map((message) => invalidRendered(field, goIntOrString(value), message, value));
  }
  return validateNonnegativeField(value ?? 0, field);
}

/** A percentage may not exceed 100%. */
export function isNotMoreThan100Percent(value: IntOrString | undefined, field: string): FieldError[] {
  if (!isPercentString(value) || Number(value.slice(0, -1)) <= 100) return [];
  return [invalidRendered(field, goIntOrString(value), 'must not be greater than 100%', value)];
}
