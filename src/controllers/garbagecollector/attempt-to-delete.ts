/**
 * The attemptToDelete worker: given one node of the graph, decide from live reads whether the object
 * is garbage and act. Upstream: `attemptToDeleteItem`, `classifyReferences`, `isDangling` and
 * `processDeletingDependentsItem` in pkg/controller/garbagecollector/garbagecollector.go.
 */
import { isNotFound } from '../../api/errors.js';
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { foregroundDeletionFinalizer, hasFinalizer, orphanFinalizer } from '../shared/index.js';
import type { SyncResult } from '../shared/index.js';
import {
  deleteObject,
  describe,
  getLatest,
  removeFinalizer,
  removeOwnerReferences,
  resourceOf,
  unblockOwnerReferences,
  type CollectorContext,
  type PropagationPolicy,
} from './context.js';
import type { OwnershipNode } from './graph.js';
import { identityOfOwner } from './identity.js';

/** A dependent's ownerReferences sorted by what their owners are doing now. */
export interface ClassifiedReferences {
  /** The owner exists and is not waiting for its dependents: the dependent stays. */
  solid: OwnerReference[];
  /** The owner does not exist (never did, or is gone). */
  dangling: OwnerReference[];
  /** The owner is being deleted in the foreground and waits for its dependents to go. */
  waitingForDependentsDeletion: OwnerReference[];
}

/**
 * Looks at the node with this uid: a virtual owner is verified; an object being deleted in the
 * foreground is finalized once its blocking dependents are gone; any other object is deleted when
 * none of its owners is solid, or loses its references to absent owners when some owner is.
 */
export async function attemptToDeleteItem(ctx: CollectorContext, uid: string): Promise<void | SyncResult> {
  const item = ctx.graph.node(uid);
  // Removed from the graph since it was queued: nothing left to decide.
  if (!item) return;
  if (item.virtual) return verifyVirtualOwner(ctx, item);
  // Being deleted is a one-way trip; its dependents are looked at once it is gone.
  if (item.beingDeleted && !item.deletingDependents) return;

  const latest = await getLatest(ctx, item.identity);
  // Gone or replaced: the informer will report it and the graph will follow.
  if (!latest) return;
  if (item.deletingDependents) return processDeletingDependentsItem(ctx, item);

  const ownerReferences = latest.metadata.ownerReferences ?? [];
  if (ownerReferences.length === 0) return;
  const classified = await classifyReferences(ctx, item, ownerReferences);
  const decision = decideForDependent(classified, {
    hasDependents: item.dependents.size > 0,
    aDependentIsDeletingDependents: [...item.dependents].some((dep) => dep.deletingDependents),
    finalizers: latest.metadata.finalizers ?? [],
  });
  switch (decision.action) {
    case 'keep':
      return;
    case 'removeReferences':
      await removeOwnerReferences(ctx, item, decision.ownerUids);
      return;
    case 'delete': {
      let target: KubeObject | undefined = latest;
      if (decision.unblockOwnersFirst && (await unblockOwnerReferences(ctx, item)) === 'patched') {
        // Our own patch moved the resourceVersion the delete is conditional on.
        target = await getLatest(ctx, item.identity);
        if (!target) return;
      }
      return requeueIfChanged(await deleteObject(ctx, item, target, decision.policy));
    }
  }
}

/** What to do with an object whose ownerReferences have been classified. */
export type DependentDecision =
  | { action: 'keep' }
  | { action: 'removeReferences'; ownerUids: string[] }
  | { action: 'delete'; policy: PropagationPolicy; unblockOwnersFirst: boolean };

export interface DependentFacts {
  /** The object is itself an owner of objects in the graph. */
  hasDependents: boolean;
  /** One of its dependents is itself being deleted in the foreground. */
  aDependentIsDeletingDependents: boolean;
  /** The object's own finalizers. */
  finalizers: string[];
}

/**
 * The decision at the heart of attemptToDeleteItem, without I/O:
 * - a solid owner keeps the object; references to absent owners go, and so do references to
 *   owners waiting in the foreground, or those owners would wait for this object forever;
 * - otherwise, with an owner waiting in the foreground and dependents of its own, the object is
 *   deleted in the foreground too, so the owner's wait covers the whole subtree; if a dependent is
 *   already waiting likewise, there may be a cycle, so the object first stops blocking its owners
 *   (this can fire without a real cycle; it only loosens the ordering);
 * - otherwise it is deleted with the cascade its own finalizers ask for, Background by default.
 */
