/**
 * Emptying and finalizing a namespace that is being deleted. Upstream: `namespacedResourcesDeleter`
 * in pkg/controller/namespace/deletion/namespaced_resources_deleter.go.
 */
import { isConflict, isNotFound } from '../../api/errors.js';
import type { Namespace } from '../../api/types.js';
import { refs, type Client } from '../../client/index.js';
import { errorText, type Logger } from '../shared/index.js';
import { isBeingDeleted } from '../shared/index.js';
import { resourceName, type ResourceKind } from '../shared/index.js';

/** The finalizer in `spec.finalizers` that this controller owns (upstream `v1.FinalizerKubernetes`). */
export const kubernetesFinalizer = 'kubernetes';

export interface ContentRemaining {
  /** Objects still in the namespace after this pass, by resource (`pods`, `daemonsets.apps`). */
  byResource: Record<string, number>;
  total: number;
}

export interface DeleteContentConfig {
  client: Client;
  namespace: string;
  resources: readonly ResourceKind[];
  log: Logger;
}

/**
 * Deletes every object of every resource in the namespace (Background cascade, like upstream's
 * DeleteCollection) and reports what is still there afterwards: objects waiting for finalizers or
 * for a pod's grace period. Objects already being deleted are not deleted again.
 * Throws an AggregateError if any delete failed for another reason than the object being gone.
 */
export async function deleteAllContent(config: DeleteContentConfig): Promise<ContentRemaining> {
  const { client, namespace, resources, log } = config;
  const remaining: ContentRemaining = { byResource: {}, total: 0 };
  const failures: Error[] = [];
  for (const resource of resources) {
    const { items } = await client.list(resource.ref, { namespace });
    for (const obj of items.filter((o) => !isBeingDeleted(o))) {
      try {
        await client.delete(resource.ref, namespace, obj.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } });
      } catch (error) {
        // Gone already, or replaced by a namesake the next pass will see: neither is a failure.
        if (isNotFound(error) || isConflict(error)) continue;
        failures.push(new Error(`${resourceName(resource.ref)} "${obj.metadata.name}": ${errorText(error)}`, { cause: error }));
      }
    }
    // Objects with finalizers or a grace period are only marked; see what is really left.
    const left = items.length ? (await client.list(resource.ref, { namespace })).items : [];
    if (left.length) {
      remaining.byResource[resourceName(resource.ref)] = left.length;
      remaining.total += left.length;
    }
  }
  if (failures.length) {
    log('namespace content deletion failed', { namespace, errors: failures.map((f) => f.message) });
    throw new AggregateError(failures, `couldn't delete the content of namespace "${namespace}"`);
  }
  return remaining;
}

/**
 * Removes `kubernetes` from the namespace's spec.finalizers through the `finalize` subresource; the
 * server removes the namespace once no finalizer is left. Conditional on `ns`'s resourceVersion.
 */
export async function finalizeNamespace(client: Client, ns: Namespace): Promise<void> {
  const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer);
  const finalized: Namespace = { ...ns, spec: { ...ns.spec, finalizers } };
  try {
    await client.update(refs.namespaces, undefined, finalized, { subresource: 'finalize' });
  } catch (error) {
    // Removed by someone else meanwhile: done.
    if (!isNotFound(error)) throw error;
  }
}
