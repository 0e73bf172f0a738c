/**
 * Kubernetes strategic merge patch, as the API server applies `application/strategic-merge-patch+json`
 * bodies (the format kubectl apply, edit, set image, rollout, taint and cordon send).
 *
 * Upstream: `StrategicMergeMapPatch` and `mergeMap` in k8s.io/apimachinery/pkg/util/strategicpatch/patch.go,
 * with the error mapping of `interpretStrategicMergePatchError` in
 * k8s.io/apiserver/pkg/endpoints/handlers/patch.go. Function names below follow upstream's where the
 * step is the same, so the two can be read side by side.
 */

import { badRequest, type StatusError } from '../../api/errors.js';
import type { PatchMeta } from '../../api/schema/patch-meta.js';
import { unclassifiedError, unprocessablePatch } from './errors.js';
import { formatGoString, formatGoTypeOf, formatGoValue, goJsonKind, goTypeName } from './go-format.js';
import { cloneJson, copyObject, getOwn, hasOwn, isJsonObject, setOwn, type JsonObject } from './json-value.js';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/** Upstream's 400 messages (k8s.io/apimachinery/pkg/util/mergepatch/errors.go). */
export const strategicPatchMessages = {
  badPrimitiveList: 'invalid patch format of primitive list',
  badRetainKeys: 'invalid patch format of retainKeys',
  badSetElementOrder: 'invalid patch format of setElementOrder list',
} as const;

/**
 * Applies a strategic merge patch to `doc` (a JSON object; anything else counts as `{}`) and returns
 * the result. `meta` describes the type of `doc` (its `field(...)` gives each field's strategy and
 * merge key); where it is undefined, or a field is unknown to it, that subtree is patched as a JSON
 * merge patch would be (maps merge, lists are replaced). Neither input is modified and the result
 * shares no object with them.
 *
 * Semantics, following upstream:
 * - maps merge recursively and `null` deletes a key;
 * - a list whose strategy includes `merge` and which has a merge key merges element by element on that
 *   key; one without a key (a primitive list such as `finalizers`) merges as a set union; any other
 *   list is replaced;
 * - without `$setElementOrder`, elements the patch names keep the patch's order, the others keep the
 *   server's, and the two are interleaved by the server's order; an element new to the server goes
 *   ahead of the server-only elements still to place (so, as upstream, a container added alone by
 *   `kubectl patch` lands first);
 * - `$setElementOrder/<list>` gives the final order of that list;
 * - `$patch: replace` in a map replaces the map with the rest of the patch map; as a list element
 *   (`{"$patch":"replace"}`) it replaces the whole list with the patch's other elements;
 * - `$patch: delete` in a map empties the map; as an element of a merge-keyed list it deletes the
 *   element with that key;
 * - `$retainKeys: [...]` drops every key of the map not listed (volumes use `merge,retainKeys`);
 * - `$deleteFromPrimitiveList/<list>: [...]` removes those values from a primitive list;
 * - no directive key is ever kept in the result, and nulls inside newly added values are dropped.
 *
 * Failures, with upstream's status and message:
 * - `patch` is not a JSON object: 400 `json: cannot unmarshal <kind> into Go value of type map[string]interface {}`;
 * - a malformed `$retainKeys`, `$setElementOrder/` or `$deleteFromPrimitiveList/` directive: 400;
 * - a list nested directly in a list: 422 with upstream's generic message;
 * - anything else (an element without its merge key, an unknown `$patch` value, `$patch: merge`, an
 *   order that contradicts `$setElementOrder`, mixed element types): 500 with no reason and upstream's
 *   text, e.g. `map: map[image:nginx] does not contain declared merge key: name`.
 *
 * Differs from upstream in corner cases upstream leaves to the typed decoder: a
 * `$deleteFromPrimitiveList` for a missing list does nothing (upstream stores the deletion list), and a
 * non-list deletion list is a 400 (upstream stores it as the field's value).
 *
 * @example
 * applyStrategicMergePatch(ds, {
 *   spec: { template: { spec: {
 *     '$setElementOrder/containers': [{ name: 'fluentd' }, { name: 'sidecar' }],
 *     containers: [{ name: 'fluentd', image: 'fluentd:v7' }],
 *   } } },
 * }, daemonSetPatchMeta);
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, meta: PatchMeta | undefined): unknown {
  // Upstream decodes the body into a Go map: JSON null is an empty patch, anything else must be an object.
  if (patch === null) return cloneJson(doc);
  if (!isJsonObject(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  const original = isJsonObject(doc) ? (cloneJson(doc) as JsonObject) : {};
  return mergeMap(original, patch, meta);
}

// ---------------------------------------------------------------------------------------------
// Maps. `original` is always owned by this module (a clone, or a subtree of one), so it is shared
// into results freely; the patch is only read, and anything taken from it goes through
// normalizeValue, which builds new objects.

/** Merges a patch map into a map; upstream `mergeMap`. */
function mergeMap(original: JsonObject, patch: JsonObject, meta: PatchMeta | undefined): JsonObject {
  if (hasOwn(patch, directiveMarker)) return applyMapDirective(patch, meta);

  const result = retainKeys(original, patch);

  // Ordered lists are merged and ordered together, then skipped by the main loop (upstream `mergePatchIntoOriginal`).
  const orderedFields = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const field = directiveField(key, setElementOrderPrefix, strategicPatchMessages.badSetElementOrder);
    const ordered = mergeOrderedList(result, patch, field, order, childMeta(meta, field));
    if (ordered === undefined) continue;
    setOwn(result, field, ordered);
    orderedFields.add(field);
  }

  for (const [key, patchValue] of Object.entries(patch)) {
    if (key === retainKeysDirective || key.startsWith(setElementOrderPrefix) || orderedFields.has(key)) continue;
    if (key.startsWith(deleteFromPrimitiveListPrefix)) {
      deleteFromPrimitiveList(result, key, patchValue);
    } else if (patchValue === null) {
      delete result[key];
    } else {
      setOwn(result, key, mergeValue(result, key, patchValue, childMeta(meta, key)));
    }
  }
  return result;
}

