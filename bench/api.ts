/**
 * `everynode bench api`: the API server alone, measured from a separate client process over HTTP.
 *
 * 1. cold start with an empty store;
 * 2. pod creates with 32 concurrent clients (throughput, p50/p99);
 * 3. GETs of single pods, 32 concurrent (p50/p99);
 * 4. LISTs of all pods (p50/p99);
 * 5. watch delivery: time from sending an update to its event arriving on a watch (p50/p99);
 * 6. server RSS after all that;
 * 7. cold start again with the objects stored (topped up with ConfigMaps to `stored`), restarting on
 *    the same data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient, benchOwner, daemonPod, openWatch, percentile, round, rssMB, runConcurrently, startServerProcess } from './lib.js';

export interface ApiBenchOptions {
  pods: number;
  connections: number;
  /** Objects in the store for the second cold start (pods plus ConfigMaps that top up to this count). */
  stored: number;
  log: (line: string) => void;
}

export interface ApiBenchResult {
  scenario: 'api';
  pods: number;
  connections: number;
  createsPerSecond: number;
  p50CreateMs: number;
  p99CreateMs: number;
  p50GetMs: number;
  p99GetMs: number;
  p50ListMs: number;
  p99ListMs: number;
  listItems: number;
  p50WatchMs: number;
  p99WatchMs: number;
  rssMB: number;
  coldStartEmptyMs: number;
  coldStartStoredMs: number;
  storedObjects: number;
}

const podsPath = '/api/v1/namespaces/default/pods';

export async function benchApi(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'everynode-bench-'));
  try {
    const labArgs = ['--data', join(dir, 'data'), '--kubeconfig', join(dir, 'kubeconfig'), '--nodes', '0', '--control-plane', '0'];
    const server = await startServerProcess(labArgs);
    log(`cold start (empty store): ${Math.round(server.startMs)} ms`);
    const client = new HttpClient(server.url, options.connections);

    const owner = await client.send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify(benchOwner));
    const ownerUid = (JSON.parse(owner.text) as { metadata: { uid: string } }).metadata.uid;

    const createStarted = performance.now();
    const createLatencies = await runConcurrently(options.pods, options.connections, async (i) => {
      const response = await client.send('POST', podsPath, JSON.stringify(daemonPod(`bench-${i}`, `node-${i}`, ownerUid)));
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${response.text}`);
    });
    const createSeconds = (performance.now() - createStarted) / 1000;
    const createsPerSecond = Math.round(options.pods / createSeconds);
    log(`creates: ${options.pods} pods in ${round(createSeconds)} s = ${createsPerSecond}/s, p50 ${percentile(createLatencies, 50)} ms, p99 ${percentile(createLatencies, 99)} ms`);

    const getLatencies = await runConcurrently(options.pods, options.connections, async (i) => {
      const response = await client.send('GET', `${podsPath}/bench-${(i * 7919) % options.pods}`);
      if (response.status !== 200) throw new Error(`get answered ${response.status}`);
    });
    log(`gets: p50 ${percentile(getLatencies, 50)} ms, p99 ${percentile(getLatencies, 99)} ms`);

    let listItems = 0;
    const listLatencies = await runConcurrently(20, 1, async () => {
      const response = await client.send('GET', podsPath);
      listItems = (JSON.parse(response.text) as { items: unknown[] }).items.length;
    });
    log(`lists of ${listItems} pods: p50 ${percentile(listLatencies, 50)} ms, p99 ${percentile(listLatencies, 99)} ms`);

    const watchLatencies = await measureWatchDelivery(server.url, client, Math.min(1000, options.pods), options.connections);
    log(`watch delivery: p50 ${percentile(watchLatencies, 50)} ms, p99 ${percentile(watchLatencies, 99)} ms`);

    const rss = rssMB(server.child.pid!);
    log(`server RSS: ${rss} MB`);
    const topUp = Math.max(0, options.stored - options.pods);
    await runConcurrently(topUp, options.connections, async (i) => {
      const response = await client.send('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: `fill-${i}` }, data: { index: String(i) } }));
      if (response.status !== 201) throw new Error(`configmap create answered ${response.status}`);
    });
    const storedObjects = options.pods + topUp;
    client.close();
    await server.stop();

    const restarted = await startServerProcess(labArgs);
    log(`cold start (${storedObjects} objects stored): ${Math.round(restarted.startMs)} ms`);
    await restarted.stop();

    return {
      scenario: 'api',
      pods: options.pods,
      connections: options.connections,
      createsPerSecond,
      p50CreateMs: percentile(createLatencies, 50),
      p99CreateMs: percentile(createLatencies, 99),
      p50GetMs: percentile(getLatencies, 50),
      p99GetMs: percentile(getLatencies, 99),
      p50ListMs: percentile(listLatencies, 50),
      p99ListMs: percentile(listLatencies, 99),
      listItems,
      p50WatchMs: percentile(watchLatencies, 50),
      p99WatchMs: percentile(watchLatencies, 99),
      rssMB: rss,
      coldStartEmptyMs: Math.round(server.startMs),
      coldStartStoredMs: Math.round(restarted.startMs),
      storedObjects,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Updates `count` pods (with `concurrency` writers) while a watch is open, and measures for each update
 * the time from sending it to seeing its event on the watch.
 */
async function measureWatchDelivery(url: string, client: HttpClient, count: number, concurrency: number): Promise<number[]> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const list = JSON.parse((await client.send('GET', `${podsPath}?limit=1`)).text) as { metadata: { resourceVersion: string } };
  let resolveAll!: () => void;
  const allSeen = new Promise<void>((resolve) => (resolveAll = resolve));
  const watch = openWatch(url, `${podsPath}?watch=true&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
    const mark = (event.object.metadata.annotations as Record<string, string> | undefined)?.['bench/mark'];
    const sent = mark ? sentAt.get(mark) : undefined;
    if (sent === undefined) return;
    latencies.push(performance.now() - sent);
    sentAt.delete(mark!);
    if (latencies.length === count) resolveAll();
  });
  await watch.opened;
  await runConcurrently(count, concurrency, async (i) => {
    const mark = `m${i}`;
    sentAt.set(mark, performance.now());
    const response = await client.send('PATCH', `${podsPath}/bench-${i}`, JSON.stringify({ metadata: { annotations: { 'bench/mark': mark } } }), 'application/merge-patch+json');
    if (response.status !== 200) throw new Error(`patch answered ${response.status}: ${response.text}`);
  });
  await Promise.race([allSeen, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  watch.stop();
  return latencies;
}
