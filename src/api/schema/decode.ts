/**
 * The checks the API server's JSON decoder makes on every create, update and patch body, with
 * upstream's wording (sigs.k8s.io/json over the typed Go structs):
 *
 * - type errors: a value whose JSON type does not fit its field, reported the way Go's
 *   `json.UnmarshalTypeError` prints (`json: cannot unmarshal string into Go struct field
 *   DaemonSetSpec.spec.minReadySeconds of type int32`), or the custom codecs' own errors (times,
 *   quantities, base64);
 * - unknown fields: keys the schema does not know, as strict decoding paths
 *   (`spec.template.spec.containers[0].imagee`). Free-form subtrees accept anything.
 *
 * `null` counts as absent everywhere, as it does upstream.
 */
import { checkBase64, checkQuantity, checkTime, goQuote, rfc3339, rfc3339Micro } from './go-codecs.js';
import { goTypeOf, shortName, type Field, type GroupVersionKind, type ObjectNode, type SchemaNode } from './dsl.js';
import { schemaForKind } from './kinds.js';

type JSONObject = Record<string, unknown>;

const isObject = (v: unknown): v is JSONObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field named `key`, if the object type declares it (own keys only: `__proto__` is unknown). */
function fieldOf(node: ObjectNode, key: string): Field | undefined {
  return Object.hasOwn(node.fields, key) ? node.fields[key] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Unknown fields.

/** Upstream stops recording strict errors after this many. */
export const maxStrictErrors = 100;

/** Called for each unknown key with the object holding it and the path segments leading to it. */
type OnUnknown = (holder: JSONObject, key: string, path: readonly PathSegment[]) => void;

/** A field name or map key, or a list index. */
type PathSegment = string | number;

/**
 * Walks `value` along `node`, calling `onUnknown` for each key the schema does not know. `path` is a
 * stack of segments (field names and map keys, or list indices), formatted only when something is reported:
 * this runs on every write, so the common case allocates nothing per field.
 */
function walkUnknown(node: SchemaNode, value: unknown, path: PathSegment[], onUnknown: OnUnknown): void {
  switch (node.kind) {
    case 'object':
      if (!isObject(value) || node.open) return;
      for (const key of Object.keys(value)) {
        const f = fieldOf(node, key);
        path.push(key);
        if (f) walkUnknown(f.schema, value[key], path, onUnknown);
        else onUnknown(value, key, path);
        path.pop();
      }
      return;
    case 'array':
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        walkUnknown(node.items, value[i], path, onUnknown);
        path.pop();
      }
      return;
    case 'map':
      if (!isObject(value)) return;
      for (const key of Object.keys(value)) {
        path.push(key);
        walkUnknown(node.values, value[key], path, onUnknown);
        path.pop();
      }
      return;
    default:
      return;
  }
}

/** Strict decoding's path text: dots between fields and map keys, `[i]` appended for list items. */
function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) out += typeof segment === 'number' ? `[${segment}]` : out ? `.${segment}` : segment;
  return out;
}

function kindSchema(gvk: GroupVersionKind): ObjectNode {
  const schema = schemaForKind(gvk);
  if (!schema) throw new Error(`schema: no schema for ${gvk.group ? `${gvk.group}/` : ''}${gvk.version}, Kind=${gvk.kind}`);
  return schema;
}

/**
 * Paths of the fields of `obj` that kind `gvk` does not have, in document order, e.g.
 * `spec.template.spec.containers[0].imagee`. Top-level `apiVersion` and `kind` are known; free-form
 * values (ControllerRevision data, managedFields' fieldsV1, legacy volume sources) accept anything.
 * Returns every path; upstream reports at most `maxStrictErrors`. Throws for a kind it does not know.
 */
export function findUnknownFields(obj: unknown, gvk: GroupVersionKind): string[] {
  const paths: string[] = [];
  walkUnknown(kindSchema(gvk), obj, [], (_holder, _key, path) => paths.push(formatPath(path)));
  return paths;
}