/** `$patch` in a map: `replace` keeps only the rest of the patch map, `delete` leaves an empty map. */
function applyMapDirective(patch: JsonObject, meta: PatchMeta | undefined): JsonObject {
  const directive = patch[directiveMarker];
  if (directive === 'replace') {
    const rest = copyObject(patch);
    delete rest[directiveMarker];
    // Merged onto nothing, so nested directives and nulls are resolved instead of stored.
    return mergeMap({}, rest, meta);
  }
  if (directive === 'delete') return {};
  throw errBadPatchType(directive, patch);
}

/** A copy of `original` without the keys a `$retainKeys` directive leaves out; upstream `applyRetainKeysDirective`. */
function retainKeys(original: JsonObject, patch: JsonObject): JsonObject {
  if (!hasOwn(patch, retainKeysDirective)) return copyObject(original);
  const listed = patch[retainKeysDirective];
  if (!Array.isArray(listed)) throw badRequest(strategicPatchMessages.badRetainKeys);
  const retained = new Set<unknown>(listed);
  // Every field the patch sets must be one it asks to keep.
  for (const [key, value] of Object.entries(patch)) {
    if (key === retainKeysDirective || value === null) continue;
    if (key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!retained.has(key)) throw badRequest(strategicPatchMessages.badRetainKeys);
  }
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(original)) {
    if (retained.has(key)) setOwn(result, key, value);
  }
  return result;
}

/** Removes the listed values from the primitive list a `$deleteFromPrimitiveList/<field>` key names. */
function deleteFromPrimitiveList(result: JsonObject, key: string, toDelete: unknown): void {
  const field = directiveField(key, deleteFromPrimitiveListPrefix, strategicPatchMessages.badPrimitiveList);
  if (!Array.isArray(toDelete)) throw badRequest(strategicPatchMessages.badPrimitiveList);
  const current = getOwn(result, field);
  if (Array.isArray(current)) setOwn(result, field, current.filter((item) => !toDelete.includes(item)));
}

/** The field a `<prefix>/<field>` directive key names; upstream `extractKey`. */
function directiveField(key: string, prefix: string, formatMessage: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) throw badRequest(formatMessage);
  return key.slice(slash + 1);
}

/** The value of `key` after merging `patchValue` (never null) into what `result` holds there. */
function mergeValue(result: JsonObject, key: string, patchValue: unknown, meta: PatchMeta | undefined): unknown {
  const current = getOwn(result, key);
  if (isJsonObject(current) && isJsonObject(patchValue)) {
    return patchStrategy(meta) === 'replace' ? normalizeValue(patchValue, meta) : mergeMap(current, patchValue, meta);
  }
  if (Array.isArray(current) && Array.isArray(patchValue) && patchStrategy(meta) === 'merge') {
    return mergeList(current, patchValue, meta);
  }
  // Absent before, a different kind of value, a primitive, or a list that is replaced.
  return normalizeValue(patchValue, meta);
}

