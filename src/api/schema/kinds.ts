/**
 * The registry: every kind everynode serves, with its List, looked up by GVK; and every named type
 * reachable from them, looked up by OpenAPI name.
 */
import { DeleteOptions, Status, listOf } from './meta.js';
import { Binding, Pod } from './pod.js';
import { ConfigMap, Event, Namespace, Node, Secret, ServiceAccount } from './core.js';
import { ControllerRevision, DaemonSet } from './apps.js';
import { Lease } from './coordination.js';
import { PriorityClass } from './scheduling.js';
import { Eviction, PodDisruptionBudget } from './policy.js';
import type { GroupVersionKind, NamedScalarNode, ObjectNode, SchemaNode } from './dsl.js';

/** Kinds stored as resources (each has a List). */
export const resourceKinds: readonly ObjectNode[] = [
  Namespace,
  Node,
  Pod,
  Event,
  ConfigMap,
  Secret,
  ServiceAccount,
  DaemonSet,
  ControllerRevision,
  Lease,
  PriorityClass,
  PodDisruptionBudget,
];

/** `<Kind>List` of each resource kind, keyed by the item's schema name. */
export const listKinds: ReadonlyMap<string, ObjectNode> = new Map(resourceKinds.map((kind) => [kind.name, listOf(kind)]));

/** Every top-level schema with a GVK: resources, their lists, subresource bodies and meta kinds. */
export const allKinds: readonly ObjectNode[] = [...resourceKinds, ...listKinds.values(), Binding, Eviction, DeleteOptions, Status];

const gvkKey = ({ group, version, kind }: GroupVersionKind): string => `${group}/${version}/${kind}`;

const byGVK = new Map<string, ObjectNode>();
for (const node of allKinds) for (const gvk of node.gvk ?? []) byGVK.set(gvkKey(gvk), node);

/** The schema of a kind, or undefined when everynode does not serve it. */
export function schemaForKind(gvk: GroupVersionKind): ObjectNode | undefined {
  return byGVK.get(gvkKey(gvk));
}

/** Calls `visit` once for every named type (object or named scalar) reachable from `roots`. */
export function forEachNamedType(roots: readonly SchemaNode[], visit: (node: ObjectNode | NamedScalarNode) => void): void {
  const seen = new Set<string>();
  const walk = (node: SchemaNode): void => {
    switch (node.kind) {
      case 'array':
        return walk(node.items);
      case 'map':
        return walk(node.values);
      case 'named':
      case 'object':
        if (seen.has(node.name)) return;
        seen.add(node.name);
        visit(node);
        if (node.kind === 'object') for (const f of Object.values(node.fields)) walk(f.schema);
        return;
      default:
        return;
    }
  };
  roots.forEach(walk);
}

const byName = new Map<string, ObjectNode | NamedScalarNode>();
forEachNamedType(allKinds, (node) => {
  const known = byName.get(node.name);
  // Two different definitions under one name would make OpenAPI and lookups ambiguous.
  if (known && known !== node) throw new Error(`schema: two definitions named ${node.name}`);
  byName.set(node.name, node);
});

/** A named type by its OpenAPI name, e.g. `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`. */
export function schemaForName(name: string): ObjectNode | NamedScalarNode | undefined {
  return byName.get(name);
}
