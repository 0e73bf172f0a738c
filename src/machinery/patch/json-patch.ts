/**
 * JSON Patch (RFC 6902), as the API server applies `application/json-patch+json` bodies.
 *
 * Upstream: `jsonPatcher.applyJSPatch` in k8s.io/apiserver/pkg/endpoints/handlers/patch.go, over
 * gopkg.in/evanphx/json-patch.v4.
 */

import { badRequest, tooLarge } from '../../api/errors.js';
import { unprocessablePatch } from './errors.js';
import { goJsonKind } from './go-format.js';
import { cloneJson, hasOwn, isJsonObject, jsonEqual, setOwn, type JsonObject } from './json-value.js';

/** The most operations one patch may hold; upstream's `maxJSONPatchOperations`. */
export const maxJsonPatchOperations = 10000;

/**
 * Applies an RFC 6902 patch to `doc` and returns the patched document. Operations apply in order and
 * all or nothing; neither `doc` nor `patch` is modified and the result shares no object with them.
 *
 * Paths are JSON pointers (RFC 6901): `~1` is `/`, `~0` is `~`, `/-` appends to an array, and array
 * indices are decimal without leading zeros. The empty path names the whole document. Path segments
 * `__proto__`, `constructor` and `prototype` are refused outright.
 *
 * Failures, as upstream answers them:
 * - `patch` is not an array of operation objects (JSON `null` is an empty patch): 400 with Go's decode error;
 * - more than {@link maxJsonPatchOperations} operations: 413;
 * - an operation cannot apply (unknown `op`, missing path, failed `test`, bad index): 422 Invalid with
 *   upstream's generic message; the specific reason is the error's `cause`.
 *
 * Differs from upstream: evanphx/json-patch v4 also accepts negative array indices and leading zeros;
 * both are refused here, as RFC 6901 requires.
 *
 * @example
 * applyJsonPatch(ds, [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'fluentd:p2' }]);
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const operations = decodeOperations(patch);
  let working = cloneJson(doc);
  for (const operation of operations) working = applyOperation(working, operation);
  return working;
}

/** One decoded operation; `null` stands for a JSON `null` element, which upstream rejects when applying. */
type Operation = JsonObject | null;

function decodeOperations(patch: unknown): Operation[] {
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const operation of patch) {
    if (operation !== null && !isJsonObject(operation)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(operation)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > maxJsonPatchOperations) {
    throw tooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${patch.length}`,
    );
  }
  return patch as Operation[];
}

/** Applies one operation to a document this module owns, returning the (possibly new) root. */
function applyOperation(doc: unknown, operation: Operation): unknown {
  const kind = operation !== null && typeof operation.op === 'string' ? operation.op : 'unknown';
  if (operation === null) fail(`Unexpected kind: ${kind}`);
  switch (kind) {
    case 'add':
      return add(doc, pointerField(operation, 'path', kind), valueField(operation, kind));
    case 'remove':
      return remove(doc, pointerField(operation, 'path', kind));
    case 'replace':
      return replace(doc, pointerField(operation, 'path', kind), valueField(operation, kind));
    case 'move':
      return move(doc, pointerField(operation, 'from', kind), pointerField(operation, 'path', kind));
    case 'copy':
      return add(doc, pointerField(operation, 'path', kind), cloneJson(read(doc, pointerField(operation, 'from', kind), kind)));
    case 'test':
      return test(doc, pointerField(operation, 'path', kind), valueField(operation, kind));
    default:
      return fail(`Unexpected kind: ${kind}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Operations. Each works on the document applyJsonPatch cloned, so in-place edits are private.

function add(doc: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.tokens.length === 0) return value;
  const { container, token } = locateParent(doc, pointer, 'add');
  if (Array.isArray(container)) {
    const index = token === '-' ? container.length : arrayIndex(token, pointer, container.length);
    container.splice(index, 0, value);
  } else {
    setOwn(container, token, value);
  }
  return doc;
}

function remove(doc: unknown, pointer: Pointer): unknown {
  if (pointer.tokens.length === 0) fail('remove operation does not apply: cannot remove the whole document');
  const { container, token } = locateParent(doc, pointer, 'remove');
  if (Array.isArray(container)) {
    container.splice(arrayIndex(token, pointer, container.length - 1), 1);
  } else {
    if (!hasOwn(container, token)) fail(`remove operation does not apply: doc is missing key: ${pointer.path}`);
    delete container[token];
  }
  return doc;
}

function replace(doc: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.tokens.length === 0) return value;
  const { container, token } = locateParent(doc, pointer, 'replace');
  if (Array.isArray(container)) {
    container[arrayIndex(token, pointer, container.length - 1)] = value;
  } else {
    if (!hasOwn(container, token)) fail(`replace operation does not apply: doc is missing key: ${pointer.path}`);
    setOwn(container, token, value);
  }
  return doc;
}

