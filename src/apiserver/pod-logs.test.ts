import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { StatusError } from '../api/errors.js';
import type { LogLine } from '../api/logs.js';
import type { ContainerStatus, Node, Pod } from '../api/types.js';
import { refs, type Client } from '../client/index.js';
import { simulatedPodLogs } from '../nodes/index.js';
import { MemoryStore } from '../store/index.js';
import { request } from '../testing/http.js';
import { LocalClient } from './local-client.js';
import { kubeletUnreachable, logContainer, logTimestamp, podLogOptions, selectLines, type PodLogOptions } from './pod-logs.js';
import { ApiServer } from './server.js';

const statusOf = (fn: () => unknown): { code: number; message: string } | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (!(error instanceof StatusError)) throw error;
    return { code: error.code, message: error.message };
  }
};

describe('podLogOptions(): decoding and validating the query as upstream', () => {
  const cases: { query: string; want?: Partial<PodLogOptions>; error?: { code: number; message: string } }[] = [
    { query: '', want: { follow: false, previous: false, timestamps: false } },
    { query: 'container=c&follow=true&previous=1&timestamps=True', want: { container: 'c', follow: true, previous: true, timestamps: true } },
    { query: 'follow=false&previous=0&timestamps=FALSE', want: { follow: false, previous: false, timestamps: false } },
    { query: 'follow=', want: { follow: true } },
    { query: 'tailLines=10&limitBytes=100&sinceSeconds=60', want: { tailLines: 10, limitBytes: 100, sinceSeconds: 60 } },
    { query: 'tailLines=0', want: { tailLines: 0 } },
    { query: 'sinceTime=2026-11-24T19:23:07Z', want: { sinceTime: Date.parse('2026-11-24T19:23:07Z') } },
    { query: 'sinceTime=null', want: { sinceTime: undefined } },
    { query: 'sinceTime=2026-11-24T9:23:07.5%2B02:00', want: { sinceTime: Date.parse('2026-11-24T07:23:07.500Z') } },
    { query: 'tailLines=abc', error: { code: 400, message: 'strconv.ParseInt: parsing "abc": invalid syntax' } },
    { query: 'limitBytes=', error: { code: 400, message: 'strconv.ParseInt: parsing "": invalid syntax' } },
    { query: 'sinceSeconds=99999999999999999999', error: { code: 400, message: 'strconv.ParseInt: parsing "99999999999999999999": value out of range' } },
    { query: 'sinceTime=yesterday', error: { code: 400, message: 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"' } },
    { query: 'tailLines=-1', error: { code: 422, message: 'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0' } },
    { query: 'limitBytes=0', error: { code: 422, message: 'PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0' } },
    { query: 'sinceSeconds=0', error: { code: 422, message: 'PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0' } },
    {
      query: 'sinceSeconds=10&sinceTime=2026-11-24T19:23:07Z',
      error: { code: 422, message: 'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified' },
    },
  ];
  for (const c of cases) {
    it(c.query || '(empty)', () => {
      const query = new URLSearchParams(c.query);
      if (c.error) return assert.deepEqual(statusOf(() => podLogOptions(query, 'p')), c.error);
      const got = podLogOptions(query, 'p');
      for (const [key, value] of Object.entries(c.want!)) assert.equal(got[key as keyof PodLogOptions], value, key);
    });
  }
});

describe('logContainer(): upstream validateContainer', () => {
  const pod = (containers: string[], init: string[] = []): Pod => ({
    metadata: { name: 'p' },
    spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
  });
  const cases: { name: string; pod: Pod; requested?: string; want?: string; error?: string }[] = [
    { name: 'the only container', pod: pod(['a']), want: 'a' },
    { name: 'a named one', pod: pod(['a', 'b']), requested: 'b', want: 'b' },
    { name: 'an init container by name', pod: pod(['a'], ['setup']), requested: 'setup', want: 'setup' },
    { name: 'several, none named', pod: pod(['a', 'b'], ['setup']), error: 'a container name must be specified for pod p, choose one of: [setup a b]' },
    { name: 'an unknown name', pod: pod(['a']), requested: 'x', error: 'container x is not valid for pod p' },
    { name: 'no containers', pod: pod([]), error: 'a container name must be specified for pod p' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.error) assert.deepEqual(statusOf(() => logContainer(c.pod, c.requested)), { code: 400, message: c.error });
      else assert.equal(logContainer(c.pod, c.requested), c.want);
    });
  }
});

