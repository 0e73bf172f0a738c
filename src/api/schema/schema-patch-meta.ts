/**
 * `PatchMeta` (what strategic merge patch needs) read straight off the schema.
 */
import type { PatchMeta } from './patch-meta.js';
import type { Field, GroupVersionKind, SchemaNode } from './dsl.js';
import { schemaForKind } from './kinds.js';

/** The JSON type strategic merge sees; undefined for IntOrString and Quantity, which may be either. */
function patchType(node: SchemaNode): PatchMeta['type'] {
  switch (node.kind) {
    case 'object':
    case 'array':
    case 'map':
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return node.kind;
    case 'named':
      if (node.codec === 'raw') return 'any';
      return node.codec === 'time' || node.codec === 'microTime' ? 'string' : undefined;
  }
}

/** A position in the schema: a node, plus the field that led to it (which carries the strategy). */
class SchemaPatchMeta implements PatchMeta {
  readonly patchStrategy?: string;
  readonly patchMergeKey?: string;
  readonly type?: PatchMeta['type'];
  private readonly node: SchemaNode;

  constructor(node: SchemaNode, via?: Field) {
    this.node = node;
    this.type = patchType(node);
    if (via?.patchStrategy) this.patchStrategy = via.patchStrategy;
    if (via?.patchMergeKey) this.patchMergeKey = via.patchMergeKey;
  }

  field(name: string): PatchMeta | undefined {
    const { node } = this;
    if (node.kind !== 'object' || !Object.hasOwn(node.fields, name)) return undefined;
    const f = node.fields[name]!;
    return new SchemaPatchMeta(f.schema, f);
  }

  elements(): PatchMeta | undefined {
    const { node } = this;
    if (node.kind === 'array') return new SchemaPatchMeta(node.items);
    if (node.kind === 'map') return new SchemaPatchMeta(node.values);
    return undefined;
  }
}

/** Patch metadata of a kind's top-level object, or undefined when everynode does not serve the kind. */
export function patchMetaForKind(gvk: GroupVersionKind): PatchMeta | undefined {
  const schema = schemaForKind(gvk);
  return schema && new SchemaPatchMeta(schema);
}

/** Patch metadata for any schema node, e.g. to patch a nested type on its own. */
export function patchMetaForNode(node: SchemaNode): PatchMeta {
  return new SchemaPatchMeta(node);
}
