/**
 * What each `everynode bench …` command does once its flags are parsed: run the scenario `repeat` times,
 * print each run's lines and the summary, write the plot, and return the JSON line printed last.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { benchApi, type ApiBenchResult } from './api.js';
import { convergeChart, rolloutChart } from './charts.js';
import { benchCompaction, type CompactionBenchResult } from './compaction.js';
import { benchConverge, convergeSeries, type ConvergeBenchResult } from './converge.js';
import { benchLimit, type LimitBenchResult } from './limit.js';
import { Timeline, thousands } from './plot.js';
import { busyMachineWarnings, sampleMachine } from './quiet.js';
import { combineRuns, repeatScenario, type BenchResult, type RepeatOptions } from './repeat.js';
import { benchRollout, rolloutSeries, type RolloutBenchResult } from './rollout.js';

type Log = (line: string) => void;

export interface ApiCommandOptions {
  pods: number;
  connections: number;
  stored: number;
  repeat: number;
}

/**
 * Runs a scenario as `--repeat` asks, after saying so when another lab or other work shares the machine
 * (before any figure is taken).
 */
async function runScenario<T extends BenchResult>(options: RepeatOptions<T>): Promise<T[]> {
  for (const line of busyMachineWarnings(await sampleMachine())) options.log(line);
  return repeatScenario(options);
}

export async function apiCommand(options: ApiCommandOptions, log: Log): Promise<string> {
  const runs = await runScenario<ApiBenchResult>({
    repeat: options.repeat,
    label: `api (${thousands(options.pods)} pods)`,
    log,
    run: (_, runLog) => benchApi({ pods: options.pods, connections: options.connections, stored: options.stored, log: runLog }),
  });
  return JSON.stringify(combineRuns(runs));
}

export interface ConvergeCommandOptions {
  nodes: number;
  repeat: number;
  /** Run the lab with `everynode up --single-thread` (for comparison). */
  singleThread?: boolean;
  /** An SVG file to write the plot to. */
  plot?: string;
}

export async function convergeCommand(options: ConvergeCommandOptions, log: Log): Promise<string> {
  const timelines: Timeline[] = [];
  const runs = await runScenario<ConvergeBenchResult>({
    repeat: options.repeat,
    label: `converge (${thousands(options.nodes)} nodes)`,
    log,
    run: (_, runLog) => {
      const timeline = options.plot ? new Timeline(convergeSeries) : undefined;
      if (timeline) timelines.push(timeline);
      return benchConverge({ nodes: options.nodes, log: runLog, timeline, singleThread: options.singleThread });
    },
  });
  if (options.plot) writePlot(options.plot, convergeChart(runs, timelines), log);
  return JSON.stringify(combineRuns(runs));
}

export interface RolloutCommandOptions {
  nodes: number;
  maxUnavailable: string;
  repeat: number;
  singleThread?: boolean;
  plot?: string;
}

export async function rolloutCommand(options: RolloutCommandOptions, log: Log): Promise<string> {
  const timelines: Timeline[] = [];
  const runs = await runScenario<RolloutBenchResult>({
    repeat: options.repeat,
    label: `rollout (${thousands(options.nodes)} nodes, maxUnavailable ${options.maxUnavailable})`,
    log,
    run: (_, runLog) => {
      const timeline = options.plot ? new Timeline(rolloutSeries) : undefined;
      if (timeline) timelines.push(timeline);
      return benchRollout({ nodes: options.nodes, maxUnavailable: options.maxUnavailable, log: runLog, timeline, singleThread: options.singleThread });
    },
  });
  if (options.plot) writePlot(options.plot, rolloutChart(runs, timelines), log);
  return JSON.stringify(combineRuns(runs));
}

export interface LimitCommandOptions {
  pods: number;
  repeat: number;
}

export async function limitCommand(options: LimitCommandOptions, log: Log): Promise<string> {
  const runs = await runScenario<LimitBenchResult>({
    repeat: options.repeat,
    label: `limit (${thousands(options.pods)} pods)`,
    log,
    run: (_, runLog) => benchLimit({ pods: options.pods, log: runLog }),
  });
  return JSON.stringify(combineRuns(runs));
}

export interface CompactionCommandOptions {
  nodes: number;
  minutes: number;
  repeat: number;
}

export async function compactionCommand(options: CompactionCommandOptions, log: Log): Promise<string> {
  const runs = await runScenario<CompactionBenchResult>({
    repeat: options.repeat,
    label: `compaction (${thousands(options.nodes)} nodes, ${options.minutes} min)`,
    log,
    run: (_, runLog) => benchCompaction({ nodes: options.nodes, minutes: options.minutes, log: runLog }),
  });
  return JSON.stringify(combineRuns(runs));
}

function writePlot(file: string, svg: string, log: Log): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, svg);
  log(`plot written to ${file}`);
}
