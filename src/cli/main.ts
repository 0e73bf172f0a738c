/**
 * The `everynode` command. Subcommands: `up` (start a lab), `bench` (benchmarks).
 */
import { Command, InvalidArgumentError } from 'commander';
import { apiCommand, compactionCommand, convergeCommand, limitCommand, rolloutCommand, runProbe } from '../../bench/index.js';
import { UsageError, addNode, kubeconfigPath, removeNode, serverFromKubeconfig, setNodeStopped, type NodeAddOptions } from './node.js';
import { loadLabProfile, type LabProfile } from './profile.js';
import { startLab } from './up.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number from 0 to 65535.');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new InvalidArgumentError('must be a whole number from 0 to 100000.');
  return n;
}

interface UpFlags {
  port: number;
  host: string;
  data: string;
  kubeconfig: string;
  memory: boolean;
  nodes: number;
  controlPlane: number;
  nodeMonitorGracePeriod: number;
  eventTtl: number;
  startDelay: number;
  readyDelay: number;
  stopDelay: number;
  jitter: number;
  profile?: string;
  singleThread: boolean;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('everynode')
    .description('A Kubernetes-compatible control plane for DaemonSets, driven by the real kubectl.')
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('up')
    .description('start a lab: API server and store, serving until Ctrl-C')
    .option('--port <port>', 'port to listen on (0 picks a free one)', port, 6443)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--data <dir>', 'data directory of the SQLite store', './.everynode/data')
    .option('--kubeconfig <file>', 'kubeconfig file to write', './.everynode/kubeconfig')
    .option('--memory', 'keep everything in memory (nothing persists)', false)
    .option('--nodes <n>', 'simulated worker nodes node-1…node-N', count, 4)
    .option('--control-plane <n>', 'simulated control-plane nodes (0 omits them)', count, 1)
    .option('--node-monitor-grace-period <seconds>', 'missed heartbeats before a node goes Unknown', count, 40)
    .option('--event-ttl <seconds>', 'how long an Event is kept after its last update (0 keeps Events forever)', count, 3600)
    .option('--start-delay <ms>', 'simulated time from binding to a running container', count, 1000)
    .option('--ready-delay <ms>', 'simulated time from running to Ready', count, 1000)
    .option('--stop-delay <ms>', 'simulated time for containers to stop (capped by the grace period)', count, 0)
    .option('--jitter <ms>', 'up to this much more start and ready delay, different per pod', count, 0)
    .option('--profile <file>', 'a lab profile (YAML): node pools, timing, image faults; see docs/lab-profiles.md')
    .option('--single-thread', "run the controllers, scheduler and simulated nodes on the API server's thread (slower; for comparison)", false)
    .action(async (options: UpFlags, command: Command) => {
      const log = (message: string) => process.stderr.write(`${message}\n`);
      let profile: LabProfile | undefined;
      try {
        profile = options.profile === undefined ? undefined : loadLabProfile(options.profile);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error;
        log(`error: ${error.message}`);
        process.exit(1);
      }
      // Flags given on the command line win over the profile; the profile wins over flag defaults.
      const fromCli = (name: string) => command.getOptionValueSource(name) === 'cli';
      const pick = (name: string, flagMs: number, profileMs: number | undefined) => (fromCli(name) || profileMs === undefined ? flagMs : profileMs);
      const hasPools = (profile?.nodes.length ?? 0) > 0;
      let lab;
      try {
        lab = await startLab({
          ...options,
          nodes: hasPools && !fromCli('nodes') ? 0 : options.nodes,
          controlPlane: hasPools && !fromCli('controlPlane') ? 0 : options.controlPlane,
          nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriod * 1000,
          eventTtlMs: options.eventTtl * 1000,
          startDelayMs: pick('startDelay', options.startDelay, profile?.startDelayMs),
          readyDelayMs: pick('readyDelay', options.readyDelay, profile?.readyDelayMs),
          stopDelayMs: pick('stopDelay', options.stopDelay, profile?.stopDelayMs),
          jitterMs: pick('jitter', options.jitter, profile?.jitterMs),
          extraNodes: profile?.nodes,
          faults: profile?.faults,
          log,
        });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') {
          log(`error: port ${options.port} on ${options.host} is already in use; stop the other server or pick another with --port`);
          process.exit(1);
        }
        throw error;
      }
      process.stdout.write(
        [
          `kubeconfig: ${lab.kubeconfigPath}`,
          `export KUBECONFIG=${lab.kubeconfigPath}`,
          `everynode is ready at ${lab.url}`,
          '',
        ].join('\n'),
      );
      const shutdown = (signal: string) => {
        log(`${signal}: shutting down`);
        lab.stop().then(
          () => process.exit(0),
          (error) => {
            log(`error during shutdown: ${(error as Error).message}`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => shutdown('SIGINT'));
      process.once('SIGTERM', () => shutdown('SIGTERM'));
    });

  const nodeCommand = program
    .command('node')
    .description('change the simulated nodes of a running lab')
    .option('--kubeconfig <file>', 'kubeconfig of the lab (default: $KUBECONFIG, else ./.everynode/kubeconfig)');
  /** Runs a node subcommand: prints its one-line result, or a one-line error and exits 1. */
  const run = (action: (server: string) => Promise<string>) => async () => {
    try {
      const server = serverFromKubeconfig(kubeconfigPath(nodeCommand.opts<{ kubeconfig?: string }>().kubeconfig));
      process.stdout.write(`${await action(server)}\n`);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    }
  };
  nodeCommand
    .command('add <name>')
    .description('add a simulated node')
    .option('--labels <k=v,...>', 'node labels')
    .option('--taints <k=v:Effect,...>', 'node taints')
    .option('--cpu <n>', 'CPU capacity (default 4)')
    .option('--memory <q>', 'memory capacity (default 16Gi)')
    .option('--pods <n>', 'pod capacity (default 110)')
    .option('--start-delay <duration>', "time from a pod's binding to its containers running, e.g. 2s (default: the lab's)")
    .option('--ready-delay <duration>', 'time from running to Ready, e.g. 500ms')
    .option('--stop-delay <duration>', 'time for containers to stop (capped by the grace period)')
    .option('--jitter <duration>', 'up to this much more start and ready delay, different per pod')
    .option('--image-pull-fails <pattern,...>', 'images that cannot be pulled on this node (* matches anything)')
    .option('--crash-loops <pattern,...>', 'images that crash-loop on this node')
    .option('--static-pods <dir>', 'a directory of pod manifests the node runs as static pods (mirror pods appear in the API)')
    .action((name: string, options: NodeAddOptions) => run((server) => addNode(server, name, options))());
  nodeCommand
    .command('remove <name>')
    .description('remove a node (the Node is deleted; its pods are collected)')
    .action((name: string) => run((server) => removeNode(server, name))());
  nodeCommand
    .command('stop <name>')
    .description("stop a node's heartbeats (it goes Unknown after the grace period)")
    .action((name: string) => run((server) => setNodeStopped(server, name, true))());
  nodeCommand
    .command('start <name>')
    .description("restart a stopped node's heartbeats")
    .action((name: string) => run((server) => setNodeStopped(server, name, false))());

  const positiveInt = (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
    return n;
  };

  const percentOrCount = (value: string): string => {
    if (!/^(\d+|\d+%)$/.test(value)) throw new InvalidArgumentError('must be a whole number of nodes or a percentage, e.g. 1 or 10%.');
    return value;
  };

  const bench = program.command('bench').description('benchmarks: print figures (a human summary, then one JSON line)');
  const benchLog = (line: string) => process.stdout.write(`${line}\n`);
  const repeatOption = ['--repeat <n>', 'run N times; the JSON line carries the median of each figure and every run', positiveInt, 1] as const;
  bench
    .command('api')
    .description('API server alone: create throughput, GET/LIST/watch latency, RSS, cold start')
    .option('--pods <n>', 'pods to create', positiveInt, 5000)
    .option('--connections <n>', 'concurrent client connections', positiveInt, 32)
    .option('--stored <n>', 'objects stored for the second cold start', positiveInt, 10000)
    .option(...repeatOption)
    .action(async (options: { pods: number; connections: number; stored: number; repeat: number }) => {
      benchLog(await apiCommand(options, benchLog));
    });

  bench
    .command('converge')
    .description('a lab with N simulated nodes: time until a new DaemonSet has N pods Ready, and its ratio to the limit')
    .option('--nodes <n>', 'simulated nodes', positiveInt, 1000)
    .option(...repeatOption)
    .option('--plot <file>', 'write an SVG of pods created, scheduled and Ready over time')
    .option('--single-thread', 'run the lab with everynode up --single-thread (for comparison)', false)
    .action(async (options: { nodes: number; repeat: number; plot?: string; singleThread: boolean }) => {
      benchLog(await convergeCommand(options, benchLog));
    });

  bench
    .command('rollout')
    .description('a lab with N simulated nodes: time for a full rolling update, with API latencies measured meanwhile')
    .option('--nodes <n>', 'simulated nodes', positiveInt, 1000)
    .option('--max-unavailable <n|p%>', "the DaemonSet's rollingUpdate.maxUnavailable", percentOrCount, '10%')
    .option(...repeatOption)
    .option('--plot <file>', 'write an SVG of pods updated, new pods Ready and old pods Ready over time')
    .option('--single-thread', 'run the lab with everynode up --single-thread (for comparison)', false)
    .action(async (options: { nodes: number; maxUnavailable: string; repeat: number; plot?: string; singleThread: boolean }) => {
      benchLog(await rolloutCommand(options, benchLog));
    });

  bench
    .command('limit')
    .description("the store and JSON alone: N pods' worth of a converge's writes through SQLite, in-process")
    .option('--pods <n>', 'pods (4 writes each: create, binding, status, Scheduled event)', positiveInt, 5000)
    .option(...repeatOption)
    .action(async (options: { pods: number; repeat: number }) => {
      benchLog(await limitCommand(options, benchLog));
    });

  bench
    .command('compaction')
    .description("the store alone: compacting M minutes of N nodes' Lease renewals, and the writes that wait meanwhile")
    .option('--nodes <n>', 'nodes renewing a Lease every 10 s', positiveInt, 5000)
    .option('--minutes <n>', 'minutes of renewals to compact (the API server compacts every 5)', positiveInt, 5)
    .option(...repeatOption)
    .action(async (options: { nodes: number; minutes: number; repeat: number }) => {
      benchLog(await compactionCommand(options, benchLog));
    });

  // Started by other benchmarks in its own process; runs until its stdin closes.
  bench
    .command('probe', { hidden: true })
    .requiredOption('--url <url>', 'the API server to probe')
    .action(async (options: { url: string }) => {
      const stopped = new Promise<void>((resolve) => {
        process.stdin.on('end', resolve);
        process.stdin.resume();
      });
      const result = await runProbe(options.url, stopped, () => process.stdout.write('probing\n'));
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });

  return program;
}

await buildProgram().parseAsync(process.argv);
