/** How the garbage collector names objects: by apiVersion, kind, namespace, name and uid. */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { findResourceKind, groupOf, type ResourceKind } from '../shared/index.js';

/**
 * An object's coordinates. Upstream: `objectReference` in pkg/controller/garbagecollector/graph.go.
 * `namespace` is undefined for cluster-scoped objects.
 */
export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid: string;
}

/** The identity of an object delivered by the informer of `resource`. */
export function identityOfObject(resource: ResourceKind, obj: KubeObject): ObjectIdentity {
  const { group, version } = resource.ref;
  return {
    apiVersion: group ? `${group}/${version}` : version,
    kind: resource.kind,
    namespace: obj.metadata.namespace || undefined,
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
  };
}

/**
 * The identity an ownerReference gives its owner. A namespaced owner lives in its dependent's
 * namespace (references never cross namespaces); an owner of a kind we do not know is assumed to.
 */
export function identityOfOwner(ref: OwnerReference, dependentNamespace: string | undefined): ObjectIdentity {
  const known = findResourceKind(ref.apiVersion, ref.kind);
  const namespace = known && !known.namespaced ? undefined : dependentNamespace;
  return { apiVersion: ref.apiVersion, kind: ref.kind, namespace, name: ref.name, uid: ref.uid };
}

/** `DaemonSet default/web`, for logs. */
export function describeIdentity(id: ObjectIdentity): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

/** Whether two identities name the same object (versions of one group are the same object). */
export function sameCoordinates(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return (
    a.uid === b.uid &&
    a.name === b.name &&
    a.kind === b.kind &&
    groupOf(a.apiVersion) === groupOf(b.apiVersion) &&
    (a.namespace ?? '') === (b.namespace ?? '')
  );
}