/**
 * Deletes the unknown fields of `obj` **in place** (the API server drops them when decoding with
 * `fieldValidation=Ignore` or `Warn`) and returns their paths, as `findUnknownFields` does.
 */
export function pruneUnknownFields(obj: unknown, gvk: GroupVersionKind): string[] {
  const paths: string[] = [];
  walkUnknown(kindSchema(gvk), obj, [], (holder, key, path) => {
    delete holder[key];
    paths.push(formatPath(path));
  });
  return paths;
}

/**
 * The detail of the 400 the API server returns for `fieldValidation=Strict`:
 * `strict decoding error: unknown field "a", unknown field "b"` (at most `maxStrictErrors` fields).
 */
export function strictDecodingError(paths: readonly string[]): string {
  return `strict decoding error: ${paths
    .slice(0, maxStrictErrors)
    .map((p) => `unknown field ${goQuote(p)}`)
    .join(', ')}`;
}

/** One warning per unknown field, as the API server sends for `fieldValidation=Warn`. */
export function unknownFieldWarning(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

// ---------------------------------------------------------------------------------------------
// Type errors.

/**
 * Where the decoder is: the innermost Go struct, and the field names from the root (Go's error
 * context has no list indices or map keys). `fields` is a stack shared by the whole walk.
 */
interface Position {
  struct?: string;
  fields: string[];
}

/**
 * The decoder's error state. Go keeps the first ordinary type error and carries on, but an error
 * from a custom codec (times, quantities, IntOrString) aborts decoding and is reported instead.
 */
interface DecodeState {
  saved?: string;
  fatal?: string;
  /** A key the schema does not know was seen (its path is found by `findUnknownFields`, when needed). */
  unknown?: boolean;
}

/** How Go's decoder names a JSON value in messages. */
function jsonKind(v: unknown): 'string' | 'number' | 'bool' | 'array' | 'object' {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

/** `json.UnmarshalTypeError.Error()`. */
function unmarshalTypeError(value: string, goType: string, at: Position): string {
  if (at.struct !== undefined || at.fields.length > 0) {
    return `json: cannot unmarshal ${value} into Go struct field ${at.struct ?? ''}.${at.fields.join('.')} of type ${goType}`;
  }
  return `json: cannot unmarshal ${value} into Go value of type ${goType}`;
}

const intRange = { int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-(2 ** 63), 2 ** 63 - 1] } as const;

/** Go's literal check for an integer field: the JSON number must parse as an integer in range. */
function fitsInt(v: number, goType: string): boolean {
  const [min, max] = goType === 'int32' ? intRange.int32 : intRange.int64;
  return Number.isInteger(v) && v >= min && v <= max;
}

/** Keeps the first ordinary error. */
function save(state: DecodeState, message: string | undefined): void {
  if (message !== undefined) state.saved ??= message;
}

/** The value does not have the JSON type the node needs. */
function mismatch(node: SchemaNode, v: unknown, at: Position, state: DecodeState): void {
  save(state, unmarshalTypeError(jsonKind(v), goTypeOf(node), at));
}

/** Struct names by schema name, so the walk does not slice strings per field. */
const structNames = new Map<string, string>();
function structName(node: ObjectNode): string {
  let name = structNames.get(node.name);
  if (name === undefined) structNames.set(node.name, (name = shortName(node.name)));
  return name;
}

function decode(node: SchemaNode, v: unknown, at: Position, state: DecodeState): void {
  if (v === null || v === undefined || state.fatal) return;
  switch (node.kind) {
    case 'object': {
      if (!isObject(v)) return mismatch(node, v, at, state);
      if (node.open) return;
      const outer = at.struct;
      for (const key of Object.keys(v)) {
        const f = fieldOf(node, key);
        if (!f) {
          state.unknown = true;
          continue;
        }
        at.struct = structName(node);
        at.fields.push(key);
        decode(f.schema, v[key], at, state);
        if (state.fatal) return; // keep the position: Go reports the fatal error where it happened
        at.fields.pop();
        at.struct = outer;
      }
      return;
    }
    case 'array':
      if (!Array.isArray(v)) return mismatch(node, v, at, state);
      for (const item of v) decode(node.items, item, at, state);
      return;
    case 'map':
      if (!isObject(v)) return mismatch(node, v, at, state);
      for (const key of Object.keys(v)) decode(node.values, v[key], at, state);
      return;
    case 'string':
      if (typeof v !== 'string') return mismatch(node, v, at, state);
      if (node.format === 'byte') save(state, checkBase64(v));
      return;
    case 'integer':
      if (typeof v !== 'number') return mismatch(node, v, at, state);
      if (!fitsInt(v, node.goType)) save(state, unmarshalTypeError(`number ${v}`, node.goType, at));
      return;
    case 'number':
      if (typeof v !== 'number') mismatch(node, v, at, state);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') mismatch(node, v, at, state);
      return;
    case 'named':
      state.fatal = decodeNamed(node.codec, v, at);
      return;
  }
}

/**
 * The custom codecs. Their errors abort decoding; the ones that come from an inner
 * `json.Unmarshal` are type errors, to which the outer decoder adds the field position.
 */
function decodeNamed(codec: 'intOrString' | 'quantity' | 'time' | 'microTime' | 'raw', v: unknown, at: Position): string | undefined {
  switch (codec) {
    case 'intOrString':
      // A string is the string form; anything else is decoded into an int32.
      if (typeof v === 'string') return undefined;
      if (typeof v !== 'number') return unmarshalTypeError(jsonKind(v), 'int32', at);
      return fitsInt(v, 'int32') ? undefined : unmarshalTypeError(`number ${v}`, 'int32', at);
    case 'quantity':
      // The raw JSON text is parsed: a string's content or a number's literal; anything else fails.
      if (typeof v === 'string') return checkQuantity(v);
      if (typeof v === 'number') return checkQuantity(String(v));
      return checkQuantity(JSON.stringify(v));
    case 'time':
    case 'microTime':
      if (typeof v !== 'string') return unmarshalTypeError(jsonKind(v), 'string', at);
      return checkTime(v, codec === 'time' ? rfc3339 : rfc3339Micro);
    case 'raw':
      return undefined;
  }
}

/**
 * The first decoding error in `obj` for kind `gvk`, in upstream's words, or undefined when it
 * decodes. The API server answers 400 with `<Kind> in version "<version>" cannot be handled as a
 * <Kind>: <this>`. Throws for a kind it does not know.
 */
export function findTypeErrors(obj: unknown, gvk: GroupVersionKind): string | undefined {
  const schema = kindSchema(gvk);
  const state: DecodeState = {};
  decode(schema, obj, { fields: [] }, state);
  return state.fatal ?? state.saved;
}

/** How the API server treats unknown fields of a request body (its `fieldValidation` parameter). */
export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/**
 * What the API server's decoder does with a request body of kind `gvk`, in place: returns the detail of
 * its 400 answer (the first type error, or under `Strict` the unknown fields), or else drops the unknown
 * fields, adds a warning for each under `Warn`, and returns undefined. A body without unknown fields (the
 * usual case, on every write) is walked once.
 */
export function decodeBody(obj: JSONObject, gvk: GroupVersionKind, validation: FieldValidation, warnings: string[]): string | undefined {
  const state: DecodeState = {};
  decode(kindSchema(gvk), obj, { fields: [] }, state);
  const typeError = state.fatal ?? state.saved;
  if (typeError !== undefined) return typeError;
  if (!state.unknown) return undefined;
  const unknown = findUnknownFields(obj, gvk);
  if (validation === 'Strict') return strictDecodingError(unknown);
  pruneUnknownFields(obj, gvk);
  if (validation === 'Warn') for (const path of unknown) warnings.push(unknownFieldWarning(path));
  return undefined;
}

/** `<Kind> in version "<version>" cannot be handled as a <Kind>: <detail>`, the 400 message. */
export function cannotBeHandledMessage(gvk: GroupVersionKind, detail: string): string {
  return `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${detail}`;
}

// ---------------------------------------------------------------------------------------------
// Strategic merge patches: the unstructured converter's errors.

/**
 * A strategic merge patch is applied to the object as a map and turned back into the Go type by the
 * unstructured converter, whose errors differ from the JSON decoder's: `unrecognized type: int32`,
 * `cannot convert int64 to string`, `cannot restore struct from: string`. The first one in `obj`, or
 * undefined (also when the only error is in a custom codec, where the caller keeps the decoder's).
 * Upstream walks a struct's fields in declaration order; this walks the object's keys in order, which
 * agrees whenever there is one error.
 */
export function findConversionError(obj: unknown, gvk: GroupVersionKind): string | undefined {
  return convertError(kindSchema(gvk), obj);
}

/** The reflect kind of a JSON-decoded value (numbers: int64 when whole, else float64). */
function unstructuredKind(v: unknown): 'string' | 'int64' | 'float64' | 'bool' | 'slice' | 'map' {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'slice' : 'map';
}

function convertError(node: SchemaNode, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  switch (node.kind) {
    case 'object':
      if (!isObject(v)) return `cannot restore struct from: ${unstructuredKind(v)}`;
      if (node.open) return undefined;
      for (const key of Object.keys(v)) {
        const f = fieldOf(node, key);
        const error = f && convertError(f.schema, v[key]);
        if (error) return error;
      }
      return undefined;
    case 'array':
      if (typeof v === 'string' && goTypeOf(node) === '[]uint8') return undefined;
      if (!Array.isArray(v)) return `cannot restore slice from ${unstructuredKind(v)}`;
      for (const item of v) {
        const error = convertError(node.items, item);
        if (error) return error;
      }
      return undefined;
    case 'map':
      if (!isObject(v)) return `cannot restore map from ${unstructuredKind(v)}`;
      for (const key of Object.keys(v)) {
        const error = convertError(node.values, v[key]);
        if (error) return error;
      }
      return undefined;
    case 'named':
      return undefined;
    default:
      return convertScalar(node.kind, node.goType, unstructuredKind(v));
  }
}

/**
 * The converter's rule for simple types: JSON keeps bools, integers, floats and strings apart, but Go
 * can convert an integer to a string type, which the converter then refuses by name.
 */
function convertScalar(kind: 'string' | 'integer' | 'number' | 'boolean', goType: string, from: ReturnType<typeof unstructuredKind>): string | undefined {
  const reflectKind = kind === 'string' ? 'string' : kind === 'boolean' ? 'bool' : kind === 'number' ? 'float64' : goType;
  const numeric = from === 'int64' || from === 'float64';
  if (kind === 'string') {
    if (from === 'string') return undefined;
    return from === 'int64' ? `cannot convert int64 to ${goType}` : `unrecognized type: ${reflectKind}`;
  }
  if (kind === 'boolean') return from === 'bool' ? undefined : `unrecognized type: ${reflectKind}`;
  if (!numeric) return `unrecognized type: ${reflectKind}`;
  // A fraction does not fit an integer type (the converter converts only whole floats).
  return kind === 'integer' && from === 'float64' ? `cannot convert float64 to ${goType}` : undefined;
}

/** Go's `%+v` of a JSON-decoded value: `map[spec:map[minReadySeconds:abc]]`, `[a b]`, `<nil>`. */
export function goValueString(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  // Whole numbers decode to int64 (apimachinery's JSON), the rest to float64.
  if (typeof v === 'number') return Number.isSafeInteger(v) ? String(v) : goFloat(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goValueString).join(' ')}]`;
  const entries = Object.keys(v as object).sort().map((key) => `${key}:${goValueString((v as Record<string, unknown>)[key])}`);
  return `map[${entries.join(' ')}]`;
}

/** Go's `%v` of a float64: shortest digits, in exponent form below 1e-04 and from 1e+06 on. */
function goFloat(n: number): string {
  if (n === 0 || !Number.isFinite(n)) return String(n);
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa, exp] = n.toExponential().split('e');
    const sign = exp!.startsWith('-') ? '-' : '+';
    const digits = exp!.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(n);
}
