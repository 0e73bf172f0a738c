/**
 * The vocabulary the schema room is written in: a few node types and the builders that make them.
 *
 * A schema is plain data. Object types (`obj`) are named like their upstream OpenAPI component
 * (`io.k8s.api.apps.v1.DaemonSetSpec`) and hold their fields; each `field` carries a description plus
 * the upstream markers that other rooms need: `required`, patch strategy and merge key (strategic
 * merge patch), list type and list-map keys (server-side apply, OpenAPI). Scalars remember the Go type
 * they decode into, because upstream decode errors name it (`of type v1.PullPolicy`).
 */

/** A group, version and kind. The core group is `''`. */
export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Any node of a schema. `kind` says which. */
export type SchemaNode = ObjectNode | ArrayNode | MapNode | ScalarNode | NamedScalarNode;

/** A Go struct: a JSON object with known fields. */
export interface ObjectNode {
  readonly kind: 'object';
  /** OpenAPI component name, e.g. `io.k8s.api.apps.v1.DaemonSetSpec`. */
  readonly name: string;
  readonly description: string;
  readonly fields: Readonly<Record<string, Field>>;
  /** Names of the fields marked `required`, in declaration order. */
  readonly required: readonly string[];
  /** Set on top-level kinds (and lists): the GVKs this schema is served as. */
  readonly gvk?: readonly GroupVersionKind[];
  /** Fields inside are not described and not checked: anything is accepted (rare volume sources). */
  readonly open?: boolean;
  /** `x-kubernetes-map-type: atomic`: apply replaces the object as a whole. */
  readonly atomic?: boolean;
}

/** A JSON array (Go slice). */
export interface ArrayNode {
  readonly kind: 'array';
  readonly items: SchemaNode;
}

/** A JSON object with arbitrary string keys (Go map). */
export interface MapNode {
  readonly kind: 'map';
  readonly values: SchemaNode;
  /** Go type when the map type is named, e.g. `v1.ResourceList`. */
  readonly goType?: string;
}

/** A JSON string, number or boolean decoded into a plain Go type. */
export interface ScalarNode {
  readonly kind: 'string' | 'integer' | 'number' | 'boolean';
  /** OpenAPI format: `int32`, `int64`, `double`, `byte` (base64). */
  readonly format?: 'int32' | 'int64' | 'double' | 'byte';
  /** Allowed values, as upstream's OpenAPI lists them (not enforced when decoding, as upstream). */
  readonly enum?: readonly string[];
  /** Go type as `reflect.Type.String()` prints it: `string`, `int32`, `v1.PullPolicy`, `[]uint8`. */
  readonly goType: string;
}

/**
 * A named type with its own JSON codec upstream (a custom `UnmarshalJSON`): IntOrString, Quantity,
 * Time, MicroTime, RawExtension, FieldsV1. In OpenAPI it is a component of its own.
 */
export interface NamedScalarNode {
  readonly kind: 'named';
  readonly name: string;
  readonly description: string;
  readonly codec: 'intOrString' | 'quantity' | 'time' | 'microTime' | 'raw';
  readonly goType: string;
  /** The component's OpenAPI body apart from `description`. */
  readonly openapi: Readonly<Record<string, unknown>>;
}

/** List semantics for server-side apply (`x-kubernetes-list-type`). */
export type ListType = 'atomic' | 'set' | 'map';

