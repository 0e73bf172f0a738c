/**
 * Test harness: a lab served in-process (memory store, free port) and the real kubectl pointed at it
 * with a private discovery cache, so every test sees fresh discovery.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type RunningLab } from '../cli/index.js';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface TestLab extends RunningLab {
  dir: string;
  /** Runs the real kubectl against this lab. Never throws on a non-zero exit; check `code`. */
  kubectl(args: string[], options?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Like kubectl, but fails the test with kubectl's stderr when the exit code is not 0. */
  kubectlOk(args: string[], options?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<string>;
  /**
   * Runs a command line with bash, as a reader would type it (pipes included), with `KUBECONFIG` and
   * `KUBECACHEDIR` pointing at this lab, so a bare `kubectl …` in it talks to the lab.
   */
  sh(command: string, options?: { cwd?: string; env?: Record<string, string>; timeoutMs?: number }): Promise<KubectlResult>;
  /** Starts kubectl without waiting for it (a watch, `logs -f`, a drain the test acts on meanwhile). */
  kubectlInBackground(args: string[], options?: { killAfterMs?: number }): BackgroundKubectl;
}

/** kubectl running while the test goes on. */
export interface BackgroundKubectl {
  /** What it has printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves once `pattern` matches what it has printed on `stream`; fails after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number, stream?: 'stdout' | 'stderr'): Promise<void>;
  /** Its end, with everything it printed (a kill counts as exit code 1). */
  exit: Promise<KubectlResult>;
  /** Kills it; resolves with everything it printed. */
  stop(): Promise<KubectlResult>;
}

/** Starts a lab in-process; by default without nodes, so each test creates the nodes it needs. */
export async function startTestLab(
  options: { memory?: boolean; data?: string; nodes?: number; controlPlane?: number; nodeMonitorGracePeriodMs?: number; startDelayMs?: number; readyDelayMs?: number } = {},
): Promise<TestLab> {
  const dir = mkdtempSync(join(tmpdir(), 'everynode-e2e-'));
  const lab = await startLab({
    port: 0,
    host: '127.0.0.1',
    data: options.data ?? join(dir, 'data'),
    kubeconfig: join(dir, 'kubeconfig'),
    memory: options.memory ?? true,
    nodes: options.nodes ?? 0,
    controlPlane: options.controlPlane ?? 0,
    nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs,
    startDelayMs: options.startDelayMs,
    readyDelayMs: options.readyDelayMs,
  });
  const kubectl: TestLab['kubectl'] = (args, opts = {}) =>
    runKubectl(['--kubeconfig', lab.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args], opts);
  return {
    ...lab,
    dir,
    kubectl,
    async kubectlOk(args, opts) {
      const result = await kubectl(args, opts);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
      return result.stdout;
    },
    kubectlInBackground(args, opts = {}) {
      return backgroundKubectl(['--kubeconfig', lab.kubeconfigPath, '--cache-dir', join(dir, 'cache')], args, opts.killAfterMs ?? 60_000);
    },
    sh(command, opts = {}) {
      const env = { KUBECONFIG: lab.kubeconfigPath, KUBECACHEDIR: join(dir, 'cache'), ...opts.env };
      return run('bash', ['-c', command], { env, cwd: opts.cwd, timeoutMs: opts.timeoutMs });
    },
    async stop() {
      await lab.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function backgroundKubectl(connection: string[], args: string[], killAfterMs: number): BackgroundKubectl {
  const child = spawn('kubectl', [...connection, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const collect = (stream: 'stdout' | 'stderr') => (chunk: string) => {
    printed[stream] += chunk;
    for (const check of [...waiters]) check();
  };
  child.stdout.setEncoding('utf8').on('data', collect('stdout'));
  child.stderr.setEncoding('utf8').on('data', collect('stderr'));
  const exit = new Promise<KubectlResult>((resolve) => child.on('close', (code) => resolve({ ...printed, code: code ?? 1 })));
  const killer = setTimeout(() => child.kill(), killAfterMs);
  void exit.then(() => clearTimeout(killer));
  return {
    stdout: () => printed.stdout,
    stderr: () => printed.stderr,
    waitFor(pattern, timeoutMs, stream = 'stdout') {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`kubectl ${args.join(' ')}: no ${pattern} on ${stream} within ${timeoutMs} ms; so far:\n${printed[stream]}`));
        }, timeoutMs);
        const check = () => {
          if (!pattern.test(printed[stream])) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    },
    exit,
    stop() {
      child.kill();
      return exit;
    },
  };
}

export function runKubectl(args: string[], options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<KubectlResult> {
  return run('kubectl', args, options);
}

function run(
  file: string,
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env: { ...process.env, ...options.env }, cwd: options.cwd, timeout: options.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException).code === 'number' ? Number((error as NodeJS.ErrnoException).code) : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

/** What e2e checks usually want to know of a pod, read through `kubectl get pods -o json`. */
export interface PodInfo {
  name: string;
  node: string;
  image: string;
  ready: boolean;
  deleting: boolean;
  /** The first container's waiting reason (ContainerCreating, ErrImagePull, …), or ''. */
  waiting: string;
  /** The `controller-revision-hash` label, or ''. */
  hash: string;
}

/** The pods selected by `app=<app>` in `namespace` (the kubeconfig's when absent), sorted by node. */
export async function podInfos(lab: Pick<TestLab, 'kubectlOk'>, app: string, namespace?: string): Promise<PodInfo[]> {
  const list = JSON.parse(await lab.kubectlOk(['get', 'pods', ...(namespace ? ['-n', namespace] : []), '-l', `app=${app}`, '-o', 'json'])) as {
    items: {
      metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
      spec: { nodeName?: string; containers: { image: string }[] };
      status?: { conditions?: { type: string; status: string }[]; containerStatuses?: { state?: { waiting?: { reason?: string } } }[] };
    }[];
  };
  return list.items
    .map((p) => ({
      name: p.metadata.name,
      node: p.spec.nodeName ?? '',
      image: p.spec.containers[0]!.image,
      ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      deleting: p.metadata.deletionTimestamp !== undefined,
      waiting: p.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '',
      hash: p.metadata.labels?.['controller-revision-hash'] ?? '',
    }))
    .sort((a, b) => a.node.localeCompare(b.node));
}