/**
 * A patch value as it is stored when there is nothing to merge it with: directives are resolved
 * against an empty original and nulls dropped. Always returns new objects and arrays.
 */
function normalizeValue(value: unknown, meta: PatchMeta | undefined): unknown {
  if (isJsonObject(value)) return mergeMap({}, value, meta);
  if (Array.isArray(value)) {
    if (patchStrategy(meta) === 'merge') return mergeList([], value, meta);
    const elementMeta = meta?.elements();
    return value.map((item) => normalizeValue(item, elementMeta));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Lists with the merge strategy.

/** Merges a patch list into a list whose strategy is `merge`; upstream `mergeSlice`. */
function mergeList(original: unknown[], patch: unknown[], meta: PatchMeta | undefined): unknown[] {
  if (original.length === 0 && patch.length === 0) return [];
  const kind = elementKind(original, patch) as ElementKind;

  if (kind === 'scalar') {
    const merged = [...new Set([...original, ...patch])];
    return orderMergedList(merged, patch, original, '', kind);
  }

  const mergeKey = meta?.patchMergeKey ?? '';
  if (!mergeKey) {
    const goKind = meta?.elements()?.type === 'map' ? 'map' : 'struct';
    throw unclassifiedError(`cannot merge lists without merge key for type ${goKind}`);
  }
  const elementMeta = meta?.elements();
  const { remaining, patchElements } = applyListDirectives(original as JsonObject[], patch as JsonObject[], mergeKey, elementMeta);
  const merged = mergeByKey(remaining, patchElements, mergeKey, elementMeta);
  return orderMergedList(merged, patchElements, remaining, mergeKey, kind);
}

/**
 * Handles list elements carrying `$patch`: `delete` removes the original elements with that key,
 * `replace` makes the patch's other elements the whole list. Returns the original elements left and
 * the patch elements still to merge. Upstream `mergeSliceWithSpecialElements`.
 */
function applyListDirectives(
  original: JsonObject[],
  patch: JsonObject[],
  mergeKey: string,
  elementMeta: PatchMeta | undefined,
): { remaining: JsonObject[]; patchElements: JsonObject[] } {
  let remaining = original;
  const patchElements: JsonObject[] = [];
  let replaceList = false;
  for (const element of patch) {
    if (!hasOwn(element, directiveMarker)) {
      patchElements.push(element);
      continue;
    }
    const directive = element[directiveMarker];
    if (directive === 'delete') {
      if (!hasOwn(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
      remaining = remaining.filter((entry) => !hasMergeKeyValue(entry, mergeKey, element[mergeKey]));
    } else if (directive === 'replace') {
      // Keep scanning: the other directive elements still have to be valid.
      replaceList = true;
    } else if (directive === 'merge') {
      throw unclassifiedError('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(directive, element);
    }
  }
  if (replaceList) {
    return { remaining: patchElements.map((element) => normalizeValue(element, elementMeta) as JsonObject), patchElements: [] };
  }
  return { remaining, patchElements };
}

/** Merges each patch element into the element with the same key, or appends it; upstream `mergeSliceWithoutSpecialElements`. */
function mergeByKey(original: JsonObject[], patch: JsonObject[], mergeKey: string, elementMeta: PatchMeta | undefined): JsonObject[] {
  const merged = [...original];
  for (const element of patch) {
    if (!hasOwn(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
    const at = merged.findIndex((entry) => hasMergeKeyValue(entry, mergeKey, element[mergeKey]));
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, element, elementMeta);
    else merged.push(normalizeValue(element, elementMeta) as JsonObject);
  }
  return merged;
}

/**
 * Handles `$setElementOrder/<field>`: merges the field's patch list (if any) into the original list and
 * puts the result in the given order. Returns undefined when neither side has the list.
 * Upstream `mergePatchIntoOriginal`.
 */
function mergeOrderedList(
  result: JsonObject,
  patch: JsonObject,
  field: string,
  order: unknown,
  meta: PatchMeta | undefined,
): unknown[] | undefined {
  if (!Array.isArray(order)) throw errBadArgType('[]interface {}', order);
  const originalList = listField(result, field);
  const patchList = listField(patch, field);
  const mergeKey = meta?.patchMergeKey ?? '';
  validatePatchWithSetOrderList(patchList ?? [], order, mergeKey);
  if (originalList === undefined && patchList === undefined) return undefined;

  let merged: unknown[];
  if (patchList === undefined) merged = originalList ?? [];
  else if (patchStrategy(meta) === 'merge') merged = mergeList(originalList ?? [], patchList, meta);
  else merged = normalizeValue(patchList, meta) as unknown[];

  const kind = elementKind(originalList ?? [], patchList ?? []);
  // Nothing to order, or maps that cannot be matched without a key: keep the merged order.
  if (kind === undefined || (kind === 'map' && !mergeKey)) return merged;
  return orderMergedList(merged, order, originalList ?? [], mergeKey, kind);
}

/** The list at `field`, undefined when absent; a present non-list is an error, as upstream. */
function listField(object: JsonObject, field: string): unknown[] | undefined {
  if (!hasOwn(object, field)) return undefined;
  const value = object[field];
  if (!Array.isArray(value)) throw errBadArgType('[]interface {}', value);
  return value;
}

/**
 * Checks that the patch list's elements appear in `$setElementOrder` in the same relative order, and
 * only elements it lists (deletions and other directive elements aside).
 * Upstream `validatePatchWithSetOrderList`.
 */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  let candidates = patchList;
  if (mergeKey) {
    for (const element of patchList) {
      if (!isJsonObject(element)) throw errBadArgType('map[string]interface {}', element);
    }
    candidates = patchList.filter((element) => (element as JsonObject)[directiveMarker] !== 'delete');
  }
  let patchIndex = 0;
  let orderIndex = 0;
  while (patchIndex < candidates.length && orderIndex < order.length) {
    const candidate = candidates[patchIndex];
    if (isJsonObject(candidate) && hasOwn(candidate, directiveMarker)) {
      patchIndex++;
      continue;
    }
    if (mergeKeyValueEqual(candidate, order[orderIndex], mergeKey)) patchIndex++;
    orderIndex++;
  }
  if (patchIndex < candidates.length) {
    throw unclassifiedError(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${formatGoValue(order)}\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Ordering a merged list (upstream `normalizeElementOrder` and helpers).
//
// The merged list is split into elements the patch (or `$setElementOrder`) names and elements only
// the server has. The first keep the patch's order, the second the server's; then the two are
// interleaved, a server-only element going first only when the server had it before the patch
// element being compared. An element the server did not have is never "after" anything, so it goes
// ahead of the server-only elements still to place.

/** Orders `merged` by `patchOrder` for the elements it names and by `serverOrder` for the rest. */
function orderMergedList(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const { named, serverOnly } = partitionByPresence(merged, patchOrder, mergeKey);
  const patchSorted = sortByOrder(named, patchOrder, mergeKey, kind);
  const serverSorted = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  return interleave(serverSorted, patchSorted, serverOrder, mergeKey, kind);
}

/** Splits `list` into elements that `names` contains (by merge key, or by value for primitives) and the rest. */
function partitionByPresence(list: unknown[], names: unknown[], mergeKey: string): { named: unknown[]; serverOnly: unknown[] } {
  const named: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const element of list) {
    let present: boolean;
    if (!mergeKey) {
      present = names.includes(element);
    } else {
      if (!isJsonObject(element)) throw errBadArgType('map[string]interface {}', element);
      if (!hasOwn(element, mergeKey)) throw errNoMergeKey(element, mergeKey);
      present = names.some((name, i) => {
        if (!isJsonObject(name)) throw unclassifiedError(`value for key ${i} is not a map.`);
        return hasMergeKeyValue(name, mergeKey, element[mergeKey]);
      });
    }
    (present ? named : serverOnly).push(element);
  }
  return { named, serverOnly };
}

/**
 * `items` stably sorted by their position in `order`; items `order` lacks keep their relative order
 * after the others. For maps, every item and every entry of `order` must carry the merge key.
 * Upstream `normalizeSliceOrder` (whose extra handling of `$patch: delete` items is not needed here:
 * merged lists never contain them).
 */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  if (kind === 'map') validateMergeKeys(mergeKey, items, order);
  return items
    .map((item, at) => ({ item, at, position: positionIn(order, item, mergeKey, kind) }))
    .sort((a, b) => rank(a.position) - rank(b.position) || a.at - b.at)
    .map(({ item }) => item);
}

function rank(position: number): number {
  return position < 0 ? Number.MAX_SAFE_INTEGER : position;
}

/**
 * Merges two ordered lists, `left` holding server-only elements and `right` patch elements, keeping
 * each list's own order. Upstream `mergeSortedSlice`.
 */
function interleave(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) {
      result.push(left[i++]);
    } else if (i >= left.length) {
      result.push(right[j++]);
    } else {
      const leftAt = positionIn(serverOrder, left[i], mergeKey, kind);
      const rightAt = positionIn(serverOrder, right[j], mergeKey, kind);
      // Only when the server had both does its order decide; otherwise the patch element goes first.
      const serverFirst = leftAt >= 0 && rightAt >= 0 && leftAt < rightAt;
      result.push(serverFirst ? left[i++] : right[j++]);
    }
  }
  return result;
}

/** The index of `item` in `list`, matching maps by merge key value and primitives by value; -1 if absent. */
function positionIn(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  if (kind !== 'map') return list.indexOf(item);
  const value = mergeKeyValueOf(item, mergeKey);
  return list.findIndex((entry) => mergeKeyValueOf(entry, mergeKey) === value);
}

/** The merge key value of a map element, null when the element is not a map or lacks the key (Go's nil). */
function mergeKeyValueOf(item: unknown, mergeKey: string): unknown {
  return isJsonObject(item) && hasOwn(item, mergeKey) ? item[mergeKey] : null;
}

function hasMergeKeyValue(entry: unknown, mergeKey: string, value: unknown): boolean {
  return isJsonObject(entry) && hasOwn(entry, mergeKey) && entry[mergeKey] === value;
}

/** Whether two elements have the same merge key value (primitives compare directly); upstream `mergeKeyValueEqual`. */
function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isJsonObject(left)) throw errBadArgType('map[string]interface {}', left);
  if (!isJsonObject(right)) throw errBadArgType('map[string]interface {}', right);
  if (!hasOwn(left, mergeKey)) throw errNoMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw errNoMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

/** Every element of every list must be a map carrying the merge key; upstream `validateMergeKeyInLists`. */
function validateMergeKeys(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists) {
    for (const item of list) {
      if (!isJsonObject(item)) throw errBadArgType('map[string]interface {}', item);
      if (!hasOwn(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Meta and element kinds.

/** Whether list elements are maps (merged by key) or scalars (merged as a set). */
type ElementKind = 'map' | 'scalar';

/**
 * The common kind of the elements of all `lists`, undefined when they hold none. Elements of different
 * Go types are an error, and so is a list of lists. Upstream `sliceElementType`.
 */
function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let firstType: string | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (firstType === undefined) {
        if (Array.isArray(item)) throw unprocessablePatch('lists of lists are not supported');
        firstType = goTypeName(item);
      } else if (goTypeName(item) !== firstType) {
        throw unclassifiedError(`list element types are not identical: ${formatGoValue(lists)}`);
      }
    }
  }
  if (firstType === undefined) return undefined;
  return firstType === goTypeName({}) ? 'map' : 'scalar';
}

/** The meta of the value at `key` of a map or object described by `meta`. */
function childMeta(meta: PatchMeta | undefined, key: string): PatchMeta | undefined {
  if (!meta) return undefined;
  return meta.type === 'map' ? meta.elements() : meta.field(key);
}

/**
 * The strategy that decides how a field merges: `merge`, `replace`, or undefined for the default
 * (maps merge, lists are replaced). `retainKeys` needs no handling here: the patch carries the
 * `$retainKeys` directive itself.
 */
function patchStrategy(meta: PatchMeta | undefined): 'merge' | 'replace' | undefined {
  const strategies = meta?.patchStrategy?.split(',').map((s) => s.trim()) ?? [];
  if (strategies.includes('merge')) return 'merge';
  if (strategies.includes('replace')) return 'replace';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Upstream's error texts (k8s.io/apimachinery/pkg/util/mergepatch/errors.go).

function errNoMergeKey(map: JsonObject, mergeKey: string): StatusError {
  return unclassifiedError(`map: ${formatGoValue(map)} does not contain declared merge key: ${mergeKey}`);
}

function errBadArgType(expected: string, actual: unknown): StatusError {
  return unclassifiedError(`expected a ${expected}, but received a ${formatGoTypeOf(actual)}`);
}

function errBadPatchType(directive: unknown, map: JsonObject): StatusError {
  return unclassifiedError(`unknown patch type: ${formatGoString(directive)} in map: ${formatGoValue(map)}`);
}