/** One field of an object type. */
export interface Field {
  readonly schema: SchemaNode;
  readonly description: string;
  readonly required?: boolean;
  /** `x-kubernetes-patch-strategy`: `merge`, `retainKeys`, `merge,retainKeys`. */
  readonly patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key`. */
  readonly patchMergeKey?: string;
  readonly listType?: ListType;
  /** `x-kubernetes-list-map-keys`, for `listType: 'map'`. */
  readonly listMapKeys?: readonly string[];
}

/** Options of `field()`. */
export type FieldOptions = Omit<Field, 'schema' | 'description'>;

/** Makes a field. */
export function field(schema: SchemaNode, description: string, options: FieldOptions = {}): Field {
  return { schema, description, ...options };
}

/** Makes an object type; `required` is collected from its fields. */
export function obj(
  name: string,
  description: string,
  fields: Record<string, Field>,
  options: { gvk?: GroupVersionKind; atomic?: boolean } = {},
): ObjectNode {
  const required = Object.entries(fields)
    .filter(([, f]) => f.required)
    .map(([n]) => n);
  return {
    kind: 'object',
    name,
    description,
    fields,
    required,
    ...(options.gvk ? { gvk: [options.gvk] } : {}),
    ...(options.atomic ? { atomic: true } : {}),
  };
}

/**
 * An object type whose fields are not described: any object is accepted and nothing inside is
 * checked. Used for rarely used volume sources, so that valid manifests are never rejected.
 */
export function freeForm(name: string, description: string): ObjectNode {
  return { kind: 'object', name, description, fields: {}, required: [], open: true };
}

// ---------------------------------------------------------------------------------------------
// Scalars.

export const str: ScalarNode = { kind: 'string', goType: 'string' };
export const int32: ScalarNode = { kind: 'integer', format: 'int32', goType: 'int32' };
export const int64: ScalarNode = { kind: 'integer', format: 'int64', goType: 'int64' };
export const float64: ScalarNode = { kind: 'number', format: 'double', goType: 'float64' };
export const bool: ScalarNode = { kind: 'boolean', goType: 'bool' };
/** Base64 text that decodes into Go `[]byte`. */
export const bytes: ScalarNode = { kind: 'string', format: 'byte', goType: '[]uint8' };

/** A string of a named Go type (`v1.ResourceName`), optionally with the enum upstream publishes. */
export function typedStr(goType: string, values?: readonly string[]): ScalarNode {
  return values ? { kind: 'string', goType, enum: values } : { kind: 'string', goType };
}

export function arrayOf(items: SchemaNode): ArrayNode {
  return { kind: 'array', items };
}

export function mapOf(values: SchemaNode, goType?: string): MapNode {
  return goType ? { kind: 'map', values, goType } : { kind: 'map', values };
}

// ---------------------------------------------------------------------------------------------
// Named scalars (apimachinery types with their own codec).

export const intOrString: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
  description: 'Either a whole number or a string, such as a port number or name, or a count or percentage like "25%".',
  codec: 'intOrString',
  goType: 'intstr.IntOrString',
  openapi: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
};

export const quantity: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
  description:
    'An exact amount written as a number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), decimal (n, u, m, k, M, G, T, P, E) or an exponent (e3). Examples: "100m" CPU, "128Mi" memory.',
  codec: 'quantity',
  goType: 'resource.Quantity',
  openapi: { oneOf: [{ type: 'string' }, { type: 'number' }] },
};

export const time: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time',
  description: 'A point in time, written as an RFC 3339 string with second precision.',
  codec: 'time',
  goType: 'v1.Time',
  openapi: { type: 'string', format: 'date-time' },
};

export const microTime: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
  description: 'A point in time, written as an RFC 3339 string with microsecond precision.',
  codec: 'microTime',
  goType: 'v1.MicroTime',
  openapi: { type: 'string', format: 'date-time' },
};

/** An embedded object of any shape, kept as given (ControllerRevision data). */
export const rawExtension: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.runtime.RawExtension',
  description: 'An embedded JSON value stored exactly as given; its shape is up to the writer.',
  codec: 'raw',
  goType: 'runtime.RawExtension',
  openapi: { type: 'object' },
};

/** The field set of a managed-fields entry, kept as given. */
export const fieldsV1: NamedScalarNode = {
  kind: 'named',
  name: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1',
  description: 'A set of field paths encoded as a nested JSON object, as server-side apply records them.',
  codec: 'raw',
  goType: 'v1.FieldsV1',
  openapi: { type: 'object' },
};

// ---------------------------------------------------------------------------------------------
// Field-option shorthands for list semantics.

/** A list replaced as a whole on patch and apply. */
export const atomic: FieldOptions = { listType: 'atomic' };

/** A list of scalars merged as a set (`finalizers`, `podCIDRs`). */
export const mergedSet: FieldOptions = { patchStrategy: 'merge', listType: 'set' };

/**
 * A list of objects merged element by element on `mergeKey` (strategic merge) and keyed on
 * `mapKeys` for apply; upstream's two key sets usually agree.
 */
export function keyedBy(mergeKey: string, mapKeys: readonly string[] = [mergeKey], strategy = 'merge'): FieldOptions {
  return { patchStrategy: strategy, patchMergeKey: mergeKey, listType: 'map', listMapKeys: mapKeys };
}

// ---------------------------------------------------------------------------------------------
// Helpers over nodes.

/** The Go type upstream decode errors print for a node (`[]v1.Container`, `map[string]string`). */
export function goTypeOf(node: SchemaNode): string {
  switch (node.kind) {
    case 'object':
      return goStructType(node);
    case 'array':
      return `[]${goTypeOf(node.items)}`;
    case 'map':
      return node.goType ?? `map[string]${goTypeOf(node.values)}`;
    default:
      return node.goType;
  }
}

/** `io.k8s.api.apps.v1.DaemonSetSpec` → `v1.DaemonSetSpec` (Go prints the package name, not its path). */
export function goStructType(node: ObjectNode): string {
  return node.name.split('.').slice(-2).join('.');
}

/** `io.k8s.api.apps.v1.DaemonSetSpec` → `DaemonSetSpec`. */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
