/**
 * Small helpers over parsed JSON values, shared by the three patch formats.
 *
 * Documents arrive as the output of `JSON.parse`, so objects are plain and may carry own keys such as
 * `__proto__`. Every write here defines an own data property rather than assigning, so such a key
 * stays data and never reaches a prototype.
 */

/** A JSON object as `JSON.parse` returns it. */
export type JsonObject = { [key: string]: unknown };

/** Whether `value` is a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `object` has `key` as an own property; inherited names such as `constructor` never count. */
export function hasOwn(object: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** The own value at `key`, or undefined. */
export function getOwn(object: JsonObject, key: string): unknown {
  return hasOwn(object, key) ? object[key] : undefined;
}

/** Defines `key` as an own, enumerable data property; safe for `__proto__`. */
export function setOwn(object: JsonObject, key: string, value: unknown): void {
  // Plain assignment is several times faster; only `__proto__` would hit the prototype setter instead.
  if (key !== '__proto__') object[key] = value;
  else Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A shallow copy holding the same own enumerable keys in the same order. */
export function copyObject(object: JsonObject): JsonObject {
  // Object spread defines properties (it does not assign), so `__proto__` is copied as data.
  return { ...object };
}

/** A deep copy of a JSON value that shares no object or array with the input. */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(value)) setOwn(copy, key, cloneJson(child));
    return copy;
  }
  return value;
}

/** JSON equality: objects compare by key set regardless of order, arrays element by element. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}
