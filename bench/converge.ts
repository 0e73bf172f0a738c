/**
 * `everynode bench converge --nodes N`: a lab with N simulated nodes (zero start and ready delay,
 * heartbeats on) gets a DaemonSet; the time from its creation until a separate watch client has seen
 * N pods Ready.
 *
 * Before the lab starts, the limit scenario (bench/limit.ts) runs for N pods in this process: the same
 * store writes with no server around them. The result reports the converge's ratio to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, isReadyPod, openWatch, round, rssMB, startServerProcess, waitForReadyNodes } from './lib.js';
import { benchLimit } from './limit.js';
import type { Timeline } from './plot.js';

export interface ConvergeBenchOptions {
  nodes: number;
  log: (line: string) => void;
  /**
   * Filled while the run lasts, as the watch client sees the pods: `created`, `scheduled` (bound to a
   * node) and `Ready`, in seconds from the DaemonSet's create. See `convergeSeries`.
   */
  timeline?: Timeline;
  /** Run the lab with `everynode up --single-thread` (for comparison). */
  singleThread?: boolean;
}

export interface ConvergeBenchResult {
  scenario: 'converge';
  nodes: number;
  ready: number;
  seconds: number;
  rssMB: number;
  /** The limit scenario's seconds for N pods' writes (same process, before the lab started). */
  limitSeconds: number;
  /** seconds / limitSeconds. */
  ratioToLimit: number;
}

/** The timeline's series, in legend order. */
export const convergeSeries = ['created', 'scheduled', 'Ready'] as const;

const agent = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'converge' },
  spec: {
    selector: { matchLabels: { app: 'converge' } },
    template: { metadata: { labels: { app: 'converge' } }, spec: { containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0' }] } },
  },
};

/** Pods by stage, as the watch client sees them: 0 created, 1 scheduled, 2 Ready. Counters kept incrementally. */
class PodStages {
  private readonly stages = new Map<string, number>();
  /** Pods at or past each stage. */
  readonly atLeast = [0, 0, 0];

  set(name: string, stage: number | undefined): void {
    const before = this.stages.get(name);
    if (before === stage) return;
    for (let s = 0; s <= (before ?? -1); s++) this.atLeast[s]!--;
    for (let s = 0; s <= (stage ?? -1); s++) this.atLeast[s]!++;
    if (stage === undefined) this.stages.delete(name);
    else this.stages.set(name, stage);
  }
}

export async function benchConverge(options: ConvergeBenchOptions): Promise<ConvergeBenchResult> {
  const { log, timeline } = options;
  const limit = await benchLimit({ pods: options.nodes, log });
  const dir = mkdtempSync(join(tmpdir(), 'everynode-converge-'));
  try {
    const server = await startServerProcess([
      '--data', join(dir, 'data'), '--kubeconfig', join(dir, 'kubeconfig'),
      '--nodes', String(options.nodes), '--control-plane', '0', '--start-delay', '0', '--ready-delay', '0',
      ...(options.singleThread ? ['--single-thread'] : []),
    ]);
    log(`lab with ${options.nodes} nodes ready in ${Math.round(server.startMs)} ms`);
    const client = new HttpClient(server.url, 4);
    await waitForReadyNodes(client, options.nodes, log);

    const pods = new PodStages();
    let started = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const list = JSON.parse((await client.send('GET', '/api/v1/namespaces/default/pods?limit=1')).text) as { metadata: { resourceVersion: string } };
    const watch = openWatch(server.url, `/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dconverge&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
      const pod = event.object;
      const stage = event.type === 'DELETED' ? undefined : isReadyPod(pod) ? 2 : pod.spec?.nodeName ? 1 : 0;
      pods.set(pod.metadata.name as string, stage);
      if (timeline && started > 0) {
        const t = (performance.now() - started) / 1000;
        convergeSeries.forEach((name, s) => timeline.record(name, t, pods.atLeast[s]!));
      }
      if (pods.atLeast[2]! >= options.nodes) resolveDone();
    });
    await watch.opened;

    started = performance.now();
    for (const name of convergeSeries) timeline?.record(name, 0, 0);
    const progress = setInterval(() => log(`  ${pods.atLeast[2]}/${options.nodes} pods Ready after ${round((performance.now() - started) / 1000, 1)} s`), 1000);
    const created = await client.send('POST', '/apis/apps/v1/namespaces/default/daemonsets', JSON.stringify(agent));
    if (created.status !== 201) throw new Error(`DaemonSet create answered ${created.status}: ${created.text}`);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise((resolve) => (timeout = setTimeout(resolve, 120_000)))]);
    clearTimeout(timeout);
    const seconds = round((performance.now() - started) / 1000, 3);
    clearInterval(progress);
    timeline?.finish(seconds);
    const rss = rssMB(server.child.pid!);
    const ready = pods.atLeast[2]!;
    const ratioToLimit = round(seconds / limit.seconds, 2);
    log(`${ready} of ${options.nodes} pods Ready in ${seconds} s; server RSS ${rss} MB`);
    log(`ratio to the limit: ${ratioToLimit}× (the store and JSON alone write ${options.nodes} pods' worth in ${limit.seconds} s)`);
    watch.stop();
    client.close();
    await server.stop();
    return { scenario: 'converge', nodes: options.nodes, ready, seconds, rssMB: rss, limitSeconds: limit.seconds, ratioToLimit };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
