/**
 * `everynode bench rollout --nodes N --max-unavailable 10%`: a lab with N simulated nodes (zero start and
 * ready delay, heartbeats on) converges a DaemonSet, then its image changes; the time from the change
 * until every node runs a Ready pod of the new template and the DaemonSet reports the rollout done.
 * Meanwhile a separate probe process (bench/probe.ts) times ordinary API traffic over HTTP.
 *
 * Before the lab starts, the limit scenario (bench/limit.ts) runs for N pods in this process, and the
 * result reports the rollout's ratio to it. The limit is a converge's writes (4 per pod); a rollout
 * writes 6 per pod (counted: the old pod's graceful and final delete, then what a converge writes).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, isReadyPod, openWatch, round, rssMB, startServerProcess, waitForReadyNodes } from './lib.js';
import { benchLimit } from './limit.js';
import type { Timeline } from './plot.js';
import type { ProbeResult } from './probe.js';

export interface RolloutBenchOptions {
  nodes: number;
  /** A number of nodes or a percentage, as in the DaemonSet's rollingUpdate.maxUnavailable. */
  maxUnavailable: string;
  log: (line: string) => void;
  /**
   * Filled during the update, as the watch client sees the pods: `updated` (pods of the new template),
   * `new pods Ready`, `old pods Ready`, in seconds from the template change. See `rolloutSeries`.
   */
  timeline?: Timeline;
  /** Run the lab with `everynode up --single-thread` (for comparison). */
  singleThread?: boolean;
}

export interface RolloutBenchResult {
  scenario: 'rollout';
  nodes: number;
  maxUnavailable: string;
  ready: number;
  seconds: number;
  p99WriteMs: number;
  p99GetMs: number;
  p99ListMs: number;
  p99WatchMs: number;
  rssMB: number;
  /** The limit scenario's seconds for N pods' writes (same process, before the lab started). */
  limitSeconds: number;
  /** seconds / limitSeconds. */
  ratioToLimit: number;
}

/** The timeline's series, in legend order. */
export const rolloutSeries = ['updated', 'new pods Ready', 'old pods Ready'] as const;

const daemonSetsPath = '/apis/apps/v1/namespaces/default/daemonsets';
const oldImage = 'registry.example.com/agent:1.0';
const newImage = 'registry.example.com/agent:2.0';

function agent(maxUnavailable: string): Record<string, unknown> {
  const value = /^\d+$/.test(maxUnavailable) ? Number(maxUnavailable) : maxUnavailable;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'rollout' },
    spec: {
      selector: { matchLabels: { app: 'rollout' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: value } },
      template: { metadata: { labels: { app: 'rollout' } }, spec: { containers: [{ name: 'agent', image: oldImage }] } },
    },
  };
}

interface DaemonSetJson {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; desiredNumberScheduled?: number; updatedNumberScheduled?: number; numberAvailable?: number };
}

/** Whether the DaemonSet reports every one of `nodes` pods updated and available for its latest spec. */
function rolledOut(ds: DaemonSetJson, nodes: number): boolean {
  const s = ds.status ?? {};
  return (s.observedGeneration ?? 0) >= (ds.metadata.generation ?? 1) && s.desiredNumberScheduled === nodes && s.updatedNumberScheduled === nodes && s.numberAvailable === nodes;
}

/** Pods by name (image, readiness) as the watch client sees them, with counts per image kept incrementally. */
class PodTally {
  private readonly pods = new Map<string, { image: string; ready: boolean }>();
  private readonly all = new Map<string, number>();
  private readonly ready = new Map<string, number>();

  set(name: string, pod: { image: string; ready: boolean } | undefined): void {
    const before = this.pods.get(name);
    if (before) {
      this.all.set(before.image, this.withImage(before.image) - 1);
      if (before.ready) this.ready.set(before.image, this.readyWith(before.image) - 1);
    }
    if (!pod) {
      this.pods.delete(name);
      return;
    }
    this.pods.set(name, pod);
    this.all.set(pod.image, this.withImage(pod.image) + 1);
    if (pod.ready) this.ready.set(pod.image, this.readyWith(pod.image) + 1);
  }

  withImage(image: string): number {
    return this.all.get(image) ?? 0;
  }

  readyWith(image: string): number {
    return this.ready.get(image) ?? 0;
  }
}

