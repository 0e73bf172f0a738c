/**
 * The disruption controller: keeps every PodDisruptionBudget's status (expected, desired and current
 * healthy pods, evictions allowed, the DisruptionAllowed condition, the evictions granted but not yet
 * seen) true to its pods, so that the eviction subresource can decide from the status alone. It also
 * resets DisruptionTarget conditions that nobody acted on.
 *
 * Upstream: pkg/controller/disruption/disruption.go (sync, trySync, failSafe, updatePdbStatus,
 * getPdbForPod, syncStalePodDisruption). The arithmetic lives in budget.ts.
 *
 * A sync that fails writes a fail-safe status (no evictions allowed, reason SyncFailed) and, as upstream,
 * is then done: the next change to the budget or one of its pods syncs it again. A conflict on the status
 * write is retried with backoff instead.
 */

import { disruptionTargetCondition, rfc3339Seconds, type PodDisruptionBudgetStatus } from '../../api/disruption.js';
import { labelSelectorFromObject, matchesLabels, type LabelRequirement, type NothingSelector } from '../../api/labels.js';
import type { Condition, Pod, PodDisruptionBudget } from '../../api/types.js';
import {
  EventRecorder,
  Informer,
  WorkQueue,
  errorText,
  objectKey,
  realClock,
  refs,
  runWorkers,
  silentLogger,
  splitObjectKey,
  type Client,
  type Clock,
  type Logger,
  type SyncResult,
  type Workers,
} from '../../client/index.js';
import {
  buildDisruptedPodMap,
  countHealthyPods,
  failSafeStatus,
  getExpectedPodCount,
  nextBudgetStatus,
  staleDisruptionCondition,
  unmanagedPodsMessage,
  type ScaleFinder,
} from './budget.js';
import { findServedControllerScale } from './scale.js';

export interface DisruptionControllerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** How controllers' scales are found (tests inject their own). @default findServedControllerScale */
  findScale?: ScaleFinder;
}

/** The component name on events (upstream's disruption controller reports as the controller manager). */
export const disruptionControllerComponent = 'controllermanager';

/** Event reasons, as upstream. */
export const noPodsReason = 'NoPods';
export const calculateExpectedPodCountFailedReason = 'CalculateExpectedPodCountFailed';
export const unmanagedPodsReason = 'UnmanagedPods';
export const notDeletedReason = 'NotDeleted';
export const multiplePodDisruptionBudgetsReason = 'MultiplePodDisruptionBudgets';

/** Index of pods and budgets by namespace: a budget selects pods of its own namespace only. */
const byNamespace = 'namespace';

/**
 * @example
 * const disruption = new DisruptionController({ client });
 * await disruption.start();
 * // ...
 * await disruption.stop();
 */
