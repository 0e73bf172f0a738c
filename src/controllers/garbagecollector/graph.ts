/**
 * The ownership graph: every object the collector watches, as a node with its owners (from its
 * ownerReferences) and its dependents (the objects that name it as an owner). Upstream: `node` in
 * graph.go and `GraphBuilder.processGraphChanges` in graph_builder.go.
 *
 * The graph is the collector's cache, updated synchronously as informer events arrive. It decides
 * nothing: it only notices which objects may now need attention and enqueues their uids on the
 * attemptToDelete or attemptToOrphan queue, where workers decide with fresh reads.
 */
import type { KubeObject, OwnerReference } from '../../api/types.js';
import { foregroundDeletionFinalizer, hasFinalizer, isBeingDeleted, orphanFinalizer } from '../shared/index.js';
import type { ResourceKind } from '../shared/index.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import { identityOfObject, identityOfOwner, sameCoordinates, type ObjectIdentity } from './identity.js';

export class OwnershipNode {
  identity: ObjectIdentity;
  /** The ownerReferences of the object as last observed. */
  owners: OwnerReference[] = [];
  /** Objects whose ownerReferences name this one. */
  readonly dependents = new Set<OwnershipNode>();
  /**
   * Known only through a dependent's ownerReference, not (yet) observed by an informer: the owner
   * may exist, or may never have existed. A worker verifies it with a GET.
   */
  virtual: boolean;
  /** The object has a deletionTimestamp: it is on its one-way trip to removal. */
  beingDeleted = false;
  /** Being deleted with the `foregroundDeletion` finalizer: waiting for its blocking dependents. */
  deletingDependents = false;
  /** Being deleted with the `orphan` finalizer: waiting for its dependents to be released. */
  orphaningDependents = false;

  constructor(identity: ObjectIdentity, virtual: boolean) {
    this.identity = identity;
    this.virtual = virtual;
  }

  get uid(): string {
    return this.identity.uid;
  }

  /** Dependents whose reference to this node has `blockOwnerDeletion: true`. */
  blockingDependents(): OwnershipNode[] {
    return [...this.dependents].filter((dep) => dep.owners.some((ref) => ref.uid === this.uid && ref.blockOwnerDeletion === true));
  }
}

export interface OwnershipGraphConfig {
  /** Asks a worker to look at the node with this uid (attemptToDelete). */
  attemptToDelete: (uid: string) => void;
  /** Asks a worker to release the dependents of the node with this uid (attemptToOrphan). */
  attemptToOrphan: (uid: string) => void;
  /** Told about owners seen deleted, so their dependents need not ask the server. */
  absentOwners?: AbsentOwnerCache;
}

export class OwnershipGraph {
  private readonly uidToNode = new Map<string, OwnershipNode>();
  private readonly attemptToDelete: (uid: string) => void;
  private readonly attemptToOrphan: (uid: string) => void;
  private readonly absentOwners?: AbsentOwnerCache;
  private synced = false;

  constructor(config: OwnershipGraphConfig) {
    this.attemptToDelete = config.attemptToDelete;
    this.attemptToOrphan = config.attemptToOrphan;
    this.absentOwners = config.absentOwners;
  }

  node(uid: string): OwnershipNode | undefined {
    return this.uidToNode.get(uid);
  }

  get size(): number {
    return this.uidToNode.size;
  }

  /**
   * Marks the end of the initial lists. Virtual nodes left now name owners that no informer has
   * seen: each is enqueued to be verified. (Before this point an owner may simply not be listed yet.)
   */
  markSynced(): void {
    this.synced = true;
    for (const node of this.uidToNode.values()) if (node.virtual) this.attemptToDelete(node.uid);
  }

  /** An informer saw `obj` (of `resource`) added or updated. */
  observe(resource: ResourceKind, obj: KubeObject): void {
    const identity = identityOfObject(resource, obj);
    if (!identity.uid) return;
    let node = this.uidToNode.get(identity.uid);
    if (!node) {
      node = new OwnershipNode(identity, false);
      this.uidToNode.set(identity.uid, node);
    } else if (node.virtual) {
      this.markObserved(node, identity);
    }
    this.updateOwners(node, obj.metadata.ownerReferences ?? []);
    this.updateDeletionState(node, obj);
  }

