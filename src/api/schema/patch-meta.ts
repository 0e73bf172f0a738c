/**
 * What strategic merge patch needs to know about a type: for each field, its patch strategy and merge
 * key, and how to descend into it. Implemented over the schema in this folder; `machinery/patch`
 * consumes it, and its unit tests build small ones by hand.
 */
export interface PatchMeta {
  /** The meta of a field of this object type, or undefined when the field is unknown (a plain value). */
  field(name: string): PatchMeta | undefined;
  /** For list-typed fields: the meta of one element. For map-typed fields (`additionalProperties`): the meta of one value. */
  elements(): PatchMeta | undefined;
  /** `x-kubernetes-patch-strategy` of this field, e.g. `merge`, `retainKeys`, `merge,retainKeys`, `replace`. */
  readonly patchStrategy?: string;
  /** `x-kubernetes-patch-merge-key` of this field (only for lists of objects merged by key). */
  readonly patchMergeKey?: string;
  /** The JSON type of this field, when known. */
  readonly type?: 'object' | 'array' | 'map' | 'string' | 'integer' | 'number' | 'boolean' | 'any';
}
