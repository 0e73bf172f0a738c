/**
 * The namespace controller: a namespace marked for deletion is emptied, then finalized, and the API
 * server removes it. Upstream: pkg/controller/namespace (NamespaceController and the
 * namespaced-resources deleter).
 */
import { isNotFound } from '../../api/errors.js';
import type { Namespace } from '../../api/types.js';
import { refs, type Client } from '../../client/index.js';
import { realClock, type Clock } from '../shared/index.js';
import { Informer } from '../shared/index.js';
import { errorText, silentLogger, type Logger } from '../shared/index.js';
import { retryOnConflict } from '../shared/index.js';
import { isBeingDeleted } from '../shared/index.js';
import { namespacedResourceKinds, type ResourceKind } from '../shared/index.js';
import { WorkQueue } from '../shared/index.js';
import { runWorkers, type SyncResult, type Workers } from '../shared/index.js';
import { deleteAllContent, finalizeNamespace, kubernetesFinalizer } from './deleter.js';

export interface NamespaceControllerConfig {
  client: Client;
  log?: Logger;
  /** @default realClock */
  clock?: Clock;
  /** Namespaces emptied at once. @default 2 */
  workers?: number;
  /**
   * How long to wait before looking again while objects remain (pods in their grace period, objects
   * with finalizers). @default 1000
   */
  recheckDelayMs?: number;
  /** The namespaced resources to empty. @default every namespaced resource in `refs` */
  resources?: readonly ResourceKind[];
}

/**
 * Empties namespaces that are being deleted, then removes the `kubernetes` finalizer from their
 * spec so that the server deletes them. Objects that only go after a finalizer or a grace period
 * are waited for by looking again every `recheckDelayMs`.
 *
 * @example
 * const namespaces = new NamespaceController({ client });
 * await namespaces.start();
 */
export class NamespaceController {
  private readonly client: Client;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly workerCount: number;
  private readonly recheckDelayMs: number;
  private readonly resources: readonly ResourceKind[];
  private readonly queue: WorkQueue;
  private readonly informer: Informer<Namespace>;
  private workers?: Workers;
  private started = false;
  private stopped = false;

  constructor(config: NamespaceControllerConfig) {
    this.client = config.client;
    this.log = config.log ?? silentLogger;
    this.clock = config.clock ?? realClock;
    this.workerCount = config.workers ?? 2;
    this.recheckDelayMs = config.recheckDelayMs ?? 1000;
    this.resources = config.resources ?? namespacedResourceKinds;
    this.queue = new WorkQueue({ clock: this.clock });
    this.informer = new Informer<Namespace>({ client: this.client, resource: refs.namespaces, clock: this.clock, log: this.log });
    this.informer.addHandlers({
      onAdd: (ns) => this.enqueueIfDeleting(ns),
      onUpdate: (_old, ns) => this.enqueueIfDeleting(ns),
    });
  }

  /** Starts watching namespaces; resolves once they are listed and the workers run. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the namespace controller is already started');
    this.started = true;
    await this.informer.start();
    // stop() may have been called while the list was loading.
    if (this.stopped) return;
    this.workers = runWorkers({
      queue: this.queue,
      sync: (name) => this.syncNamespace(name),
      workers: this.workerCount,
      onError: (error, name) => this.log('namespace deletion failed', { namespace: name, error: errorText(error) }),
    });
  }

  /** Stops watching and waits for running syncs to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.informer.stop();
    await this.workers?.stop();
    this.queue.shutDown();
  }

  private enqueueIfDeleting(ns: Namespace): void {
    if (isBeingDeleted(ns)) this.queue.add(ns.metadata.name!);
  }

  /**
   * Level-based: reads the namespace afresh; if it is being deleted and still carries our finalizer,
   * deletes its content and, once nothing is left, finalizes it.
   */
  private async syncNamespace(name: string): Promise<void | SyncResult> {
    const ns = await this.getNamespace(name);
    if (!ns || !isBeingDeleted(ns) || !ns.spec?.finalizers?.includes(kubernetesFinalizer)) return;
    const remaining = await deleteAllContent({ client: this.client, namespace: name, resources: this.resources, log: this.log });
    if (remaining.total > 0) {
      this.log('namespace content remaining', { namespace: name, remaining: remaining.byResource });
      return { requeueAfterMs: this.recheckDelayMs };
    }
    await retryOnConflict(async () => {
      const latest = await this.getNamespace(name);
      if (latest?.spec?.finalizers?.includes(kubernetesFinalizer)) await finalizeNamespace(this.client, latest);
    });
    this.log('namespace finalized', { namespace: name });
  }

  private async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.client.get<Namespace>(refs.namespaces, undefined, name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