export class DisruptionController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly findScale: ScaleFinder;
  private readonly recorder: EventRecorder;
  private readonly budgets: Informer<PodDisruptionBudget>;
  private readonly pods: Informer<Pod>;
  /** Budget keys to sync. */
  private readonly queue: WorkQueue;
  /** Pod keys whose DisruptionTarget condition may have gone stale. */
  private readonly stalePodQueue: WorkQueue;
  private workers: Workers[] = [];
  private started = false;
  private stopped = false;

  constructor(config: DisruptionControllerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.findScale = config.findScale ?? findServedControllerScale;
    this.queue = new WorkQueue({ clock: this.clock });
    this.stalePodQueue = new WorkQueue({ clock: this.clock });
    this.recorder = new EventRecorder(this.client, { component: disruptionControllerComponent }, () => this.clock.now(), (error) =>
      this.log('event write failed', { error: errorText(error) }),
    );
    const common = { client: this.client, clock: this.clock, log: this.log };
    this.budgets = new Informer<PodDisruptionBudget>({ ...common, resource: refs.poddisruptionbudgets });
    this.pods = new Informer<Pod>({ ...common, resource: refs.pods });
    this.budgets.addIndex(byNamespace, (pdb) => [pdb.metadata.namespace ?? '']);
    this.pods.addIndex(byNamespace, (pod) => [pod.metadata.namespace ?? '']);

    this.budgets.addHandlers({
      onAdd: (pdb) => this.enqueue(pdb),
      onUpdate: (_old, pdb) => this.enqueue(pdb),
      onDelete: (pdb) => this.enqueue(pdb),
    });
    this.pods.addHandlers({
      onAdd: (pod) => this.onPodChange(pod),
      onUpdate: (_old, pod) => this.onPodChange(pod),
      onDelete: (pod) => {
        const pdb = this.getPdbForPod(pod);
        if (pdb) this.enqueue(pdb);
      },
    });
  }

  /** Lists budgets and pods, starts watching and starts the workers. */
  async start(): Promise<void> {
    if (this.started) throw new Error('the disruption controller is already started');
    this.started = true;
    await Promise.all([this.pods.start(), this.budgets.start()]);
    if (this.stopped) return;
    const onError = (what: string) => (error: unknown, key: string) => this.log(`${what} failed`, { key, error: errorText(error) });
    this.workers = [
      runWorkers({ queue: this.queue, sync: (key) => this.sync(key), onError: onError('disruption budget sync') }),
      runWorkers({ queue: this.stalePodQueue, sync: (key) => this.syncStalePodDisruption(key), onError: onError('stale DisruptionTarget cleanup') }),
    ];
  }

  /** Stops watching, waits for running syncs and for events being written. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.budgets.stop();
    this.pods.stop();
    await Promise.all(this.workers.map((w) => w.stop()));
    this.queue.shutDown();
    this.stalePodQueue.shutDown();
    await this.recorder.flush();
  }

  /** Resolves when every event recorded so far has been written (for tests). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }

  // ----------------------------------------------------------------------------------------------
  // Event handlers: they only enqueue.

  private enqueue(pdb: PodDisruptionBudget): void {
    this.queue.add(objectKey(pdb.metadata.namespace, pdb.metadata.name ?? ''));
  }

  private onPodChange(pod: Pod): void {
    const pdb = this.getPdbForPod(pod);
    if (pdb) this.enqueue(pdb);
    const { stale, cleanAfterMs } = staleDisruptionCondition(pod, this.clock.now());
    if (stale) this.stalePodQueue.addAfter(objectKey(pod.metadata.namespace, pod.metadata.name ?? ''), cleanAfterMs);
  }

  /**
   * The budget that covers the pod (an empty selector covers every pod of the namespace). A pod covered
   * by several gets a MultiplePodDisruptionBudgets warning and the first is used, as upstream.
   */
  private getPdbForPod(pod: Pod): PodDisruptionBudget | undefined {
    const matching = this.budgets.byIndex(byNamespace, pod.metadata.namespace ?? '').filter((pdb) => matchesLabels(selectorOf(pdb), pod.metadata.labels));
    if (matching.length === 0) return undefined;
    if (matching.length > 1) {
      const message = `Pod ${JSON.stringify(pod.metadata.namespace ?? '')}/${JSON.stringify(pod.metadata.name ?? '')} matches multiple PodDisruptionBudgets.  Chose ${JSON.stringify(matching[0]!.metadata.name ?? '')} arbitrarily.`;
      this.log(message);
      this.recorder.record(pod, { type: 'Warning', reason: multiplePodDisruptionBudgetsReason, message });
    }
    return matching[0];
  }

  // ----------------------------------------------------------------------------------------------
  // Budget sync.

  private async sync(key: string): Promise<void | SyncResult> {
    const { namespace, name } = splitObjectKey(key);
    const pdb = this.budgets.get(namespace, name);
    // Deleted: nothing to keep up to date.
    if (!pdb) return;
    try {
      return await this.trySync(pdb);
    } catch (error) {
      // Someone else (an eviction) wrote the status first: retry with backoff, without failing safe.
      if (isConflict(error)) throw error;
      this.log('failed to sync PodDisruptionBudget', { pdb: key, error: errorText(error) });
      await this.writeStatus(pdb, failSafeStatus(pdb, errorText(error), rfc3339Seconds(this.clock.now())));
    }
  }

  private async trySync(pdb: PodDisruptionBudget): Promise<void | SyncResult> {
    const pods = this.getPodsForPdb(pdb);
    if (pods.length === 0) this.recorder.record(pdb, { type: 'Normal', reason: noPodsReason, message: 'No matching pods found' });
    let counts;
    try {
      counts = getExpectedPodCount(pdb, pods, this.findScale);
    } catch (error) {
      this.recorder.record(pdb, { type: 'Warning', reason: calculateExpectedPodCountFailedReason, message: `Failed to calculate the number of expected pods: ${errorText(error)}` });
      throw error;
    }
    if (counts.unmanagedPods.length > 0) {
      // Upstream logs and carries on rather than failing the sync (and rewriting the status) again and again.
      this.log('found unmanaged pods associated with this PDB', { pdb: keyOf(pdb), pods: counts.unmanagedPods });
      this.recorder.record(pdb, { type: 'Warning', reason: unmanagedPodsReason, message: unmanagedPodsMessage(pdb) });
    }
    const nowMs = this.clock.now();
    const disrupted = buildDisruptedPodMap(pods, pdb.status?.disruptedPods, nowMs);
    for (const pod of disrupted.notDeleted) {
      this.log('pod was expected to be deleted but it was not, updating PDB', { pod: keyOf(pod), pdb: keyOf(pdb) });
      // Upstream prints the budget's namespace twice here; the message is kept as kubectl users see it.
      this.recorder.record(pod, {
        type: 'Warning',
        reason: notDeletedReason,
        message: `Pod was expected by PDB ${pdb.metadata.namespace ?? ''}/${pdb.metadata.namespace ?? ''} to be deleted but it wasn't`,
      });
    }
    const currentHealthy = countHealthyPods(pods, disrupted.disruptedPods, nowMs);
    const status = nextBudgetStatus(
      pdb,
      { currentHealthy, desiredHealthy: counts.desiredHealthy, expectedCount: counts.expectedCount, disruptedPods: disrupted.disruptedPods },
      rfc3339Seconds(nowMs),
    );
    if (status) await this.writeStatus(pdb, status);
    // Look again when the oldest granted eviction stops counting, in case its pod stays.
    if (disrupted.recheckAtMs !== undefined) return { requeueAfterMs: Math.max(1, disrupted.recheckAtMs - nowMs) };
  }

  /** The budget's pods: those of its namespace its selector selects (none for an absent selector). */
  private getPodsForPdb(pdb: PodDisruptionBudget): Pod[] {
    const selector = selectorOf(pdb);
    return this.pods.byIndex(byNamespace, pdb.metadata.namespace ?? '').filter((pod) => matchesLabels(selector, pod.metadata.labels));
  }

  /** PUT /status with the version read: a conflict means someone wrote meanwhile (upstream: writePdbStatus). */
  private async writeStatus(pdb: PodDisruptionBudget, status: PodDisruptionBudgetStatus): Promise<void> {
    await this.client.update<PodDisruptionBudget>(refs.poddisruptionbudgets, pdb.metadata.namespace, { ...pdb, status }, { subresource: 'status' });
  }

  // ----------------------------------------------------------------------------------------------
  // Stale DisruptionTarget conditions.

  /** Sets a DisruptionTarget=True condition nobody acted on for two minutes back to False. */
  private async syncStalePodDisruption(key: string): Promise<void | SyncResult> {
    const { namespace, name } = splitObjectKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod) return;
    const nowMs = this.clock.now();
    const { stale, cleanAfterMs } = staleDisruptionCondition(pod, nowMs);
    if (!stale) return;
    if (cleanAfterMs > 0) return { requeueAfterMs: cleanAfterMs };
    const conditions: Condition[] = (pod.status?.conditions ?? []).map((c) =>
      c.type === disruptionTargetCondition ? { type: disruptionTargetCondition, status: 'False', lastProbeTime: null, lastTransitionTime: rfc3339Seconds(nowMs) } : c,
    );
    await this.client.update<Pod>(refs.pods, namespace, { ...pod, status: { ...pod.status, conditions } }, { subresource: 'status' });
    this.log('reset stale DisruptionTarget condition to False', { pod: key });
  }
}

/**
 * The budget's selector: absent selects nothing, `{}` every pod of the namespace (policy/v1); an invalid
 * one selects nothing.
 */
function selectorOf(pdb: PodDisruptionBudget): LabelRequirement[] | NothingSelector {
  try {
    return labelSelectorFromObject(pdb.spec?.selector);
  } catch {
    return 'nothing';
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return objectKey(obj.metadata.namespace, obj.metadata.name ?? '');
}

function isConflict(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 409;
}
