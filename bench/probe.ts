/**
 * The latency probe: a separate client process that, while a benchmark runs, keeps a steady trickle of
 * ordinary API traffic going and times it — writes (merge patches of a ConfigMap), GETs (of nodes), a
 * LIST of every pod, and watch delivery (from sending a patch to seeing its event on a watch). It runs
 * until its stdin closes, then prints one JSON line with the percentiles.
 *
 * Started by other benchmarks as `everynode bench probe --url URL`; not meant to be run by hand.
 */
import { HttpClient, openWatch, percentile } from './lib.js';

export interface ProbeResult {
  writes: number;
  gets: number;
  lists: number;
  watchEvents: number;
  p50WriteMs: number;
  p99WriteMs: number;
  p50GetMs: number;
  p99GetMs: number;
  p50ListMs: number;
  p99ListMs: number;
  p50WatchMs: number;
  p99WatchMs: number;
}

const probeName = 'bench-probe';
const configMapsPath = '/api/v1/namespaces/default/configmaps';

/** Times requests at fixed intervals until `stopped` resolves; `onReady` is called when the timing starts. */
export async function runProbe(url: string, stopped: Promise<void>, onReady: () => void = () => {}): Promise<ProbeResult> {
  const client = new HttpClient(url, 8);
  const writes: number[] = [];
  const gets: number[] = [];
  const lists: number[] = [];
  const watchDelays: number[] = [];
  let done = false;
  void stopped.then(() => (done = true));

  const created = await client.send('POST', configMapsPath, JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: probeName }, data: { mark: '0' } }));
  if (created.status !== 201 && created.status !== 409) throw new Error(`probe ConfigMap create answered ${created.status}: ${created.text}`);
  const nodes = (JSON.parse((await client.send('GET', '/api/v1/nodes')).text) as { items: { metadata: { name: string } }[] }).items.map((n) => n.metadata.name);

  const sentAt = new Map<string, number>();
  const list = JSON.parse((await client.send('GET', `${configMapsPath}?fieldSelector=metadata.name%3D${probeName}`)).text) as { metadata: { resourceVersion: string } };
  const watch = openWatch(url, `${configMapsPath}?watch=true&fieldSelector=metadata.name%3D${probeName}&resourceVersion=${list.metadata.resourceVersion}`, (event) => {
    const mark = event.object?.data?.mark as string | undefined;
    const sent = mark === undefined ? undefined : sentAt.get(mark);
    if (sent === undefined) return;
    sentAt.delete(mark!);
    watchDelays.push(performance.now() - sent);
  });
  await watch.opened;
  onReady();

  /** Calls `task` every `intervalMs` (never two at once) until stopped, recording each duration in `into`. */
  const every = async (intervalMs: number, into: number[], task: () => Promise<void>) => {
    while (!done) {
      const started = performance.now();
      await task();
      into.push(performance.now() - started);
      const wait = intervalMs - (performance.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  };
  let mark = 0;
  await Promise.all([
    every(50, writes, async () => {
      const id = String(++mark);
      sentAt.set(id, performance.now());
      const response = await client.send('PATCH', `${configMapsPath}/${probeName}`, JSON.stringify({ data: { mark: id } }), 'application/merge-patch+json');
      if (response.status !== 200) throw new Error(`probe patch answered ${response.status}: ${response.text}`);
    }),
    every(50, gets, async () => {
      const node = nodes[Math.floor(Math.random() * nodes.length)];
      const response = await client.send('GET', `/api/v1/nodes/${node}`);
      if (response.status !== 200) throw new Error(`probe GET answered ${response.status}`);
    }),
    every(1000, lists, async () => {
      const response = await client.receive('GET', '/api/v1/pods');
      if (response.status !== 200) throw new Error(`probe LIST answered ${response.status}`);
    }),
  ]);
  // Let the last patches' events arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  watch.stop();
  client.close();
  return {
    writes: writes.length,
    gets: gets.length,
    lists: lists.length,
    watchEvents: watchDelays.length,
    p50WriteMs: percentile(writes, 50),
    p99WriteMs: percentile(writes, 99),
    p50GetMs: percentile(gets, 50),
    p99GetMs: percentile(gets, 99),
    p50ListMs: percentile(lists, 50),
    p99ListMs: percentile(lists, 99),
    p50WatchMs: percentile(watchDelays, 50),
    p99WatchMs: percentile(watchDelays, 99),
  };
}
