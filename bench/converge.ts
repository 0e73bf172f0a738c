/**
 * `everynode bench converge --nodes N`: a lab with N simulated nodes (zero start and ready delay,
 * heartbeats on) gets a DaemonSet; the time from its creation until a separate watch client has seen
 * N pods Ready.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, isReadyPod, openWatch, round, rssMB, startServerProcess, waitForReadyNodes } from './lib.js';

export interface ConvergeBenchOptions {
  nodes: number;
  log: (line: string) => void;
}

export interface ConvergeBenchResult {
  scenario: 'converge';
  nodes: number;
  ready: number;
  seconds: number;
  rssMB: number;
}

const agent = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'converge' },
  spec: {
    selector: { matchLabels: { app: 'converge' } },
    template: { metadata: { labels: { app: 'converge' } }, spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0' }] } },
  },
};

export async function benchConverge(options: ConvergeBenchOptions): Promise<ConvergeBenchResult> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'everynode-converge-'));
  try {
    const server = await startServerProcess([
      '--data', join(dir, 'data'), '--kubeconfig', join(dir, 'kubeconfig'),
      '--nodes', String(options.nodes), '--control-plane', '0', '--start-delay', '0', '--ready-delay', '0',
    ]);
    log(`lab with ${options.nodes} nodes ready in ${Math.round(server.startMs)} ms`);
    const client = new HttpClient(server.url, 4);
    await waitForReadyNodes(client, options.nodes, log);

    const ready = new Set<string>();
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const list = JSON.parse((await client.send('GET', '/api/v1/namespaces/default/pods?limit=1')).text) as { metadata: { resourceVersion: string } };
    const watch = openWatch(server.url, `/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dconverge&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
      if (event.type !== 'DELETED' && isReadyPod(event.object)) ready.add(event.object.metadata.name as string);
      if (ready.size >= options.nodes) resolveDone();
    });
    await watch.opened;

    const started = performance.now();
    const progress = setInterval(() => log(`  ${ready.size}/${options.nodes} pods Ready after ${round((performance.now() - started) / 1000, 1)} s`), 1000);
    const created = await client.send('POST', '/apis/apps/v1/namespaces/default/daemonsets', JSON.stringify(agent));
    if (created.status !== 201) throw new Error(`DaemonSet create answered ${created.status}: ${created.text}`);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((resolve) => (timeout = setTimeout(resolve, 120_000)))]);
    clearTimeout(timeout);
    const seconds = round((performance.now() - started) / 1000, 3);
    clearInterval(progress);
    const rss = rssMB(server.child.pid!);
    log(`${ready.size} of ${options.nodes} pods Ready in ${seconds} s; server RSS ${rss} MB`);
    watch.stop();
    client.close();
    await server.stop();
    return { scenario: 'converge', nodes: options.nodes, ready: ready.size, seconds, rssMB: rss };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
