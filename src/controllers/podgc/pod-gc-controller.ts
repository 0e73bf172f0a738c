/**
 * Pod garbage collection: force-deletes (grace 0) pods bound to a node that no longer exists
 * (gcOrphaned, which also covers pods terminating on a vanished node) and terminating pods that were
 * never scheduled (gcUnscheduledTerminating). Collecting terminated pods over a threshold
 * (gcTerminated) is not done.
 * Upstream: pkg/controller/podgc/gc_controller.go.
 *
 * Quarantine: upstream waits 40 s after first seeing a node missing before collecting its pods, then
 * checks with the API server. Here a missing node is quarantined for `quarantineMs` (default 2 s,
 * counted from the node's deletion event or from the pass that first saw it missing), then confirmed
 * absent with a GET before its pods are deleted.
 */
import type { Node, Pod } from '../../api/types.js';
import { CoalescedRun, Informer, errorText, objectKey, realClock, refs, silentLogger, type Client, type Clock, type Logger, type Timer } from '../../client/index.js';

export interface PodGCControllerConfig {
  client: Client;
  /** @default realClock */
  clock?: Clock;
  log?: Logger;
  /** How often a full pass runs. @default 20000 */
  periodMs?: number;
  /** How long a node must be missing before its pods are collected. @default 2000 */
  quarantineMs?: number;
}

/** The names of nodes referenced by pods (`spec.nodeName`) that are not among `nodeNames`. */
export function missingNodeNames(pods: readonly Pod[], nodeNames: ReadonlySet<string>): Set<string> {
  const missing = new Set<string>();
  for (const pod of pods) {
    const nodeName = pod.spec?.nodeName;
    if (nodeName && !nodeNames.has(nodeName)) missing.add(nodeName);
  }
  return missing;
}

/**
 * @example
 * const podgc = new PodGCController({ client });
 * await podgc.start();
 * // ...
 * await podgc.stop();
 */
export class PodGCController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  /** node name → when it was first seen missing. */
  private readonly missingSince = new Map<string, number>();
  private readonly timers = new Set<Timer>();
  private readonly passes = new CoalescedRun(() => this.pass(), () => this.stopped);
  private started = false;
  private stopped = false;

  constructor(config: PodGCControllerConfig) {
    this.client = config.client;
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? silentLogger;
    this.periodMs = config.periodMs ?? 20_000;
    this.quarantineMs = config.quarantineMs ?? 2_000;
    const common = { client: this.client, clock: this.clock, log: this.log };
    this.nodes = new Informer<Node>({ ...common, resource: refs.nodes });
    this.pods = new Informer<Pod>({ ...common, resource: refs.pods });
    this.nodes.addHandlers({
      onAdd: (node) => this.missingSince.delete(node.metadata.name ?? ''),
      onDelete: (node) => {
        const name = node.metadata.name ?? '';
        if (!this.missingSince.has(name)) this.missingSince.set(name, this.clock.now());
        this.schedule(this.quarantineMs);
      },
    });
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the pod GC controller is already started');
    this.started = true;
    await Promise.all([this.nodes.start(), this.pods.start()]);
    if (this.stopped) return;
    this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
    this.nodes.stop();
    this.pods.stop();
    await this.passes.settled();
  }

  /** Runs one pass now, or right after the one under way. */
  gc(): Promise<void> {
    return this.passes.trigger();
  }

  // ----------------------------------------------------------------------------------------------

  private tick(): void {
    if (this.stopped) return;
    this.schedule(this.periodMs, () => this.tick());
    this.gc().catch((error) => this.log('pod GC pass failed', { error: errorText(error) }));
  }

  /** Runs a pass after `ms` (then `after`, instead, when given). */
  private schedule(ms: number, after?: () => void): void {
    if (this.stopped) return;
    const timer = this.clock.setTimer(() => {
      this.timers.delete(timer);
      if (after) after();
      else this.gc().catch((error) => this.log('pod GC pass failed', { error: errorText(error) }));
    }, ms);
    this.timers.add(timer);
  }

  private async pass(): Promise<void> {
    const now = this.clock.now();
    const pods = this.pods.list();
    await this.gcOrphaned(pods, now);
    await this.gcUnscheduledTerminating(pods);
  }

  /** Deletes the pods of nodes missing for at least the quarantine (upstream: gcOrphaned). */
  private async gcOrphaned(pods: readonly Pod[], now: number): Promise<void> {
    const nodeNames = new Set(this.nodes.list().map((n) => n.metadata.name ?? ''));
    const missing = missingNodeNames(pods, nodeNames);
    for (const name of [...this.missingSince.keys()]) if (!missing.has(name)) this.missingSince.delete(name);
    let soonestDue: number | undefined;
    for (const name of missing) {
      const since = this.missingSince.get(name) ?? now;
      this.missingSince.set(name, since);
      const dueIn = since + this.quarantineMs - now;
      if (dueIn > 0) {
        soonestDue = Math.min(soonestDue ?? dueIn, dueIn);
        continue;
      }
      if (!(await this.nodeIsGone(name))) {
        this.missingSince.delete(name);
        continue;
      }
      for (const pod of pods) {
        if (pod.spec?.nodeName !== name) continue;
        await this.forceDelete(pod, `node ${name} no longer exists`);
      }
      this.missingSince.delete(name);
    }
    if (soonestDue !== undefined) this.schedule(soonestDue);
  }

  /** Deletes terminating pods that were never bound (upstream: gcUnscheduledTerminating). */
  private async gcUnscheduledTerminating(pods: readonly Pod[]): Promise<void> {
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod, 'terminating and never scheduled');
    }
  }

  private async nodeIsGone(name: string): Promise<boolean> {
    try {
      await this.client.get(refs.nodes, undefined, name);
      return false;
    } catch (error) {
      if (isNotFound(error)) return true;
      this.log('checking a missing node failed', { node: name, error: errorText(error) });
      return false;
    }
  }

  private async forceDelete(pod: Pod, why: string): Promise<void> {
    const key = objectKey(pod.metadata.namespace, pod.metadata.name ?? '');
    this.log('force-deleting pod', { pod: key, reason: why });
    try {
      await this.client.delete(refs.pods, pod.metadata.namespace, pod.metadata.name ?? '', {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      });
    } catch (error) {
      if (!isNotFound(error) && !isConflict(error)) this.log('force-deleting pod failed', { pod: key, error: errorText(error) });
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 404;
}

function isConflict(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code === 409;
}
