/**
 * Benchmark plumbing: start `everynode up` as a separate process, drive it over HTTP with a bounded
 * number of keep-alive connections, and summarize latencies. The benchmark process is the client;
 * the server never shares its event loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the ready line. */
  startMs: number;
  stop(): Promise<void>;
}

/** Starts `everynode up` in its own process (the CLI entry that is running now). */
export async function startServerProcess(args: string[]): Promise<ServerProcess> {
  const entry = process.argv[1];
  const started = performance.now();
  const child = spawn(process.execPath, [...process.execArgv, entry, 'up', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; if (process.env.BENCH_SERVER_STDERR) process.stderr.write(chunk); });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /ready at (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const startMs = performance.now() - started;
  return {
    child,
    url,
    startMs,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident set size of a process in MB (Linux). */
export function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export class HttpClient {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(url: string, connections: number) {
    this.base = new URL(url);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  }

  /** Sends a request and resolves with status and body text. */
  send(method: string, path: string, body?: string, contentType = 'application/json', headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.base.hostname, port: this.base.port, method, path, agent: this.agent, headers: body ? { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...headers } : headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  /**
   * Sends a request and resolves with status and body size once the body has arrived, without decoding
   * it: a probe timing a big LIST must not spend its own loop on the text, which would delay the timers
   * of the other requests it is timing.
   */
  receive(method: string, path: string): Promise<{ status: number; bytes: number }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.base.hostname, port: this.base.port, method, path, agent: this.agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `count` tasks with at most `concurrency` in flight; returns each task's latency in ms. */
export async function runConcurrently(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const latencies = new Array<number>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      await task(i);
      latencies[i] = performance.now() - started;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return latencies;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, index)]);
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The object that owns the benchmark's pods (without an owner the garbage collector removes them). A
 * ConfigMap, so that no DaemonSet controller acts on the pods: `bench api` measures the API server.
 */
export const benchOwner = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench-owner' } };

/** A pod shaped like a DaemonSet's (owner reference, pinning affinity, tolerations): about 2 KB of JSON. */
export function daemonPod(name: string, node: string, ownerUid: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: { app: 'bench', 'controller-revision-hash': '6d4f8c9b7', 'pod-template-generation': '1' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'bench-owner', uid: ownerUid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      // No scheduler acts on these pods either.
      schedulerName: 'bench-unscheduled',
      containers: [{ name: 'agent', image: 'registry.example.com/agent:1.0', resources: { requests: { cpu: '10m', memory: '20Mi' } }, ports: [{ containerPort: 9100, name: 'metrics' }] }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } },
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ],
    },
  };
}

/** An open watch over HTTP: `onEvent` gets each decoded event; `opened` resolves with the response headers. */
export interface HttpWatch {
  opened: Promise<void>;
  stop(): void;
}

/** Opens `GET path?watch=true…` and decodes the stream line by line. */
export function openWatch(url: string, path: string, onEvent: (event: { type: string; object: any }) => void): HttpWatch {
  let resolveOpened!: () => void;
  const opened = new Promise<void>((resolve) => (resolveOpened = resolve));
  const req = http.get(`${url}${path}`, (res) => {
    resolveOpened();
    let buffer = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line) onEvent(JSON.parse(line));
      }
    });
  });
  req.on('error', () => {});
  return { opened, stop: () => req.destroy() };
}

/** Waits until the fleet has brought `nodes` nodes to Ready (so a measurement starts from a settled lab). */
export async function waitForReadyNodes(client: HttpClient, nodes: number, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  for (;;) {
    const list = JSON.parse((await client.send('GET', '/api/v1/nodes')).text) as { items: { status?: { conditions?: { type: string; status: string }[] } }[] };
    const ready = list.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    if (ready >= nodes) {
      log(`${ready} nodes Ready after ${round((performance.now() - started) / 1000, 2)} s`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a pod (as JSON) has the Ready condition True. */
export function isReadyPod(pod: { status?: { conditions?: { type: string; status: string }[] } }): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
