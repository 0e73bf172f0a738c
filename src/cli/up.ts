/**
 * `everynode up`: the lab's composition root. Opens the store, starts the API server and writes a
 * kubeconfig that points kubectl at it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ApiServer, LocalClient } from '../apiserver/index.js';
import { DaemonSetController, GarbageCollector, NamespaceController } from '../controllers/index.js';
import { SimulatedFleet } from '../nodes/index.js';
import { Scheduler } from '../scheduler/index.js';
import { MemoryStore, SqliteStore, type Store } from '../store/index.js';

export interface UpOptions {
  port: number;
  host: string;
  /** Data directory for the SQLite store; ignored with `memory`. */
  data: string;
  kubeconfig: string;
  memory: boolean;
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
  const server = new ApiServer({ store, log: options.log });
  await server.start();
  const client = new LocalClient(server.registry);
  const controllerLog = (message: string, fields?: Record<string, unknown>) =>
    options.log?.(fields ? `${message} ${JSON.stringify(fields)}` : message);
  const controllers = [
    new GarbageCollector({ client, log: controllerLog }),
    new NamespaceController({ client, log: controllerLog }),
    new Scheduler({ client, log: controllerLog }),
    new DaemonSetController({ client, log: controllerLog }),
    new SimulatedFleet({ client, log: controllerLog }),
  ];
  await Promise.all(controllers.map((c) => c.start()));
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
    })());
  options.log?.(`started in ${Math.round(performance.now() - started)} ms`);
  return { server, store, url, kubeconfigPath, stop };
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