export function decideForDependent(refs: ClassifiedReferences, facts: DependentFacts): DependentDecision {
  const { solid, dangling, waitingForDependentsDeletion } = refs;
  if (solid.length > 0) {
    const stale = [...dangling, ...waitingForDependentsDeletion].map((ref) => ref.uid);
    return stale.length > 0 ? { action: 'removeReferences', ownerUids: stale } : { action: 'keep' };
  }
  if (waitingForDependentsDeletion.length > 0 && facts.hasDependents) {
    return { action: 'delete', policy: 'Foreground', unblockOwnersFirst: facts.aDependentIsDeletingDependents };
  }
  return { action: 'delete', policy: policyFromFinalizers(facts.finalizers), unblockOwnersFirst: false };
}

/** Sorts each reference by a live read of its owner (or the absent-owner cache). */
export async function classifyReferences(ctx: CollectorContext, item: OwnershipNode, references: OwnerReference[]): Promise<ClassifiedReferences> {
  const result: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
  for (const ref of references) {
    const owner = await liveOwner(ctx, item, ref);
    if (!owner) result.dangling.push(ref);
    else if (owner.metadata.deletionTimestamp && hasFinalizer(owner, foregroundDeletionFinalizer)) result.waitingForDependentsDeletion.push(ref);
    else result.solid.push(ref);
  }
  return result;
}

/**
 * The owner a reference names, read live, or `undefined` when it does not exist: not found, or found
 * with another uid (a namesake created after the real owner was deleted). Upstream: `isDangling`.
 */
async function liveOwner(ctx: CollectorContext, item: OwnershipNode, ref: OwnerReference): Promise<KubeObject | undefined> {
  const owner = identityOfOwner(ref, item.identity.namespace);
  if (ctx.absentOwners.has(owner)) return undefined;
  const resource = resourceOf(owner);
  let live: KubeObject;
  try {
    live = await ctx.client.get(resource.ref, owner.namespace, owner.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    ctx.absentOwners.add(owner);
    return undefined;
  }
  if (live.metadata.uid !== ref.uid) {
    ctx.absentOwners.add(owner);
    return undefined;
  }
  return live;
}

/**
 * The item is being deleted in the foreground: once no dependent blocks it, its finalizer goes (and
 * the server removes it); until then make sure each blocking dependent is being collected. The
 * dependents' deletions enqueue the item again.
 */
async function processDeletingDependentsItem(ctx: CollectorContext, item: OwnershipNode): Promise<void> {
  const blocking = item.blockingDependents();
  if (blocking.length === 0) {
    await removeFinalizer(ctx, item, foregroundDeletionFinalizer);
    return;
  }
  for (const dep of blocking) {
    // A dependent already being deleted only has to finish; its removal wakes this item.
    if (!dep.beingDeleted) ctx.attemptToDelete(dep.uid);
  }
}

/**
 * A virtual node names an owner no informer has shown us. Ask the server: if it does not exist,
 * remember that and drop the node, which sends each dependent to be reconsidered.
 */
async function verifyVirtualOwner(ctx: CollectorContext, item: OwnershipNode): Promise<void | SyncResult> {
  const absent = ctx.absentOwners.has(item.identity) || !(await getLatest(ctx, item.identity));
  if (absent) {
    ctx.log('owner does not exist', { owner: describe(item), uid: item.uid });
    ctx.absentOwners.add(item.identity);
    ctx.graph.removeVirtualNode(item.uid);
    return;
  }
  // It exists but its informer has not delivered it yet: look again later (upstream issue 56121).
  return { requeue: true };
}

/** An object collected on its own account keeps the cascade it was already asked for. */
function policyFromFinalizers(finalizers: string[]): PropagationPolicy {
  if (finalizers.includes(orphanFinalizer)) return 'Orphan';
  if (finalizers.includes(foregroundDeletionFinalizer)) return 'Foreground';
  return 'Background';
}

/** The object changed between the read and the delete: decide again from a fresh read. */
function requeueIfChanged(outcome: 'deleted' | 'changed'): void | SyncResult {
  return outcome === 'changed' ? { requeue: true } : undefined;
}
