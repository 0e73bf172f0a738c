/**
 * What the collector's workers share, and the writes they make. Every write reads the live object
 * first and is conditional on what it read (uid, resourceVersion), so a worker acting on a stale
 * graph can at worst do nothing.
 */
import { isConflict, isNotFound } from '../../api/errors.js';
import type { DeleteOptions, KubeObject } from '../../api/types.js';
import type { Client } from '../../client/index.js';
import type { Logger } from '../shared/index.js';
import { patchMetadata, withoutFinalizer, type PatchOutcome } from '../shared/index.js';
import { findResourceKind, type ResourceKind } from '../shared/index.js';
import { TerminalError } from '../shared/index.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import type { OwnershipGraph, OwnershipNode } from './graph.js';
import { describeIdentity, type ObjectIdentity } from './identity.js';

export interface CollectorContext {
  client: Client;
  graph: OwnershipGraph;
  absentOwners: AbsentOwnerCache;
  log: Logger;
  /** Puts a uid on the attemptToDelete queue. */
  attemptToDelete(uid: string): void;
}

export type PropagationPolicy = NonNullable<DeleteOptions['propagationPolicy']>;

/**
 * The resource an identity belongs to. Throws for a kind this server does not serve, which upstream
 * also retries (a REST mapping error may be a kind not discovered yet).
 */
export function resourceOf(identity: ObjectIdentity): ResourceKind {
  const resource = findResourceKind(identity.apiVersion, identity.kind);
  if (!resource) throw new Error(`cannot resolve kind "${identity.kind}" in "${identity.apiVersion}"`);
  if (resource.namespaced && !identity.namespace) {
    // Not fixable by retrying: the reference itself is malformed.
    throw new TerminalError(`${identity.kind} "${identity.name}" is namespaced but is referenced from a cluster-scoped object`);
  }
  return resource;
}

/** The live object with this identity, or `undefined` if it is gone (or replaced by a namesake). */
export async function getLatest(ctx: CollectorContext, identity: ObjectIdentity): Promise<KubeObject | undefined> {
  const resource = resourceOf(identity);
  try {
    const latest = await ctx.client.get(resource.ref, identity.namespace, identity.name);
    return latest.metadata.uid === identity.uid ? latest : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Deletes the object `latest` shows, only if it is still that version: a dependent adopted or
 * changed since it was read is looked at again (`'changed'`) rather than deleted on stale grounds.
 */
export async function deleteObject(ctx: CollectorContext, item: OwnershipNode, latest: KubeObject, policy: PropagationPolicy): Promise<'deleted' | 'changed'> {
  const { namespace, name, uid } = item.identity;
  ctx.log('deleting object', { item: describe(item), propagationPolicy: policy });
  try {
    await ctx.client.delete(resourceOf(item.identity).ref, namespace, name, {
      propagationPolicy: policy,
      preconditions: { uid, resourceVersion: latest.metadata.resourceVersion },
    });
    return 'deleted';
  } catch (error) {
    // Already gone is what we wanted; the informer reports the deletion.
    if (isNotFound(error)) return 'deleted';
    if (isConflict(error)) return 'changed';
    throw error;
  }
}

/** Takes the references to `ownerUids` off the item. */
export function removeOwnerReferences(ctx: CollectorContext, item: OwnershipNode, ownerUids: string[]): Promise<PatchOutcome> {
  const drop = new Set(ownerUids);
  ctx.log('removing owner references', { item: describe(item), owners: ownerUids });
  return patchItem(ctx, item, (latest) => {
    const refs = latest.metadata.ownerReferences ?? [];
    const kept = refs.filter((ref) => !drop.has(ref.uid));
    if (kept.length === refs.length) return undefined;
    return { ownerReferences: kept.length ? kept : null };
  });
}

/**
 * Sets `blockOwnerDeletion: false` on every reference of the item that blocks, so owners waiting in
 * foreground deletion stop waiting for it (used to break a possible cycle).
 */
export function unblockOwnerReferences(ctx: CollectorContext, item: OwnershipNode): Promise<PatchOutcome> {
  return patchItem(ctx, item, (latest) => {
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.some((ref) => ref.blockOwnerDeletion === true)) return undefined;
    return { ownerReferences: refs.map((ref) => (ref.blockOwnerDeletion === true ? { ...ref, blockOwnerDeletion: false } : ref)) };
  });
}

/** Takes `finalizer` off the item; the server removes the object once no finalizer is left. */
export function removeFinalizer(ctx: CollectorContext, item: OwnershipNode, finalizer: string): Promise<PatchOutcome> {
  ctx.log('removing finalizer', { item: describe(item), finalizer });
  return patchItem(ctx, item, (latest) => withoutFinalizer(latest, finalizer));
}

/** `DaemonSet default/web`, for logs and error messages. */
export function describe(item: OwnershipNode): string {
  return describeIdentity(item.identity);
}

function patchItem(ctx: CollectorContext, item: OwnershipNode, change: Parameters<typeof patchMetadata>[0]['change']): Promise<PatchOutcome> {
  const { namespace, name, uid } = item.identity;
  return patchMetadata({ client: ctx.client, resource: resourceOf(item.identity).ref, namespace, name, uid, change });
}
