/**
 * The lab's "cluster side": the controllers, the scheduler and the simulated fleet — everything that
 * is a client of the API. `everynode up` runs it in a worker thread (`cluster-worker.ts`), so that the
 * API server's event loop serves requests while the controllers think; it can also run in-process.
 */
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Client } from '../client/index.js';
import { DaemonSetController, DisruptionController, GarbageCollector, NamespaceController, NodeLifecycleController, PodGCController } from '../controllers/index.js';
import { SimulatedFleet, type FaultRule } from '../nodes/index.js';
import { Scheduler } from '../scheduler/index.js';

/** What the cluster side needs to know; plain data, so that it can be handed to a worker thread. */
export interface ClusterOptions {
  /** How long a node may miss heartbeats before it goes Unknown (upstream's default: 40 s). */
  nodeMonitorGracePeriodMs?: number;
  startDelayMs?: number;
  readyDelayMs?: number;
  stopDelayMs?: number;
  jitterMs?: number;
  faults?: FaultRule[];
}

export interface RunningCluster {
  stop(): Promise<void>;
}

export async function startCluster(client: Client, options: ClusterOptions, log?: (message: string) => void): Promise<RunningCluster> {
  const controllerLog = (message: string, fields?: Record<string, unknown>) => log?.(fields ? `${message} ${JSON.stringify(fields)}` : message);
  const controllers = [
    new GarbageCollector({ client, log: controllerLog }),
    new NamespaceController({ client, log: controllerLog }),
    new Scheduler({ client, log: controllerLog }),
    new DaemonSetController({ client, log: controllerLog }),
    new NodeLifecycleController({ client, log: controllerLog, nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs }),
    new PodGCController({ client, log: controllerLog }),
    new DisruptionController({ client, log: controllerLog }),
    new SimulatedFleet({
      client,
      log: controllerLog,
      startDelayMs: options.startDelayMs,
      readyDelayMs: options.readyDelayMs,
      stopDelayMs: options.stopDelayMs,
      jitterMs: options.jitterMs,
      faults: options.faults,
      leaseRenewMs: leaseRenewMs(options.nodeMonitorGracePeriodMs),
    }),
  ];
  await Promise.all(controllers.map((c) => c.start()));
  return {
    stop: async () => {
      await Promise.all(controllers.map((c) => c.stop()));
    },
  };
}

/**
 * How often simulated kubelets renew their Lease: every 10 s, as upstream's (a 40 s lease renewed at a
 * quarter), or a quarter of a shorter grace period, so that a lab started with a short
 * `--node-monitor-grace-period` (to see nodes go Unknown quickly) does not see healthy nodes flap.
 */
export function leaseRenewMs(nodeMonitorGracePeriodMs: number | undefined): number {
  return Math.max(100, Math.min(10_000, Math.floor((nodeMonitorGracePeriodMs ?? 40_000) / 4)));
}

/**
 * Logs this thread's event-loop delay (p50, p99, max), garbage-collection pauses (count, total,
 * longest) and heap in use every second: a diagnostic for benchmarks.
 */
export function reportLoopDelay(label: string, log: (line: string) => void): void {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let gcCount = 0;
  let gcTotalMs = 0;
  let gcMaxMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcTotalMs += entry.duration;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  setInterval(() => {
    log(
      `${label} event loop delay p50 ${ms(histogram.percentile(50))} p99 ${ms(histogram.percentile(99))} max ${ms(histogram.max)} ms;` +
        ` gc ${gcCount}× ${gcTotalMs.toFixed(0)} ms, longest ${gcMaxMs.toFixed(1)} ms; heap ${heapLine()}`,
    );
    histogram.reset();
    gcCount = gcTotalMs = gcMaxMs = 0;
  }, 1000).unref();
}

/** This isolate's heap: in use / committed, and memory held outside it (buffers, strings shared with C++). */
function heapLine(): string {
  const heap = getHeapStatistics();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return `${mb(heap.used_heap_size)}/${mb(heap.total_heap_size)} MB, external ${mb(heap.external_memory)} MB`;
}