  /** An informer saw `obj` (of `resource`) deleted. */
  observeDeletion(resource: ResourceKind, obj: KubeObject): void {
    const node = this.uidToNode.get(identityOfObject(resource, obj).uid);
    if (node) this.removeNode(node);
  }

  /**
   * A worker verified that a virtual node's owner does not exist: drop the node and let each of its
   * dependents be reconsidered (their own references decide).
   */
  removeVirtualNode(uid: string): void {
    const node = this.uidToNode.get(uid);
    if (node?.virtual) this.removeNode(node);
  }

  // ----------------------------------------------------------------------------------------------

  /** A virtual node's object has been seen: from now on the informer speaks for it. */
  private markObserved(node: OwnershipNode, identity: ObjectIdentity): void {
    const guessed = node.identity;
    node.virtual = false;
    node.identity = identity;
    if (!sameCoordinates(guessed, identity)) {
      // Some dependents may name this uid with wrong coordinates; each re-checks its references.
      for (const dep of node.dependents) this.attemptToDelete(dep.uid);
    }
  }

  private updateOwners(node: OwnershipNode, owners: OwnerReference[]): void {
    const before = new Map(node.owners.map((ref) => [ref.uid, ref]));
    const after = new Map(owners.map((ref) => [ref.uid, ref]));
    node.owners = owners;
    for (const [uid, ref] of after) {
      if (!before.has(uid)) this.addDependentToOwner(node, ref);
    }
    for (const [uid, oldRef] of before) {
      const newRef = after.get(uid);
      if (!newRef) this.removeDependentFromOwner(node, uid);
      // An owner waiting for this dependent may go on once the reference stops blocking it.
      const unblocked = oldRef.blockOwnerDeletion === true && newRef?.blockOwnerDeletion !== true;
      if (unblocked) this.wakeOwnerWaitingForDependents(uid);
    }
  }

  private addDependentToOwner(dependent: OwnershipNode, ref: OwnerReference): void {
    let owner = this.uidToNode.get(ref.uid);
    if (!owner) {
      owner = new OwnershipNode(identityOfOwner(ref, dependent.identity.namespace), true);
      this.uidToNode.set(ref.uid, owner);
      if (this.synced) this.attemptToDelete(owner.uid);
    }
    owner.dependents.add(dependent);
    // A dependent appearing under an owner that is already deleting its dependents is one of them.
    if (owner.deletingDependents) this.attemptToDelete(dependent.uid);
  }

  private removeDependentFromOwner(dependent: OwnershipNode, ownerUid: string): void {
    const owner = this.uidToNode.get(ownerUid);
    if (!owner) return;
    owner.dependents.delete(dependent);
    // A virtual owner exists in the graph only for the sake of its dependents.
    if (owner.virtual && owner.dependents.size === 0) this.uidToNode.delete(ownerUid);
  }

  private wakeOwnerWaitingForDependents(ownerUid: string): void {
    const owner = this.uidToNode.get(ownerUid);
    if (owner?.deletingDependents) this.attemptToDelete(owner.uid);
  }

  /**
   * Level-based: every observation of an object in a deletion state enqueues the work that state
   * needs; the queue folds repeats together and the workers are idempotent.
   */
  private updateDeletionState(node: OwnershipNode, obj: KubeObject): void {
    node.beingDeleted = isBeingDeleted(obj);
    node.deletingDependents = node.beingDeleted && hasFinalizer(obj, foregroundDeletionFinalizer);
    node.orphaningDependents = node.beingDeleted && hasFinalizer(obj, orphanFinalizer);
    if (node.orphaningDependents) this.attemptToOrphan(node.uid);
    if (node.deletingDependents) {
      this.attemptToDelete(node.uid);
      for (const dep of node.dependents) this.attemptToDelete(dep.uid);
    }
  }

  /** Upstream `removeNode` plus what processGraphChanges does around it for a delete event. */
  private removeNode(node: OwnershipNode): void {
    this.uidToNode.delete(node.uid);
    for (const ref of node.owners) {
      this.removeDependentFromOwner(node, ref.uid);
      // The owner may have been waiting for exactly this dependent to go.
      this.wakeOwnerWaitingForDependents(ref.uid);
    }
    // Dependents of a gone owner may now be garbage (or just need the reference removed).
    if (node.dependents.size > 0 && !node.virtual) this.absentOwners?.add(node.identity);
    for (const dep of node.dependents) this.attemptToDelete(dep.uid);
  }
}