describe('selectLines(): the kubelet applies tailLines, then the since time', () => {
  const now = 100_000;
  const lines: LogLine[] = [10_000, 40_000, 70_000, 95_000].map((time, i) => ({ time, text: `l${i}` }));
  const base = { follow: false, previous: false, timestamps: false };
  const cases: { name: string; options: Partial<PodLogOptions>; want: string[] }[] = [
    { name: 'everything', options: {}, want: ['l0', 'l1', 'l2', 'l3'] },
    { name: 'tailLines=2', options: { tailLines: 2 }, want: ['l2', 'l3'] },
    { name: 'tailLines=0', options: { tailLines: 0 }, want: [] },
    { name: 'tailLines beyond the log', options: { tailLines: 10 }, want: ['l0', 'l1', 'l2', 'l3'] },
    { name: 'sinceSeconds=30 keeps lines at or after now-30s', options: { sinceSeconds: 30 }, want: ['l2', 'l3'] },
    { name: 'sinceTime', options: { sinceTime: 40_000 }, want: ['l1', 'l2', 'l3'] },
    { name: 'tail first, then since', options: { tailLines: 3, sinceSeconds: 60 }, want: ['l1', 'l2', 'l3'] },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(selectLines(lines, { ...base, ...c.options }, now).map((l) => l.text), c.want));
  }
  it('timestamps have nine fractional digits (RFC3339NanoFixed)', () => {
    assert.equal(logTimestamp(Date.parse('2026-11-24T19:23:07.004Z')), '2026-11-24T19:23:07.004000000Z');
    assert.equal(logTimestamp(Date.parse('2026-11-24T19:23:07Z')), '2026-11-24T19:23:07.000000000Z');
  });
});

