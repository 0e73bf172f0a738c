/**
 * Prints JSON values the way Go's `fmt` prints the `interface{}` trees that the upstream API server
 * decodes patches into, so that error messages read as upstream's do, for example
 * `map: map[image:nginx] does not contain declared merge key: name`.
 *
 * Assumes the upstream decoding of numbers (integers as `int64`, anything else as `float64`).
 * Exponent formatting of very large or very small floats is JavaScript's, not Go's.
 */

import { isJsonObject } from './json-value.js';

/** The Go type name of a decoded JSON value, as `reflect.TypeOf(v).String()` prints it. */
export function goTypeName(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return '[]interface {}';
  if (isJsonObject(value)) return 'map[string]interface {}';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** `fmt.Sprintf("%v", value)`: maps print as `map[k:v ...]` with sorted keys, lists as `[a b]`. */
export function formatGoValue(value: unknown): string {
  return format(value, 'v');
}

/** `fmt.Sprintf("%s", value)`: strings print bare, other scalars as `%!s(int64=1)`. */
export function formatGoString(value: unknown): string {
  return format(value, 's');
}

/** What `%s` prints for a `reflect.Type` that may be nil: the type name, or `%!s(<nil>)`. */
export function formatGoTypeOf(value: unknown): string {
  const name = goTypeName(value);
  return name === '<nil>' ? '%!s(<nil>)' : name;
}

function format(value: unknown, verb: 'v' | 's'): string {
  if (Array.isArray(value)) return `[${value.map((item) => format(item, verb)).join(' ')}]`;
  if (isJsonObject(value)) {
    // Go has sorted map keys when printing since 1.12.
    const entries = Object.keys(value)
      .sort(compareGoStrings)
      .map((key) => `${key}:${format(value[key], verb)}`);
    return `map[${entries.join(' ')}]`;
  }
  if (typeof value === 'string') return value;
  const scalar = value === null || value === undefined ? '<nil>' : String(value);
  if (verb === 'v') return scalar;
  return value === null || value === undefined ? '%!s(<nil>)' : `%!s(${goTypeName(value)}=${scalar})`;
}

/** Go compares strings bytewise (UTF-8); for the keys Kubernetes uses, code-unit order is the same. */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The JSON kind Go's decoder names in `cannot unmarshal <kind> into Go value of type ...` errors. */
export function goJsonKind(value: unknown): 'object' | 'array' | 'string' | 'number' | 'bool' | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}
