/** Small readers of object metadata shared by controllers. */
import type { KubeObject } from '../api/types.js';

/** Upstream `metav1.FinalizerOrphanDependents`: the owner waits until its dependents are orphaned. */
export const orphanFinalizer = 'orphan';
/** Upstream `metav1.FinalizerDeleteDependents`: the owner waits until its blocking dependents are gone. */
export const foregroundDeletionFinalizer = 'foregroundDeletion';

/** Whether a DELETE has marked the object (it goes once its finalizers and grace period allow). */
export function isBeingDeleted(obj: KubeObject): boolean {
  return Boolean(obj.metadata.deletionTimestamp);
}

export function hasFinalizer(obj: KubeObject, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

/** The queue and cache key of an object: `namespace/name`, or `name` for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** The inverse of `objectKey`. */
export function splitObjectKey(key: string): { namespace?: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
