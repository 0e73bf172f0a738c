/**
 * The attemptToOrphan worker: an owner deleted with `propagationPolicy: Orphan` carries the `orphan`
 * finalizer; its dependents lose their reference to it, then the finalizer goes and the server
 * removes the owner. Upstream: `attemptToOrphanWorker` and `orphanDependents` in garbagecollector.go.
 */
import { orphanFinalizer } from '../shared/index.js';
import { errorText } from '../shared/index.js';
import { describe, removeFinalizer, removeOwnerReferences, type CollectorContext } from './context.js';

/**
 * Releases every dependent of the owner with this uid, then removes the owner's `orphan` finalizer.
 * Throws (to be retried) if any dependent could not be released; the finalizer stays until all are.
 */
export async function attemptToOrphan(ctx: CollectorContext, uid: string): Promise<void> {
  const owner = ctx.graph.node(uid);
  // Gone, or no longer asking for its dependents to be orphaned.
  if (!owner || !owner.orphaningDependents) return;
  const dependents = [...owner.dependents];
  const results = await Promise.allSettled(dependents.map((dep) => removeOwnerReferences(ctx, dep, [uid])));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [new Error(`${describe(dependents[i])}: ${errorText(r.reason)}`, { cause: r.reason })] : []));
  if (failures.length > 0) {
    throw new AggregateError(failures, `couldn't orphan the dependents of ${describe(owner)}`);
  }
  await removeFinalizer(ctx, owner, orphanFinalizer);
}
