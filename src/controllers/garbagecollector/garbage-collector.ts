/**
 * The garbage collector: deletes objects whose owners are gone and carries out the Foreground and
 * Orphan cascades the API server starts with finalizers. Upstream: pkg/controller/garbagecollector.
 *
 * One informer per resource feeds the ownership graph; the graph enqueues uids; workers on two
 * queues (attemptToDelete, attemptToOrphan) decide each with live reads and conditional writes.
 */
import type { Client } from '../../client/index.js';
import { realClock, type Clock } from '../shared/index.js';
import { Informer } from '../shared/index.js';
import { errorText, silentLogger, type Logger } from '../shared/index.js';
import { resourceKinds, type ResourceKind } from '../shared/index.js';
import { WorkQueue } from '../shared/index.js';
import { runWorkers, type Workers } from '../shared/index.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { attemptToDeleteItem } from './attempt-to-delete.js';
import { attemptToOrphan } from './attempt-to-orphan.js';
import { describe, type CollectorContext } from './context.js';
import { OwnershipGraph } from './graph.js';

export interface GarbageCollectorConfig {
  client: Client;
  log?: Logger;
  /** @default realClock */
  clock?: Clock;
  /** Syncs of the attemptToDelete queue that may run at once. @default 4 */
  deleteWorkers?: number;
  /** Syncs of the attemptToOrphan queue that may run at once. @default 2 */
  orphanWorkers?: number;
  /** The resources to watch. @default every resource in `refs` */
  resources?: readonly ResourceKind[];
}

/**
 * Collects dependents of deleted owners, level-based and idempotent:
 * - owner gone (Background): each dependent with no owner left is deleted (with the cascade its own
 *   finalizers ask for, Background otherwise); a dependent with another live owner only loses the
 *   dangling ownerReference;
 * - owner marked with `foregroundDeletion`: its dependents are deleted (in the foreground when they
 *   have dependents themselves), and the finalizer is removed once no dependent with
 *   `blockOwnerDeletion: true` remains;
 * - owner marked with `orphan`: its ownerReference is removed from every dependent, then the finalizer;
 * - a reference to an owner no informer has seen is verified by a GET (name and uid) and, if absent,
 *   treated as dangling.
 *
 * @example
 * const gc = new GarbageCollector({ client });
 * await gc.start(); // graph loaded, workers running
 * // ...
 * await gc.stop();
 */
export class GarbageCollector {
  private readonly client: Client;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly resources: readonly ResourceKind[];
  private readonly deleteWorkerCount: number;
  private readonly orphanWorkerCount: number;
  private readonly attemptToDeleteQueue: WorkQueue;
  private readonly attemptToOrphanQueue: WorkQueue;
  private readonly absentOwners = new AbsentOwnerCache();
  private readonly graph: OwnershipGraph;
  private informers: Informer[] = [];
  private workers: Workers[] = [];
  private started = false;
  private stopped = false;

  constructor(config: GarbageCollectorConfig) {
    this.client = config.client;
    this.log = config.log ?? silentLogger;
    this.clock = config.clock ?? realClock;
    this.resources = config.resources ?? resourceKinds;
    this.deleteWorkerCount = config.deleteWorkers ?? 4;
    this.orphanWorkerCount = config.orphanWorkers ?? 2;
    this.attemptToDeleteQueue = new WorkQueue({ clock: this.clock });
    this.attemptToOrphanQueue = new WorkQueue({ clock: this.clock });
    this.graph = new OwnershipGraph({
      attemptToDelete: (uid) => this.attemptToDeleteQueue.add(uid),
      attemptToOrphan: (uid) => this.attemptToOrphanQueue.add(uid),
      absentOwners: this.absentOwners,
    });
  }

  /**
   * Lists and watches every resource, builds the graph, then starts the workers. Resolves once the
   * initial objects are in the graph; rejects (with nothing left running) if a first list fails.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('the garbage collector is already started');
    this.started = true;
    this.informers = this.resources.map((resource) => this.informerFor(resource));
    try {
      await Promise.all(this.informers.map((informer) => informer.start()));
    } catch (error) {
      for (const informer of this.informers) informer.stop();
      throw error;
    }
    // stop() may have been called while the lists were loading.
    if (this.stopped) return;
    this.graph.markSynced();
    const ctx = this.context();
    this.workers = [
      runWorkers({
        queue: this.attemptToDeleteQueue,
        sync: (uid) => attemptToDeleteItem(ctx, uid),
        workers: this.deleteWorkerCount,
        onError: (error, uid) => this.reportError('attemptToDelete', uid, error),
      }),
      runWorkers({
        queue: this.attemptToOrphanQueue,
        sync: (uid) => attemptToOrphan(ctx, uid),
        workers: this.orphanWorkerCount,
        onError: (error, uid) => this.reportError('attemptToOrphan', uid, error),
      }),
    ];
  }

  /** Stops watching and waits for running syncs to finish; nothing is written afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const informer of this.informers) informer.stop();
    await Promise.all(this.workers.map((w) => w.stop()));
    // Queues that never got workers (stop before start finished) still drop their timers.
    this.attemptToDeleteQueue.shutDown();
    this.attemptToOrphanQueue.shutDown();
  }

  /** Whether the graph holds a node (observed or virtual) for this uid. For tests and debugging. */
  graphHasUid(uid: string): boolean {
    return this.graph.node(uid) !== undefined;
  }

  private informerFor(resource: ResourceKind): Informer {
    const informer = new Informer({ client: this.client, resource: resource.ref, clock: this.clock, log: this.log });
    informer.addHandlers({
      onAdd: (obj) => this.graph.observe(resource, obj),
      onUpdate: (_old, obj) => this.graph.observe(resource, obj),
      onDelete: (obj) => this.graph.observeDeletion(resource, obj),
    });
    return informer;
  }

  private context(): CollectorContext {
    return {
      client: this.client,
      graph: this.graph,
      absentOwners: this.absentOwners,
      log: this.log,
      attemptToDelete: (uid) => this.attemptToDeleteQueue.add(uid),
    };
  }

  private reportError(queue: string, uid: string, error: unknown): void {
    const node = this.graph.node(uid);
    this.log(`${queue} failed`, { item: node ? describe(node) : uid, uid, error: errorText(error) });
  }
}