export async function benchRollout(options: RolloutBenchOptions): Promise<RolloutBenchResult> {
  const { log, nodes, timeline } = options;
  const limit = await benchLimit({ pods: nodes, log });
  const dir = mkdtempSync(join(tmpdir(), 'everynode-rollout-'));
  try {
    const server = await startServerProcess([
      '--data', join(dir, 'data'), '--kubeconfig', join(dir, 'kubeconfig'),
      '--nodes', String(nodes), '--control-plane', '0', '--start-delay', '0', '--ready-delay', '0',
      ...(options.singleThread ? ['--single-thread'] : []),
    ]);
    log(`lab with ${nodes} nodes ready in ${Math.round(server.startMs)} ms`);
    const client = new HttpClient(server.url, 4);
    await waitForReadyNodes(client, nodes, log);

    // Pods by name: their image and readiness, as a watch client sees them.
    const pods = new PodTally();
    let latest: DaemonSetJson | undefined;
    let wake = () => {};
    /** When the template changed (0 before): the timeline's origin. */
    let started = 0;
    const sample = () => {
      if (!timeline || started === 0) return;
      const t = (performance.now() - started) / 1000;
      timeline.record(rolloutSeries[0], t, pods.withImage(newImage));
      timeline.record(rolloutSeries[1], t, pods.readyWith(newImage));
      timeline.record(rolloutSeries[2], t, pods.readyWith(oldImage));
    };
    const podWatch = openWatch(server.url, '/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Drollout', (event) => {
      const name = event.object.metadata.name as string;
      if (event.type === 'DELETED') pods.set(name, undefined);
      else pods.set(name, { image: event.object.spec.containers[0].image, ready: isReadyPod(event.object) && !event.object.metadata.deletionTimestamp });
      sample();
      wake();
    });
    const dsWatch = openWatch(server.url, `${daemonSetsPath}?watch=true&fieldSelector=metadata.name%3Drollout`, (event) => {
      if (event.type !== 'DELETED') latest = event.object as DaemonSetJson;
      wake();
    });
    await Promise.all([podWatch.opened, dsWatch.opened]);
    const readyWith = (image: string) => pods.readyWith(image);
    const until = (done: () => boolean, timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        wake = () => {
          if (!done()) return;
          clearTimeout(timer);
          resolve(true);
        };
        wake();
      });

    const created = await client.send('POST', daemonSetsPath, JSON.stringify(agent(options.maxUnavailable)));
    if (created.status !== 201) throw new Error(`DaemonSet create answered ${created.status}: ${created.text}`);
    const convergeStarted = performance.now();
    if (!(await until(() => readyWith(oldImage) >= nodes && latest !== undefined && rolledOut(latest, nodes), 300_000))) throw new Error('the DaemonSet did not converge within 5 minutes');
    log(`converged: ${nodes} pods Ready in ${round((performance.now() - convergeStarted) / 1000, 2)} s`);

    const probe = await startProbeProcess(server.url);
    started = performance.now();
    if (timeline) for (const name of rolloutSeries) timeline.record(name, 0, name === 'old pods Ready' ? readyWith(oldImage) : 0);
    const progress = setInterval(() => {
      const s = latest?.status ?? {};
      log(`  ${round((performance.now() - started) / 1000, 1)} s: ${s.updatedNumberScheduled ?? 0}/${nodes} updated, ${readyWith(newImage)} new pods Ready, ${s.numberAvailable ?? 0} available`);
    }, 1000);
    const patched = await client.send('PATCH', `${daemonSetsPath}/rollout`, JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'agent', image: newImage }] } } } }), 'application/strategic-merge-patch+json');
    if (patched.status !== 200) throw new Error(`image change answered ${patched.status}: ${patched.text}`);
    const finished = await until(() => readyWith(newImage) >= nodes && readyWith(oldImage) === 0 && latest !== undefined && rolledOut(latest, nodes), 600_000);
    const seconds = round((performance.now() - started) / 1000, 3);
    clearInterval(progress);
    timeline?.finish(seconds);
    const latencies = await probe.stop();
    const rss = rssMB(server.child.pid!);
    const ready = readyWith(newImage);
    const ratioToLimit = round(seconds / limit.seconds, 2);
    log(`${finished ? 'rolled out' : 'NOT rolled out (timed out)'}: ${ready} of ${nodes} new pods Ready in ${seconds} s; server RSS ${rss} MB`);
    log(`ratio to the limit: ${ratioToLimit}× (the store and JSON alone write ${nodes} pods' worth of a converge in ${limit.seconds} s)`);
    log(
      `during the rollout (${latencies.writes} writes, ${latencies.gets} GETs, ${latencies.lists} LISTs, ${latencies.watchEvents} watch events): ` +
        `write p50/p99 ${latencies.p50WriteMs}/${latencies.p99WriteMs} ms, GET ${latencies.p50GetMs}/${latencies.p99GetMs} ms, ` +
        `LIST of all pods ${latencies.p50ListMs}/${latencies.p99ListMs} ms, watch delivery ${latencies.p50WatchMs}/${latencies.p99WatchMs} ms`,
    );
    podWatch.stop();
    dsWatch.stop();
    client.close();
    await server.stop();
    return {
      scenario: 'rollout',
      nodes,
      maxUnavailable: options.maxUnavailable,
      ready,
      seconds,
      p99WriteMs: latencies.p99WriteMs,
      p99GetMs: latencies.p99GetMs,
      p99ListMs: latencies.p99ListMs,
      p99WatchMs: latencies.p99WatchMs,
      rssMB: rss,
      limitSeconds: limit.seconds,
      ratioToLimit,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts `everynode bench probe` against `url`; `stop()` ends it and returns its figures. */
async function startProbeProcess(url: string): Promise<{ stop(): Promise<ProbeResult> }> {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, 'bench', 'probe', '--url', url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (stdout.includes('probing\n')) resolve();
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`the probe exited with ${code} before starting`)));
  });
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      child.stdin!.end();
      await exited;
      const last = stdout.trim().split('\n').pop() ?? '';
      return JSON.parse(last) as ProbeResult;
    },
  };
}
