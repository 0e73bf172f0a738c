/**
 * `everynode up`: the lab's composition root. Opens the store, starts the API server and writes a
 * kubeconfig that points kubectl at it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isAlreadyExists } from '../api/errors.js';
import type { Node } from '../api/types.js';
import { ApiServer, LocalClient } from '../apiserver/index.js';
import { refs, type Client } from '../client/index.js';
import { DaemonSetController, DisruptionController, GarbageCollector, NamespaceController, NodeLifecycleController, PodGCController } from '../controllers/index.js';
import { SimulatedFleet, simulatedAnnotation, simulatedPodLogs, type FaultRule } from '../nodes/index.js';
import { Scheduler } from '../scheduler/index.js';
import { MemoryStore, SqliteStore, type Store } from '../store/index.js';

export interface UpOptions {
  port: number;
  host: string;
  /** Data directory for the SQLite store; ignored with `memory`. */
  data: string;
  kubeconfig: string;
  memory: boolean;
  /** Simulated worker nodes `node-1`…`node-N` to create at start (existing ones are kept). */
  nodes?: number;
  /** Simulated control-plane nodes (`control-plane`, then `control-plane-2`, …); 0 omits them. */
  controlPlane?: number;
  /** How long a node may miss heartbeats before it goes Unknown (upstream's default: 40 s). */
  nodeMonitorGracePeriodMs?: number;
  /** Simulated time from a pod's binding to its containers running, and from running to Ready. */
  startDelayMs?: number;
  readyDelayMs?: number;
  /** Simulated time for containers to stop (capped by the grace period), and the per-pod jitter. */
  stopDelayMs?: number;
  jitterMs?: number;
  /** More simulated nodes to create at start (a lab profile's pools). */
  extraNodes?: Node[];
  /** Images that fail on some or all simulated nodes (a lab profile's faults). */
  faults?: FaultRule[];
  log?: (message: string) => void;
}

export interface RunningLab {
  server: ApiServer;
  store: Store;
  url: string;
  kubeconfigPath: string;
  /** Stops serving and closes the store (flushing pending writes). Idempotent. */
  stop(): Promise<void>;
}

export async function startLab(options: UpOptions): Promise<RunningLab> {
  const started = performance.now();
  const store = options.memory ? new MemoryStore() : await openSqlite(options.data);
  // The simulated kubelets answer for pod logs, as kubelets do behind kube-apiserver.
  const server = new ApiServer({ store, log: options.log, podLogs: simulatedPodLogs });
  await server.start();
  const client = new LocalClient(server.registry);
  const controllerLog = (message: string, fields?: Record<string, unknown>) =>
    options.log?.(fields ? `${message} ${JSON.stringify(fields)}` : message);
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
  await ensureNodes(client, options.nodes ?? 0, options.controlPlane ?? 0, options.extraNodes ?? []);
  const address = await server.listen(options.port, options.host);
  const url = `http://${formatHost(clientHost(options.host))}:${address.port}`;
  const kubeconfigPath = resolve(options.kubeconfig);
  writeKubeconfig(kubeconfigPath, url);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(controllers.map((c) => c.stop()));
      await server.close();
      await store.close();
      if (store instanceof SqliteStore) {
        const { transactions, writes } = store.stats();
        options.log?.(`store: ${writes} writes in ${transactions} transactions`);
      }
    })());
  options.log?.(`started in ${Math.round(performance.now() - started)} ms`);
  // A diagnostic for benchmarks: how long the event loop was held up, each second.
  if (process.env.EVERYNODE_LOOP_STATS) reportLoopDelay((line) => options.log?.(line));
  return { server, store, url, kubeconfigPath, stop };
}

/** A Node that the simulated fleet brings to life. */
export function simulatedNode(name: string, options: { controlPlane?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(options.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
      annotations: { [simulatedAnnotation]: 'true' },
    },
    spec: options.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
  };
}

async function ensureNodes(client: Client, workers: number, controlPlanes: number, extraNodes: Node[]): Promise<void> {
  const wanted = [
    ...Array.from({ length: controlPlanes }, (_, i) => simulatedNode(i === 0 ? 'control-plane' : `control-plane-${i + 1}`, { controlPlane: true })),
    ...Array.from({ length: workers }, (_, i) => simulatedNode(`node-${i + 1}`)),
    ...extraNodes,
  ];
  for (const node of wanted) {
    try {
      await client.create(refs.nodes, undefined, node);
    } catch (error) {
      // Kept from an earlier run of the lab on the same data directory.
      if (!isAlreadyExists(error)) throw error;
    }
  }
}

async function openSqlite(dataDir: string): Promise<Store> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  return SqliteStore.open({ path: join(dir, 'everynode.db') });
}

/** A wildcard bind address is not something to connect to: clients use loopback then. */
function clientHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** A kubeconfig with one cluster, one context and a user without credentials (plain http, no auth yet). */
export function kubeconfigText(url: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: everynode',
    '  cluster:',
    `    server: ${url}`,
    // Plain http: @kubernetes/client-node refuses an http server unless TLS verification is off.
    '    insecure-skip-tls-verify: true',
    'contexts:',
    '- name: everynode',
    '  context:',
    '    cluster: everynode',
    '    user: everynode',
    'current-context: everynode',
    'users:',
    '- name: everynode',
    '  user: {}',
    '',
  ].join('\n');
}

function writeKubeconfig(path: string, url: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigText(url), { mode: 0o600 });
}

/** Logs the event loop's delay (p50, p99, max) every second until the process exits. */
function reportLoopDelay(log: (line: string) => void): void {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  setInterval(() => {
    log(`event loop delay p50 ${ms(histogram.percentile(50))} p99 ${ms(histogram.percentile(99))} max ${ms(histogram.max)} ms`);
    histogram.reset();
  }, 1000).unref();
}

/**
 * How often simulated kubelets renew their Lease: every 10 s, as upstream's (a 40 s lease renewed at a
 * quarter), or a quarter of a shorter grace period, so that a lab started with a short
 * `--node-monitor-grace-period` (to see nodes go Unknown quickly) does not see healthy nodes flap.
 */
export function leaseRenewMs(nodeMonitorGracePeriodMs: number | undefined): number {
  return Math.max(100, Math.min(10_000, Math.floor((nodeMonitorGracePeriodMs ?? 40_000) / 4)));
}