describe('kubeletUnreachable()', () => {
  const node: Node = {
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    status: { addresses: [{ type: 'InternalIP', address: '10.1.2.3' }, { type: 'Hostname', address: 'node-1' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
  };
  const options: PodLogOptions = { container: 'c', follow: true, previous: false, timestamps: true, tailLines: 5 };
  it('is the Go client dial error, with the kubelet URL as LogLocation builds it', () => {
    const error = kubeletUnreachable(node, 'default', 'web', 'c', options);
    assert.equal(error.code, 500);
    assert.equal(error.reason, undefined);
    assert.equal(error.message, 'Get "https://node-1:10250/containerLogs/default/web/c?follow=true&tailLines=5&timestamps=true": dial tcp 10.1.2.3:10250: connect: connection refused');
  });
  it('a node without addresses', () => {
    assert.equal(kubeletUnreachable({ metadata: { name: 'n' } }, 'default', 'web', 'c', options).message, 'no preferred addresses found; known addresses: []');
  });
});

// ------------------------------------------------------------------------------------------------
// Over HTTP

/** Reads a text stream as it arrives. */
class TextReader {
  text = '';
  readonly ended: Promise<void>;
  status?: number;
  headers?: http.IncomingHttpHeaders;
  private readonly req: http.ClientRequest;
  private waiters: (() => void)[] = [];

  constructor(url: string) {
    let ended!: () => void;
    this.ended = new Promise((resolve) => (ended = resolve));
    this.req = http.get(url, (res) => {
      this.status = res.statusCode;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.text += chunk;
        for (const w of this.waiters.splice(0)) w();
      });
      res.on('end', ended);
      res.on('close', ended);
    });
    this.req.on('error', ended);
  }

  get lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }

  /** Waits until at least `n` lines have arrived. */
  async waitForLines(n: number, timeoutMs = 5000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length < n) {
      if (Date.now() > deadline) throw new Error(`only ${this.lines.length} lines within ${timeoutMs} ms: ${this.text}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.lines;
  }

  close(): void {
    this.req.destroy();
  }
}

const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const runningStatus = (names: string[], startedAt: string): Pod['status'] => ({
  phase: 'Running',
  startTime: startedAt,
  podIP: '10.244.0.9',
  containerStatuses: names.map((name): ContainerStatus => ({ name, image: 'x', imageID: '', ready: true, restartCount: 0, containerID: `containerd://${name}`, state: { running: { startedAt } } })),
});

describe('GET pods/log over HTTP', () => {
  let server: ApiServer;
  let bare: ApiServer;
  let client: Client;
  let base: string;
  let bareBase: string;
  const startedAt = time(Date.now() - 25_000);

  const createPod = async (name: string, spec: Partial<Pod['spec']> & Pick<Pod['spec'], 'containers'>, status?: Pod['status']) => {
    await client.create<Pod>(refs.pods, 'default', { metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1', ...spec } });
    if (status) await client.patch(refs.pods, 'default', name, 'merge', { status }, { subresource: 'status' });
  };
  const ticker = (name: string) =>
    createPod(name, { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'] }] }, runningStatus(['c'], time(Date.now())));

  before(async () => {
    const store = new MemoryStore();
    server = new ApiServer({ store, log: () => {}, podLogs: simulatedPodLogs });
    await server.start();
    base = `http://127.0.0.1:${(await server.listen(0)).port}`;
    client = new LocalClient(server.registry);
    await client.create<Node>(refs.nodes, undefined, { metadata: { name: 'node-1', annotations: { 'everynode.dev/simulated': 'true' } } });
    await client.patch(refs.nodes, undefined, 'node-1', 'merge', { status: { addresses: [{ type: 'InternalIP', address: '10.1.2.3' }, { type: 'Hostname', address: 'node-1' }] } }, { subresource: 'status' });
    await createPod('web', { containers: [{ name: 'web', image: 'nginx:1.25' }] }, runningStatus(['web'], startedAt));
    await createPod('duo', { initContainers: [{ name: 'setup', image: 'busybox' }], containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'busybox' }] }, runningStatus(['app', 'sidecar'], startedAt));
    await createPod('creating', { containers: [{ name: 'app', image: 'nginx' }] }, { phase: 'Pending', containerStatuses: [{ name: 'app', image: 'nginx', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] });
    await createPod('unbound', { nodeName: undefined, containers: [{ name: 'app', image: 'nginx' }] });
    // The same store served without a log source: a cluster whose kubelets cannot be reached.
    bare = new ApiServer({ store, log: () => {} });
    await bare.start();
    bareBase = `http://127.0.0.1:${(await bare.listen(0)).port}`;
  });
  after(async () => {
    await server?.close();
    await bare?.close();
  });

  const log = (path: string, b = base) => request(b, 'GET', `/api/v1/namespaces/default/pods/${path}`);

  it('200 text/plain with the lines the container wrote', async () => {
    const res = await log('web/log');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    const lines = (res.json as string).trimEnd().split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^ts=\S+ level=info msg="starting container" container=web image=nginx:1.25$/);
    assert.match(lines.at(-1)!, /msg="still running" uptime=20s$/);
  });

  it('tailLines, timestamps, sinceSeconds and limitBytes', async () => {
    const tail = ((await log('web/log?tailLines=2&timestamps=true')).json as string).trimEnd().split('\n');
    assert.equal(tail.length, 2);
    for (const line of tail) assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z ts=/);
    const recent = ((await log('web/log?sinceSeconds=12')).json as string).trimEnd().split('\n');
    assert.deepEqual(recent.map((l) => l.replace(/^ts=\S+ /, '')), ['level=info msg="still running" uptime=20s']);
    const limited = await log('web/log?limitBytes=10');
    assert.match(limited.json as string, /^ts=\d{4}-\d\d$/);
    assert.equal(Buffer.byteLength(limited.json as string), 10);
  });

  it('404 for a missing pod', async () => {
    const res = await log('nope/log');
    assert.equal(res.status, 404);
    assert.equal(res.json.message, 'pods "nope" not found');
  });

  it('400 when a container must be named, or does not exist', async () => {
    const unnamed = await log('duo/log');
    assert.equal(unnamed.status, 400);
    assert.equal(unnamed.json.message, 'a container name must be specified for pod duo, choose one of: [setup app sidecar]');
    const unknown = await log('duo/log?container=nope');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.message, 'container nope is not valid for pod duo');
    assert.equal((await log('duo/log?container=sidecar')).status, 200);
  });

  it("400 with the kubelet's message while the container waits to start", async () => {
    const res = await log('creating/log');
    assert.equal(res.status, 400);
    assert.equal(res.json.reason, 'BadRequest');
    assert.equal(res.json.message, 'container "app" in pod "creating" is waiting to start: ContainerCreating');
    const previous = await log('web/log?previous=true');
    assert.equal(previous.json.message, 'previous terminated container "web" in pod "web" not found');
  });

  it('204 and no body for a pod not yet bound to a node', async () => {
    const res = await log('unbound/log');
    assert.equal(res.status, 204);
    assert.equal(res.json, undefined);
  });

  it('400 and 422 for bad options, 405 for other verbs', async () => {
    assert.equal((await log('web/log?tailLines=x')).status, 400);
    const invalid = await log('web/log?tailLines=-5');
    assert.equal(invalid.status, 422);
    assert.equal(invalid.json.details.kind, 'PodLogOptions');
    assert.equal((await request(base, 'POST', '/api/v1/namespaces/default/pods/web/log', {})).status, 405);
  });

  it('without a log source: 500 with the dial error kube-apiserver reports for an unreachable kubelet', async () => {
    const res = await log('web/log?follow=true', bareBase);
    assert.equal(res.status, 500);
    assert.equal(res.json.message, 'Get "https://node-1:10250/containerLogs/default/web/web?follow=true": dial tcp 10.1.2.3:10250: connect: connection refused');
  });

  it('follow streams each line when it is due and ends when the pod is deleted', { timeout: 10_000 }, async () => {
    await ticker('follow-me');
    const reader = new TextReader(`${base}/api/v1/namespaces/default/pods/follow-me/log?follow=true`);
    const first = (await reader.waitForLines(1)).length;
    const lines = await reader.waitForLines(first + 3);
    assert.match(lines.at(-1)!, /^tick \d+$/);
    assert.equal(reader.headers?.['transfer-encoding'], 'chunked');
    await client.delete(refs.pods, 'default', 'follow-me', { gracePeriodSeconds: 0 });
    await reader.ended;
  });

  it('follow on a generic container being deleted gets its SIGTERM line, then the end', { timeout: 10_000 }, async () => {
    await createPod('goodbye', { containers: [{ name: 'web', image: 'nginx' }] }, runningStatus(['web'], startedAt));
    const reader = new TextReader(`${base}/api/v1/namespaces/default/pods/goodbye/log?follow=true&tailLines=1`);
    await reader.waitForLines(1);
    await client.delete(refs.pods, 'default', 'goodbye', { gracePeriodSeconds: 30 });
    await reader.ended;
    assert.match(reader.lines.at(-1)!, /msg="received SIGTERM, shutting down"$/);
    assert.equal(reader.lines.length, 2);
  });

  it('follow with limitBytes ends once the bytes are sent', { timeout: 10_000 }, async () => {
    await ticker('limited');
    const reader = new TextReader(`${base}/api/v1/namespaces/default/pods/limited/log?follow=true&tailLines=0&limitBytes=14`);
    await reader.ended;
    assert.equal(Buffer.byteLength(reader.text), 14);
    assert.match(reader.text, /^tick \d+\ntick/);
  });

  it('a follower that disconnects leaves no watch behind', { timeout: 10_000 }, async () => {
    await ticker('leaver');
    const watchers = server.cache.watcherCount();
    const reader = new TextReader(`${base}/api/v1/namespaces/default/pods/leaver/log?follow=true`);
    await reader.waitForLines(1);
    assert.equal(server.cache.watcherCount(), watchers + 1);
    reader.close();
    const deadline = Date.now() + 5000;
    while (server.cache.watcherCount() > watchers && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(server.cache.watcherCount(), watchers);
  });
});