function move(doc: unknown, from: Pointer, to: Pointer): unknown {
  if (from.path === to.path) {
    read(doc, from, 'move');
    return doc;
  }
  // RFC 6902 §4.4: a value cannot be moved into one of its own children.
  if (from.tokens.length < to.tokens.length && from.tokens.every((token, i) => token === to.tokens[i])) {
    fail(`move operation does not apply: "from" ${from.path} is a prefix of "path" ${to.path}`);
  }
  const value = read(doc, from, 'move');
  return add(remove(doc, from), to, value);
}

function test(doc: unknown, pointer: Pointer, expected: unknown): unknown {
  const actual = read(doc, pointer, 'test');
  if (!jsonEqual(actual, expected)) fail(`testing value ${pointer.path} failed`);
  return doc;
}

/** The value `pointer` names; fails when it names nothing. */
function read(doc: unknown, pointer: Pointer, kind: string): unknown {
  if (pointer.tokens.length === 0) return doc;
  const { container, token } = locateParent(doc, pointer, kind);
  if (Array.isArray(container)) return container[arrayIndex(token, pointer, container.length - 1)];
  if (!hasOwn(container, token)) fail(`${kind} operation does not apply: doc is missing key: ${pointer.path}`);
  return container[token];
}

// ---------------------------------------------------------------------------------------------
// Pointers.

/** A parsed JSON pointer: the original text (for messages) and its unescaped reference tokens. */
interface Pointer {
  path: string;
  tokens: readonly string[];
}

/** Names that could reach an object's prototype; refused in any pointer. */
const forbiddenTokens = new Set(['__proto__', 'constructor', 'prototype']);

function pointerField(operation: JsonObject, field: 'path' | 'from', kind: string): Pointer {
  const path = operation[field];
  if (!hasOwn(operation, field) || typeof path !== 'string') fail(`${kind} operation missing ${field} field`);
  return parsePointer(path);
}

function valueField(operation: JsonObject, kind: string): unknown {
  if (!hasOwn(operation, 'value')) fail(`${kind} operation missing value field`);
  // Cloned so that later operations editing the document never edit the caller's patch.
  return cloneJson(operation.value);
}

function parsePointer(path: string): Pointer {
  if (path === '') return { path, tokens: [] };
  if (!path.startsWith('/')) fail(`invalid JSON pointer ${JSON.stringify(path)}: must be empty or start with "/"`);
  const tokens = path
    .slice(1)
    .split('/')
    .map((raw) => {
      if (/~(?![01])/.test(raw)) fail(`invalid JSON pointer ${JSON.stringify(path)}: "~" must be followed by 0 or 1`);
      // Order matters: "~01" is the literal "~1", so "~1" is decoded before "~0".
      const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if (forbiddenTokens.has(token)) fail(`invalid JSON pointer ${JSON.stringify(path)}: segment ${JSON.stringify(token)} is not allowed`);
      return token;
    });
  return { path, tokens };
}

/** Walks to the container holding the pointer's last token; every step before it must exist. */
function locateParent(doc: unknown, pointer: Pointer, kind: string): { container: JsonObject | unknown[]; token: string } {
  let current = doc;
  const parentTokens = pointer.tokens.slice(0, -1);
  for (const token of parentTokens) {
    if (Array.isArray(current)) {
      current = current[arrayIndex(token, pointer, current.length - 1)];
    } else if (isJsonObject(current) && hasOwn(current, token)) {
      current = current[token];
    } else {
      return fail(`${kind} operation does not apply: doc is missing path: ${pointer.path}`);
    }
  }
  if (!Array.isArray(current) && !isJsonObject(current)) {
    fail(`${kind} operation does not apply: doc is missing path: ${pointer.path}`);
  }
  return { container: current, token: pointer.tokens[pointer.tokens.length - 1] as string };
}

/** A decimal array index without leading zeros, at most `max`. */
function arrayIndex(token: string, pointer: Pointer, max: number): number {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) fail(`invalid array index ${JSON.stringify(token)} in path ${pointer.path}`);
  const index = Number(token);
  if (index > max) fail(`array index ${token} out of bounds in path ${pointer.path}`);
  return index;
}

function fail(detail: string): never {
  throw unprocessablePatch(detail);
}
