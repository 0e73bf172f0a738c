/**
 * `everynode up`: the lab's composition root. Opens the store, starts the API server, starts the
 * cluster side (controllers, scheduler, simulated nodes; in a worker thread unless single-threaded),
 * creates the lab's nodes and writes a kubeconfig that points kubectl at it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { isAlreadyExists } from '../api/errors.js';
import type { Node } from '../api/types.js';
import { ApiServer, LocalClient, servePort, type PortBridge, type Registry } from '../apiserver/index.js';
import { refs, type Client } from '../client/index.js';
import { simulatedAnnotation, simulatedPodLogs, staticPodsAnnotation, type FaultRule } from '../nodes/index.js';
import type { ClusterWorkerData, ClusterWorkerMessage } from './cluster-worker.js';
import { reportLoopDelay, startCluster, type ClusterOptions, type RunningCluster } from './cluster.js';
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
  /** How long an Event is kept after its last write (kube-apiserver's `--event-ttl`; default 1 hour, 0 forever). */
  eventTtlMs?: number;
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
  /**
   * Run the controllers, scheduler and simulated nodes on the API server's own thread instead of a
   * worker thread (slower under load; for diagnosis and comparison).
   */
  singleThread?: boolean;
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
  const clusterOptions: ClusterOptions = {
    nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs,
    startDelayMs: options.startDelayMs,
    readyDelayMs: options.readyDelayMs,
    stopDelayMs: options.stopDelayMs,
    jitterMs: options.jitterMs,
    faults: options.faults,
  };
  // The cluster thread loads its code while the store opens; its first requests wait in the port.
  const thread = options.singleThread === true ? undefined : spawnClusterThread(clusterOptions, options.log);
  let store: Store;
  let server: ApiServer;
  try {
    store = options.memory ? new MemoryStore() : await openSqlite(options.data);
    // The simulated kubelets answer for pod logs, as kubelets do behind kube-apiserver.
    server = new ApiServer({ store, log: options.log, podLogs: simulatedPodLogs, eventTtlMs: options.eventTtlMs });
    await server.start();
  } catch (error) {
    await thread?.abandon();
    throw error;
  }
  const client = new LocalClient(server.registry);
  const cluster = thread ? await thread.serve(server.registry) : await startCluster(client, clusterOptions, options.log);
  let address: { port: number };
  try {
    await ensureNodes(client, options.nodes ?? 0, options.controlPlane ?? 0, options.extraNodes ?? []);
    address = await server.listen(options.port, options.host);
  } catch (error) {
    // Nothing may keep running: the caller gets the error (e.g. the port is taken) and exits.
    await cluster.stop();
    await server.close();
    await store.close();
    throw error;
  }
  const url = `http://${formatHost(clientHost(options.host))}:${address.port}`;
  const kubeconfigPath = resolve(options.kubeconfig);
  writeKubeconfig(kubeconfigPath, url);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await cluster.stop();
      await server.close();
      await store.close();
      if (store instanceof SqliteStore) {
        const { transactions, writes } = store.stats();
        options.log?.(`store: ${writes} writes in ${transactions} transactions`);
      }
    })());
  options.log?.(`started in ${Math.round(performance.now() - started)} ms`);
  // A diagnostic for benchmarks: how long the event loop was held up, each second.
  if (process.env.EVERYNODE_LOOP_STATS) reportLoopDelay('api server:', (line) => options.log?.(line));
  return { server, store, url, kubeconfigPath, stop };
}

/** The directory of the control plane's static pod manifests, `lab/control-plane` in the package. */
export function controlPlaneStaticPods(): string {
  // Bundled (dist/everynode.js) or from source (src/cli/up.ts): the package root is the first
  // directory above this file that holds a package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'lab', 'control-plane');
}

/** A Node that the simulated fleet brings to life. */
export function simulatedNode(name: string, options: { controlPlane?: boolean } = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      // As the kubelet registers a node, and kubeadm marks a control plane.
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(options.controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: {
        [simulatedAnnotation]: 'true',
        // A kubeadm control plane runs etcd and the control plane's components as static pods.
        ...(options.controlPlane ? { [staticPodsAnnotation]: controlPlaneStaticPods() } : {}),
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
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
  const create = async (node: Node) => {
    try {
      await client.create(refs.nodes, undefined, node);
    } catch (error) {
      // Kept from an earlier run of the lab on the same data directory.
      if (!isAlreadyExists(error)) throw error;
    }
  };
  // Many at a time: they share transactions, so 5,000 nodes take a fraction of a second, not seconds.
  for (let start = 0; start < wanted.length; start += nodeCreatesAtOnce) {
    await Promise.all(wanted.slice(start, start + nodeCreatesAtOnce).map(create));
  }
}

/** Node creates in flight at once while a lab starts. */
const nodeCreatesAtOnce = 500;

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

interface ClusterThread {
  /** Answers the thread's requests from `registry`; resolves once its controllers have started. */
  serve(registry: Registry): Promise<RunningCluster>;
  /** Ends the thread when the API server could not start. */
  abandon(): Promise<void>;
}

/**
 * Starts the cluster side in a worker thread that reaches the API server through a MessagePort. Its
 * stop lets the controllers finish, then ends the thread.
 */
function spawnClusterThread(options: ClusterOptions, log?: (message: string) => void): ClusterThread {
  const channel = new MessageChannel();
  const workerData: ClusterWorkerData = { port: channel.port2, options };
  const [entry, entryOptions] = clusterWorkerEntry();
  const worker = new Worker(entry, { ...entryOptions, workerData, transferList: [channel.port2] });
  let bridge: PortBridge | undefined;
  let onStopped: (() => void) | undefined;
  let failed: ((error: Error) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    failed = reject;
    worker.on('message', (message: ClusterWorkerMessage) => {
      if (message.t === 'log') log?.(message.message);
      else if (message.t === 'ready') resolve();
      else if (message.t === 'stopped') onStopped?.();
      else failed?.(new Error(`the cluster thread failed: ${message.message}`));
    });
  });
  // Until serve() waits for it, a failure is only reported there.
  ready.catch(() => {});
  worker.on('error', (error) => failed?.(new Error(`the cluster thread failed: ${error.stack ?? error.message}`)));
  worker.on('exit', (code) => {
    bridge?.close();
    failed?.(new Error(`the cluster thread exited (code ${code})`));
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const stopped = new Promise<void>((resolve) => (onStopped = resolve));
      worker.postMessage({ t: 'stop' });
      await Promise.race([stopped, new Promise((resolve) => worker.once('exit', resolve))]);
      failed = undefined;
      await worker.terminate();
      bridge?.close();
    })());
  return {
    async serve(registry) {
      bridge = servePort(registry, channel.port1, { log });
      try {
        await ready;
      } catch (error) {
        await worker.terminate();
        throw error;
      }
      failed = (error) => log?.(error.message);
      return { stop };
    },
    async abandon() {
      failed = undefined;
      await worker.terminate();
      channel.port1.close();
    },
  };
}

/**
 * Bundled (dist/), the cluster thread's entry sits beside this file. Run from source (tests, through
 * tsx) it is a .ts file, and a worker does not inherit tsx's loader: a small bootstrap registers it.
 */
function clusterWorkerEntry(): [string | URL, { eval?: boolean }] {
  if (!import.meta.url.endsWith('.ts')) return [new URL('./cluster-worker.js', import.meta.url), {}];
  const entry = new URL('./cluster-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return [bootstrap, { eval: true }];
}
