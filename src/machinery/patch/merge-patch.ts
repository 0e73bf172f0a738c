/**
 * JSON Merge Patch (RFC 7386), as the API server applies `application/merge-patch+json` bodies.
 *
 * Upstream: `jsonPatcher.applyJSPatch` in k8s.io/apiserver/pkg/endpoints/handlers/patch.go, which
 * calls `MergePatch` from gopkg.in/evanphx/json-patch.v4.
 */

import { badRequest } from '../../api/errors.js';
import { cloneJson, copyObject, hasOwn, isJsonObject, setOwn, type JsonObject } from './json-value.js';

/** Upstream's `ErrBadJSONPatch` text, sent as a 400. */
export const invalidMergePatchMessage = 'Invalid JSON Patch';

/**
 * Applies an RFC 7386 merge patch to `doc` and returns the result. Objects merge key by key, `null`
 * deletes a key, and any other value (arrays included) replaces what was there. Neither input is
 * modified and the result shares no object with them.
 *
 * Nulls inside values the patch adds are dropped, including inside objects within arrays, as
 * evanphx/json-patch does; null elements of arrays stay.
 *
 * Follows upstream where it differs from the RFC: a patch that is `null`, a string, a number or a
 * boolean is refused with 400 `Invalid JSON Patch`; an array patch replaces the whole document (the
 * caller then finds the result is not an object).
 *
 * @example
 * applyMergePatch(node, { metadata: { labels: { disktype: null } } }); // removes the label
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) return withoutNulls(patch);
  if (!isJsonObject(patch)) throw badRequest(invalidMergePatchMessage);
  return mergeObjects(isJsonObject(doc) ? (cloneJson(doc) as JsonObject) : {}, patch);
}

/** Merges `patch` into a copy of `target`, which the caller owns. */
function mergeObjects(target: JsonObject, patch: JsonObject): JsonObject {
  const result = copyObject(target);
  for (const [key, patchValue] of Object.entries(patch)) {
    if (patchValue === null) {
      delete result[key];
      continue;
    }
    const current = hasOwn(result, key) ? result[key] : undefined;
    const merged = isJsonObject(current) && isJsonObject(patchValue) ? mergeObjects(current, patchValue) : withoutNulls(patchValue);
    setOwn(result, key, merged);
  }
  return result;
}

/** A fresh copy of a patch value with null object members removed at every depth. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (isJsonObject(value)) {
    const result: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (child !== null) setOwn(result, key, withoutNulls(child));
    }
    return result;
  }
  return value;
}
